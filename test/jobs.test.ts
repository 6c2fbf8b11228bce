// The job queue against a real database: maintenance deletes exactly the expired rows, handlers receive
// their jobs, and the runner starts and stops without leaving connections behind.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobLog, JobRunner } from '../src/jobs/jobs.runner.ts';
import { createJobRunner } from '../src/jobs/jobs.runner.ts';
import { MAINTENANCE_CRON, MAINTENANCE_JOB } from '../src/jobs/maintenance.jobs.ts';
import { testClock } from './helpers/app.ts';
import { createTestStore } from './helpers/db.ts';
import { createPartnerWithAdmin } from './helpers/factories.ts';

const quiet: JobLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('job runner', () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let runner: JobRunner;
  const clock = testClock(new Date('2026-11-28T12:00:00Z'));

  beforeAll(async () => {
    t = await createTestStore();
    runner = createJobRunner({
      ownerUrl: t.store.ownerUrl,
      owner: t.store.owner,
      clock,
      log: quiet,
      pollingIntervalSeconds: 0.5,
    });
  });
  afterAll(async () => {
    await runner?.stop();
    await t?.close();
  });

  const jobState = async (id: string) => {
    const r = await sql<{ state: string }>`select state from pgboss.job where id = ${id}`.execute(
      t.store.owner,
    );
    return r.rows[0]?.state;
  };

  it('starts, and schedules the maintenance job every 10 minutes', async () => {
    const seen: unknown[] = [];
    await runner.register<{ n: number }>('test.echo', async (data) => {
      seen.push(data);
    });
    await runner.start();
    const schedules = await sql<{ name: string; cron: string }>`
      select name, cron from pgboss.schedule`.execute(t.store.owner);
    expect(schedules.rows).toContainEqual({ name: MAINTENANCE_JOB, cron: MAINTENANCE_CRON });
    expect(MAINTENANCE_CRON).toBe('*/10 * * * *');

    const id = await runner.send('test.echo', { n: 7 });
    await until(async () => ((await jobState(id)) === 'completed' ? true : undefined), 'echo job');
    expect(seen).toEqual([{ n: 7 }]);
  });

  it('maintenance deletes expired sessions and idempotency keys, and nothing else', async () => {
    const { partner, admin } = await createPartnerWithAdmin(t.store);
    const now = clock.now().getTime();
    const minute = 60_000;
    const session = (tag: string, expiresAt: Date) => ({
      token_hash: Buffer.from(tag.padEnd(32, '.')),
      partner_id: partner.id,
      user_id: admin.id,
      kind: 'bearer' as const,
      csrf_hash: null,
      expires_at: expiresAt,
      last_used_at: null,
    });
    await t.store.owner
      .insertInto('auth_sessions')
      .values([
        session('expired-long-ago', new Date(now - 86_400_000)),
        session('expired-just-now', new Date(now - 1)),
        session('still-valid', new Date(now + minute)),
      ])
      .execute();
    const key = (requestId: string, expiresAt: Date) => ({
      partner_id: partner.id,
      request_id: requestId,
      method: 'POST',
      url: '/v1/customers',
      body_hash: 'h',
      state: 'done' as const,
      status_code: 201,
      response_headers: null,
      response_body: '{}',
      expires_at: expiresAt,
    });
    await t.store.owner
      .insertInto('idempotency_keys')
      .values([key('old', new Date(now - minute)), key('fresh', new Date(now + 23 * 3600_000))])
      .execute();
    // The factory's own token (expiring an hour from the real clock) is after the test clock too.
    const before = await t.store.owner.selectFrom('auth_sessions').select('token_hash').execute();

    const id = await runner.send(MAINTENANCE_JOB, {});
    await until(async () => ((await jobState(id)) === 'completed' ? true : undefined), 'maintenance job');

    const sessions = await t.store.owner.selectFrom('auth_sessions').select('token_hash').execute();
    const names = sessions.map((s) => s.token_hash.toString().replace(/\.+$/, ''));
    expect(names).toContain('still-valid');
    expect(names).not.toContain('expired-long-ago');
    expect(names).not.toContain('expired-just-now');
    expect(sessions).toHaveLength(before.length - 2);
    const keys = await t.store.owner.selectFrom('idempotency_keys').select('request_id').execute();
    expect(keys.map((k) => k.request_id)).toEqual(['fresh']);
  });

  it('stops cleanly: no queue connections are left open', async () => {
    await runner.stop();
    await runner.stop(); // a second stop is harmless
    // A closed connection's backend takes a moment to leave pg_stat_activity.
    await until(
      async () => {
        const open = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
         where datname = current_database() and application_name = 'partnerdesk-jobs'`.execute(t.store.owner);
        return open.rows[0]!.n === 0 ? true : undefined;
      },
      'queue connections to close',
      5_000,
    );
    await expect(runner.send('test.echo', { n: 1 })).rejects.toThrow(/stopped/);
  });
});
