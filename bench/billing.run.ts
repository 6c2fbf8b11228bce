// `npm run bench -- billing`: the invoice job for one month over BENCH_SUBSCRIPTIONS (default 100,000)
// subscriptions (bench/billing.generate.ts), beside a bare baseline that works out comparable monthly amounts
// with one set-based INSERT … SELECT in plain SQL into a scratch table: licences billed monthly prorated by day
// per stretch of state, licences billed annually charged at their anniversary and prorated on a change, usage
// summed per subscription, meter and price, each rounded once — with no invoices, numbering, line order, paging,
// activity records or per-partner transactions.
//
// Reports the job's duration, invoice lines per second, the baseline's, their ratio, the process's resident
// memory before the job and at its peak (sampled every 50 ms), and a second run of the job (nothing left to do).
// The baseline's totals per currency are compared with the invoices': the same rules worked out twice.
// Writes bench/results/billing-<time>.md.
//
//   BENCH_SUBSCRIPTIONS=20000 BENCH_PARTNERS=20 npm run bench -- billing
import os from 'node:os';
import { sql } from 'kysely';
import { formatMinor } from '../src/modules/billing/billing.money.ts';
import { closeDuePeriods } from '../src/modules/billing/invoices.close.ts';
import { generateBilling } from './billing.generate.ts';
import { writeReport } from './report.ts';
import { openBenchStore } from './store.ts';

const subscriptions = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const partners = Number(process.env.BENCH_PARTNERS ?? 50);
const PERIOD = process.env.BENCH_PERIOD ?? '2026-11';

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const mib = (bytes: number) => Math.round(bytes / (1 << 20));

/** The baseline: the month's amounts in one statement, as the owner, into an unlogged scratch table. */
const BASELINE = (period: string) => sql`
  insert into bench_baseline_lines
  with p as (select ${period}::date as ps, (${period}::date + interval '1 month')::date as pe),
  -- Each subscription's states as days (a day's last state counts), with the day the next one starts.
  days as (
    select distinct on (st.subscription_id, (st.valid_from at time zone 'UTC')::date)
           st.subscription_id, (st.valid_from at time zone 'UTC')::date as d, st.quantity,
           st.status = 'active' as active, coalesce(st.unit_price, 0) as price
      from subscription_states st, p
     where st.valid_from < (p.pe::timestamp at time zone 'UTC')
     order by st.subscription_id, (st.valid_from at time zone 'UTC')::date, st.valid_from desc
  ),
  stretch as (
    select d.*, lead(d.d) over w as next_d, lag(d.quantity) over w as prev_q, lag(d.active) over w as prev_active,
           lag(d.price) over w as prev_price, first_value(d.d) over w as first_d
      from days d
    window w as (partition by d.subscription_id order by d.d)
  ),
  licence as (
    select s.partner_id, s.customer_id, s.id as subscription_id, s.billing_cycle, s.currency, x.d, x.quantity,
           x.active, x.price, x.next_d, x.prev_q, x.prev_active, x.prev_price, x.first_d, p.ps, p.pe
      from stretch x join subscriptions s on s.id = x.subscription_id, p
     where s.billing_type = 'license'
  ),
  -- Monthly: in arrears, each stretch of the month while active, prorated by day.
  monthly as (
    select partner_id, customer_id, subscription_id, 'license' as kind, null::text as meter_id,
           quantity::numeric as quantity, price::numeric as unit_price,
           least(coalesce(next_d, pe), pe) - greatest(d, ps) as days, currency,
           round(quantity::numeric * price * (least(coalesce(next_d, pe), pe) - greatest(d, ps)) / (pe - ps))::bigint as amount
      from licence
     where billing_cycle = 'monthly' and active and least(coalesce(next_d, pe), pe) > greatest(d, ps)
  ),
  -- Annual: the cycle's price at the anniversary in the month, with the state of that day.
  annual_cycle as (
    select partner_id, customer_id, subscription_id, 'license', null::text, quantity::numeric, price::numeric,
           null::int, currency, (quantity::numeric * price)::bigint
      from (select l.*, (l.first_d + make_interval(years => extract(year from l.ps)::int - extract(year from l.first_d)::int))::date as anniversary
              from licence l where l.billing_cycle = 'annual') a
     where anniversary >= ps and anniversary < pe and d <= anniversary and coalesce(next_d, pe) > anniversary
       and active
  ),
  -- Annual: a change in the month, for the days left in its cycle.
  annual_change as (
    select partner_id, customer_id, subscription_id, 'license', null::text,
           1::numeric, delta::numeric, cycle_end - d, currency,
           round(delta::numeric * (cycle_end - d) / (cycle_end - cycle_start))::bigint
      from (select l.*, (case when l.active then l.quantity * l.price else 0 end)
                        - (case when l.prev_active then l.prev_q * l.prev_price else 0 end) as delta,
                   (l.first_d + make_interval(years => extract(year from age(l.d, l.first_d))::int))::date as cycle_start,
                   (l.first_d + make_interval(years => extract(year from age(l.d, l.first_d))::int + 1))::date as cycle_end
              from licence l where l.billing_cycle = 'annual' and l.d >= l.ps and l.d > l.first_d) c
     where delta <> 0 and d <> cycle_start
  ),
  usage as (
    select u.partner_id, u.customer_id, u.subscription_id, 'usage', u.meter_id, sum(u.quantity), u.unit_price,
           null::int, u.currency, round(sum(u.amount))::bigint
      from usage_records u, p
     where u.usage_date >= p.ps and u.usage_date < p.pe
     group by u.partner_id, u.customer_id, u.subscription_id, u.meter_id, u.unit_price, u.currency
  )
  select * from monthly union all select * from annual_cycle union all select * from annual_change
  union all select * from usage`;

export async function runBillingBench(): Promise<void> {
  const period = `${PERIOD}-01`;
  if (!/^\d{4}-(0[1-9]|1[0-2])-01$/.test(period))
    throw new Error(`BENCH_PERIOD must be YYYY-MM, not ${PERIOD}`);
  const bench = await openBenchStore('billing');
  const { store } = bench;
  const db = store.owner;
  try {
    process.stdout.write(
      `generating ${n(subscriptions)} subscriptions of ${partners} partners' customers for ${PERIOD}…\n`,
    );
    const data = await generateBilling(store, { subscriptions, partners, period });
    process.stdout.write(`${data.summary}\n`);

    // The baseline, twice (the first warms the cache as the generation's VACUUM left it); the faster counts.
    await sql`
      create unlogged table bench_baseline_lines (
        partner_id uuid, customer_id uuid, subscription_id uuid, kind text, meter_id text, quantity numeric,
        unit_price numeric, days int, currency text, amount bigint)`.execute(db);
    let bareMs = Number.POSITIVE_INFINITY;
    for (let run = 1; run <= 2; run++) {
      await sql`truncate bench_baseline_lines`.execute(db);
      process.stdout.write(`baseline, run ${run}…\n`);
      const t = performance.now();
      await BASELINE(period).execute(db);
      bareMs = Math.min(bareMs, performance.now() - t);
    }

    process.stdout.write('the invoice job…\n');
    const now = new Date(Date.parse(`${period}T00:00:00Z`));
    now.setUTCMonth(now.getUTCMonth() + 1);
    now.setUTCMinutes(5);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    let t = performance.now();
    const result = await closeDuePeriods(db, now).finally(() => clearInterval(sampler));
    const jobMs = performance.now() - t;
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);

    t = performance.now();
    const again = await closeDuePeriods(db, now);
    const againMs = performance.now() - t;

    const ours = await sql<{ currency: string; invoices: number; lines: number; total: string }>`
      select currency, count(*)::int as invoices, sum(line_count)::int as lines, sum(total_charges)::text as total
        from invoices where document_type = 'invoice' group by currency order by currency`.execute(db);
    const bare = await sql<{ currency: string; lines: number; total: string }>`
      select currency, count(*)::int as lines, sum(amount)::text as total
        from bench_baseline_lines group by currency order by currency`.execute(db);
    const kinds = await sql<{ charge_type: string; lines: number }>`
      select charge_type, count(*)::int as lines from invoice_line_items group by charge_type order by 2 desc`.execute(
      db,
    );
    const lines = ours.rows.reduce((s, r) => s + r.lines, 0);
    const bareLines = bare.rows.reduce((s, r) => s + r.lines, 0);

    const totals = ours.rows.map((o) => {
      const b = bare.rows.find((x) => x.currency === o.currency);
      const same = b?.total === o.total;
      return `| ${o.currency} | ${o.invoices} | ${n(o.lines)} | ${formatMinor(Number(o.total), o.currency)} | ${b ? n(b.lines) : '—'} | ${
        b ? formatMinor(Number(b.total), o.currency) : '—'
      } | ${same ? 'equal' : 'differ'} |`;
    });
    const report = [
      `Partnerdesk bench billing — ${new Date().toISOString()} — ${os.cpus().length} cores, Node ${process.versions.node}`,
      '',
      data.summary,
      `Generation: ${data.timings.map(([label, s]) => `${label} ${s.toFixed(1)} s`).join('; ')}.`,
      '',
      `The invoice job (closeDuePeriods) for ${PERIOD}, every partner, one transaction per partner; the baseline is`,
      'one set-based INSERT … SELECT of comparable amounts into a scratch table (the faster of two runs).',
      '',
      '| | invoice lines | seconds | lines/s | ratio to baseline |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| Partnerdesk invoice job | ${n(lines)} (${result.invoices} invoices, ${result.periods} partner-months) | ${seconds(jobMs)} | ${n(
        (lines / jobMs) * 1000,
      )} | ${(jobMs / bareMs).toFixed(1)}× |`,
      `| baseline (plain SQL) | ${n(bareLines)} | ${seconds(bareMs)} | ${n((bareLines / bareMs) * 1000)} | 1× |`,
      '',
      `Lines by charge type: ${kinds.rows.map((k) => `${k.charge_type} ${n(k.lines)}`).join(', ')}.`,
      `Resident memory of the process running the job: ${mib(rssBefore)} MiB before, ${mib(rssPeak)} MiB at its peak.`,
      `Running the job again: ${again.periods} periods closed, ${again.invoices} invoices, ${seconds(againMs)} s.`,
      '',
      'Totals per currency, invoices and baseline (the same rules worked out twice):',
      '',
      '| currency | invoices | lines | total | baseline lines | baseline total | |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
      ...totals,
      '',
    ].join('\n');
    writeReport('billing', report);
  } finally {
    await bench.close();
  }
}
