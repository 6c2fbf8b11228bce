// A subscription never has zero or two partners of record. Generated runs of creates, consents, declines,
// accepts (all or some), rejects, cancels, races, suspensions, the completion job and expiry among three
// partners and several customers, each answered as the contract says (never a 5xx); then one query over ALL
// subscriptions: every Azure subscription id has exactly one live row, every transferred row points to an
// existing row of another partner with the same Azure id; and each Azure subscription is with the partner the
// completed lines (as the API reports them) say.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireTransfers } from '../src/modules/transfers/transfers.service.ts';
import type { TestApp } from './helpers/app.ts';
import { testClock } from './helpers/app.ts';
import { insertCustomer } from './helpers/customers.ts';
import type { TestUser } from './helpers/factories.ts';
import { createPartnerWithAdmin } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertCustomerUser, insertRelationship, issueCustomerToken } from './helpers/relationships.ts';
import type { transfersApi } from './helpers/transfers.ts';
import { DAY, checkPartnerOfRecord, insertSubscriptions, startTransferApp } from './helpers/transfers.ts';

const RUNS = Number(process.env.TRANSFER_RUNS ?? 6);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI ? 20261203 : undefined;
const PARTNERS = 3;
const CUSTOMERS = 3;
const SUBS_PER_PARTNER = 2; // per customer

const clock = testClock(new Date('2027-05-01T09:00:00Z'));
let t: TestApp;
let cat: TestCatalog;
let api: ReturnType<typeof transfersApi>;
let drain: () => Promise<void>;

beforeAll(async () => {
  ({ t, cat, api, drain } = await startTransferApp(clock));
});
afterAll(() => t.close());

interface World {
  partners: TestUser[];
  customers: { id: string; token: string }[];
  /** Azure id → the partner it started with. */
  initial: Map<string, string>;
  /** Every request made in this run, with its customer and parties. */
  transfers: { id: string; customer: number; source: string; target: string }[];
  /** Requests last seen pending: the ops pick among these first, so runs get somewhere. */
  open: Set<string>;
}

async function makeWorld(): Promise<World> {
  const partners: TestUser[] = [];
  for (let i = 0; i < PARTNERS; i++) partners.push((await createPartnerWithAdmin(t.store)).admin);
  const customers: World['customers'] = [];
  const initial = new Map<string, string>();
  for (let c = 0; c < CUSTOMERS; c++) {
    const customer = await insertCustomer(t.store, partners[0]!.partnerId);
    for (const p of partners.slice(1)) await insertRelationship(t.store, p.partnerId, customer.id);
    const admin = await insertCustomerUser(t.store, customer.id, { roles: ['globalAdmin'] });
    customers.push({ id: customer.id, token: await issueCustomerToken(t.store, customer.id, admin.id) });
    for (const p of partners)
      for (const s of await insertSubscriptions(
        t.store,
        p.partnerId,
        customer.id,
        cat.azure,
        SUBS_PER_PARTNER,
      ))
        initial.set(s.azureId!, p.partnerId);
  }
  return { partners, customers, initial, transfers: [], open: new Set() };
}

type Op =
  | { kind: 'create'; target: number; customer: number; source: number; mask: number; all: boolean }
  | { kind: 'consent' | 'decline' | 'reject' | 'cancel'; k: number }
  | { kind: 'accept'; k: number; mask: number; partial: boolean; suspend: number | null; consent: boolean }
  | { kind: 'race'; k: number; other: 'accept' | 'reject' | 'cancel' }
  | { kind: 'suspend'; customer: number; pick: number }
  | { kind: 'drain' }
  | { kind: 'age'; days: number };

const idx = (n: number) => fc.integer({ min: 0, max: n - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 7,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      target: idx(PARTNERS),
      customer: idx(CUSTOMERS),
      source: idx(PARTNERS),
      mask: fc.integer({ min: 1, max: 255 }),
      all: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('consent' as const), k: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('decline' as const), k: fc.nat(50) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('accept' as const),
      k: fc.nat(50),
      mask: fc.integer({ min: 1, max: 255 }),
      partial: fc.boolean(),
      // Sometimes one of its subscriptions is suspended right after: that line fails at completion.
      suspend: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(50) }),
      // Often the customer consents just before (else most accepts would meet 409 transferConsentRequired).
      consent: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject' as const), k: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), k: fc.nat(50) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('race' as const),
      k: fc.nat(50),
      other: fc.constantFrom('accept' as const, 'reject' as const, 'cancel' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('suspend' as const),
      customer: idx(CUSTOMERS),
      pick: fc.nat(50),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'drain' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('age' as const), days: fc.integer({ min: 1, max: 12 }) }),
  },
);

/** A step: an operation, and whether the completion job runs at the same time. */
const step = fc.tuple(
  op,
  fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
);

type Res = { statusCode: number; body: string; json(): unknown };
/** Every answer: a documented one, never a 5xx. */
function expectOneOf(r: Res, allowed: Record<number, string[] | null>, what: string) {
  expect(r.statusCode, `${what}: ${r.body}`).toBeLessThan(500);
  expect(Object.keys(allowed).map(Number), `${what}: ${r.body}`).toContain(r.statusCode);
  const names = allowed[r.statusCode];
  if (names) expect(names, `${what}: ${r.body}`).toContain((r.json() as { name: string }).name);
}

const ANSWERED = { 409: ['transferAlreadyProcessed', 'transferConsentRequired'] };

async function apply(w: World, o: Op): Promise<void> {
  const pick = <T>(xs: T[], k: number) => (xs.length ? xs[k % xs.length] : undefined);
  const open = w.transfers.filter((x) => w.open.has(x.id));
  const tr = 'k' in o ? pick(open.length ? open : w.transfers, o.k) : undefined;
  /** Follows what an answer says of the request's status. */
  const track = (r: Res) => {
    if (!tr || r.statusCode >= 500) return;
    const body = r.json() as { status?: string; data?: { status?: string }[] };
    const status = r.statusCode < 300 ? body.status : body.data?.[0]?.status;
    if (status && status !== 'pending') w.open.delete(tr.id);
  };
  const who = (partnerId: string) => w.partners.find((p) => p.partnerId === partnerId)!;
  const cust = (i: number) => w.customers[i]!;
  switch (o.kind) {
    case 'create': {
      const target = w.partners[o.target]!;
      const customer = cust(o.customer);
      const list = await api.eligibility(target.token, customer.id, '?eligibleOnly=true');
      expectOneOf(list, { 200: null }, 'eligibility');
      const items = (list.json() as { items: { subscriptionId: string; partnerIdOnRecord: string }[] }).items;
      const sources = [...new Set(items.map((i) => i.partnerIdOnRecord))];
      const source = pick(sources, o.source);
      if (!source) {
        // Nothing to take: allEligible from anyone else is a 409.
        const other = w.partners.find((p) => p !== target)!;
        const r = await api.create(target.token, customer.id, {
          allEligible: true,
          sourcePartnerTenantId: other.partnerId,
        });
        expectOneOf(r, { 409: ['transferNotEligible'] }, 'create none');
        return;
      }
      const mine = items.filter((i) => i.partnerIdOnRecord === source);
      const chosen = mine.filter((_, i) => o.mask & (1 << (i % 8)));
      const body =
        o.all || chosen.length === 0
          ? { allEligible: true, sourcePartnerTenantId: source }
          : { subscriptionIds: chosen.map((c) => c.subscriptionId) };
      const r = await api.create(target.token, customer.id, body);
      expectOneOf(r, { 201: null }, `create ${JSON.stringify(body)}`);
      w.transfers.push({
        id: (r.json() as { id: string }).id,
        customer: o.customer,
        source,
        target: target.partnerId,
      });
      return;
    }
    case 'consent':
    case 'decline': {
      if (!tr) return;
      const token = cust(tr.customer).token;
      const r = o.kind === 'consent' ? await api.consent(token, tr.id) : await api.decline(token, tr.id);
      expectOneOf(r, { 200: null, 409: ['transferAlreadyProcessed'] }, o.kind);
      if (r.statusCode === 409 || o.kind === 'decline') w.open.delete(tr.id);
      return;
    }
    case 'accept': {
      if (!tr) return;
      if (o.consent) {
        const c = await api.consent(cust(tr.customer).token, tr.id);
        expectOneOf(c, { 200: null, 409: ['transferAlreadyProcessed'] }, 'consent');
      }
      const current = await api.get(who(tr.source).token, cust(tr.customer).id, tr.id);
      expectOneOf(current, { 200: null }, 'get');
      const lines = (current.json() as { lineItems: { subscriptionId: string }[] }).lineItems;
      const chosen = lines.filter((_, i) => o.mask & (1 << (i % 8))).map((l) => l.subscriptionId);
      const body = o.partial && chosen.length ? { subscriptionIds: chosen } : {};
      const r = await api.accept(who(tr.source).token, cust(tr.customer).id, tr.id, body);
      expectOneOf(r, { 202: null, ...ANSWERED }, 'accept');
      track(r);
      if (r.statusCode === 202 && o.suspend !== null) {
        const s = pick(
          chosen.length && body.subscriptionIds ? chosen : lines.map((l) => l.subscriptionId),
          o.suspend,
        )!;
        await sql`update subscriptions set status = 'suspended', suspended_at = now(),
                    deletion_due_at = now() + interval '90 days', updated_at = now()
                   where id = ${s} and status = 'active'`.execute(t.store.owner);
      }
      return;
    }
    case 'reject': {
      if (!tr) return;
      const r = await api.reject(who(tr.source).token, cust(tr.customer).id, tr.id, 'No.');
      expectOneOf(r, { 200: null, 409: ['transferAlreadyProcessed'] }, 'reject');
      track(r);
      return;
    }
    case 'cancel': {
      if (!tr) return;
      const r = await api.cancel(who(tr.target).token, cust(tr.customer).id, tr.id);
      expectOneOf(r, { 200: null, 409: ['transferAlreadyProcessed'] }, 'cancel');
      track(r);
      return;
    }
    case 'race': {
      if (!tr) return;
      const c = cust(tr.customer).id;
      const second =
        o.other === 'accept'
          ? api.accept(who(tr.source).token, c, tr.id)
          : o.other === 'reject'
            ? api.reject(who(tr.source).token, c, tr.id, 'Raced.')
            : api.cancel(who(tr.target).token, c, tr.id);
      const [a, b] = await Promise.all([api.accept(who(tr.source).token, c, tr.id), second]);
      expectOneOf(a, { 202: null, ...ANSWERED }, 'race accept');
      expectOneOf(b, { 200: null, 202: null, ...ANSWERED }, `race ${o.other}`);
      track(a);
      track(b);
      // Never both.
      expect([a, b].filter((r) => r.statusCode < 300).length, `${a.body} ${b.body}`).toBeLessThanOrEqual(1);
      return;
    }
    case 'suspend': {
      // A billing hold behind everyone's back: a line of it in an accepted request fails at completion.
      const live = await t.store.owner
        .selectFrom('subscriptions')
        .select('id')
        .where('customer_id', '=', cust(o.customer).id)
        .where('status', '=', 'active')
        .orderBy('id')
        .execute();
      const s = pick(live, o.pick);
      if (!s) return;
      await sql`update subscriptions set status = 'suspended', suspended_at = now(),
                  deletion_due_at = now() + interval '90 days', updated_at = now() where id = ${s.id}`.execute(
        t.store.owner,
      );
      return;
    }
    case 'drain':
      await drain();
      return;
    case 'age':
      clock.advance(o.days * DAY);
      await expireTransfers(t.store.owner, clock.now());
      return;
  }
}

interface LineView {
  azureSubscriptionId: string;
  status: string;
  completedTime: string | null;
  newSubscriptionId: string | null;
}

/** What the run's requests say, read through the API by their targets: who each Azure subscription is with. */
async function expectedOwners(w: World): Promise<Map<string, string>> {
  const owners = new Map(w.initial);
  const moves: { azure: string; to: string; at: string }[] = [];
  for (const x of w.transfers) {
    const target = w.partners.find((p) => p.partnerId === x.target)!;
    const r = await api.get(target.token, w.customers[x.customer]!.id, x.id);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as {
      status: string;
      customerConsent: { status: string };
      lineItems: LineView[];
      timeline: { event: string }[];
    };
    // The job has finished: nothing is left in progress, nothing accepted but not done.
    expect(['inProgress'], JSON.stringify(body)).not.toContain(body.status);
    expect(body.lineItems.map((l) => l.status)).not.toContain('accepted');
    const completed = body.lineItems.filter((l) => l.status === 'completed');
    if (completed.length) {
      expect(body.customerConsent.status).toBe('given');
      const events = body.timeline.map((e) => e.event);
      expect(events.indexOf('consented')).toBeLessThan(events.indexOf('accepted'));
      expect(['completed', 'partiallyCompleted']).toContain(body.status);
    }
    for (const l of completed)
      moves.push({ azure: l.azureSubscriptionId, to: x.target, at: l.completedTime! });
  }
  moves.sort((a, b) => a.at.localeCompare(b.at));
  for (const m of moves) owners.set(m.azure, m.to);
  return owners;
}

describe('a subscription has exactly one partner of record, whatever happens', () => {
  it('after generated runs of requests, answers, races, failures, the job and expiry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 40, maxLength: 80, size: 'max' }), async (steps) => {
        const w = await makeWorld();
        // Some steps run while the job works: its transactions interleave with the request's.
        for (const [o, withJob] of steps)
          if (withJob) await Promise.all([apply(w, o), drain()]);
          else await apply(w, o);
        await drain();
        expect(await checkPartnerOfRecord(t.store)).toEqual({
          liveCounts: [],
          brokenLinks: [],
          brokenBacklinks: [],
        });

        // No subscription has zero or two partners of record: one live row per Azure id of the run, with the
        // partner the requests say.
        const owners = await expectedOwners(w);
        const live = await t.store.owner
          .selectFrom('subscriptions')
          .select(['azure_subscription_id', 'partner_id'])
          .where(
            'customer_id',
            'in',
            w.customers.map((c) => c.id),
          )
          .where('status', 'not in', ['transferred', 'deleted'])
          .execute();
        expect(live).toHaveLength(w.initial.size);
        for (const row of live)
          expect(row.partner_id, row.azure_subscription_id!).toBe(owners.get(row.azure_subscription_id!));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // And over the whole database at the end: a single query over all subscriptions.
    const whole = await sql<{ bad: number }>`
      select count(*)::int as bad from (
        select azure_subscription_id from subscriptions where azure_subscription_id is not null
         group by azure_subscription_id
        having count(*) filter (where status not in ('transferred', 'deleted')) <> 1
            or count(distinct partner_id) filter (where status not in ('transferred', 'deleted')) <> 1
      ) x`.execute(t.store.owner);
    expect(whole.rows[0]!.bad).toBe(0);

    // The runs did reach what they are about: subscriptions moved, more than once for some, lines failed.
    const reached = await sql<{ moved: number; chains: number; failed: number; closed: number }>`
      select (select count(*)::int from subscriptions where status = 'transferred') as moved,
             (select count(*)::int from subscriptions
               where transferred_from_subscription_id is not null and status = 'transferred') as chains,
             (select count(*)::int from transfer_line_items where status = 'failed') as failed,
             (select count(distinct status)::int from transfers where status not in ('pending', 'inProgress')) as closed
      `.execute(t.store.owner);
    const r = reached.rows[0]!;
    expect(r.moved, JSON.stringify(r)).toBeGreaterThan(0);
    expect(r.closed, JSON.stringify(r)).toBeGreaterThanOrEqual(3);
  }, 600_000);
});
