// Query plans for a bench's report: EXPLAIN ANALYZE of the exact SQL a repository sends (captured from Kysely,
// run as the app role under row-level security in a partner transaction), and a one-line summary of each.
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import pg from 'pg';
import type { Store, Trx } from '../src/db/database.ts';
import { appUrlFor, inPartnerTransaction } from '../src/db/database.ts';

/**
 * For each of `runs` (a repository call), the plan of the last query it sent, run once to warm the cache as
 * under load, then with EXPLAIN (ANALYZE, BUFFERS).
 */
export async function explainQueries(
  store: Store,
  partnerId: string,
  runs: ((trx: Trx) => Promise<unknown>)[],
): Promise<string[]> {
  const captured: RootOperationNode[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (a) => {
      captured.push(a.node);
      return a.node;
    },
    transformResult: async (a) => a.result,
  };
  const app = store.app.withPlugin(capture);
  const client = new pg.Client({ connectionString: appUrlFor(store.ownerUrl) });
  await client.connect();
  const plans: string[] = [];
  try {
    for (const run of runs) {
      captured.length = 0;
      await inPartnerTransaction(app, partnerId, run);
      const compiled = store.app
        .getExecutor()
        .compileQuery(captured.at(-1)!, { queryId: 'explain' } as never);
      await client.query('begin');
      await client.query(`select set_config('app.partner_id', $1, true)`, [partnerId]);
      await client.query(compiled.sql, compiled.parameters as unknown[]);
      const r = await client.query(
        `explain (analyze, buffers) ${compiled.sql}`,
        compiled.parameters as unknown[],
      );
      await client.query('commit');
      plans.push((r.rows as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n'));
    }
  } finally {
    await client.end();
  }
  return plans;
}

/** The plan's scans, in order and once each (but those `skip` matches), and its execution time. */
export function summarizePlan(plan: string, skip?: RegExp): string {
  const scans = plan
    .split('\n')
    .map(
      (l) =>
        /((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan|Bitmap Heap Scan)(?: Backward)?(?: using| on)? \S+)/.exec(
          l,
        )?.[1],
    )
    .filter((s): s is string => Boolean(s))
    .filter((s) => !skip?.test(s))
    .filter((s, i, all) => all.indexOf(s) === i);
  const time = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
  return `${scans.join(' + ')} — ${time} ms`;
}
