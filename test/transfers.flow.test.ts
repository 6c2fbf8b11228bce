// A transfer from start to end: the target partner asks for a customer's Azure plan subscription, the customer
// consents, the source accepts, and the transfer job moves it. The target then has it under a new billing id
// with the same Azure id; the source no longer lists it among its live subscriptions but finds it, read-only,
// with status=transferred; both partners' activity logs and the request's timeline tell what happened.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransferWorker } from '../src/modules/transfers/transfers.worker.ts';
import type { TransferWorker } from '../src/modules/transfers/transfers.worker.ts';
import { runMaintenance } from '../src/jobs/maintenance.jobs.ts';
import type { TestApp } from './helpers/app.ts';
import { createTestApp, injectAs, testClock } from './helpers/app.ts';
import type { TestUser } from './helpers/factories.ts';
import { createPartnerWithAdmin, issueToken } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertReadyCustomer, insertSubscription, insertTestCatalog } from './helpers/offers.ts';
import { insertRelationship } from './helpers/relationships.ts';

const clock = testClock(new Date('2027-04-01T09:00:00Z'));
const DAY = 86_400_000;
let t: TestApp;
let cat: TestCatalog;
let worker: TransferWorker;

beforeAll(async () => {
  t = await createTestApp({ clock, transferWorker: false });
  cat = await insertTestCatalog(t.store);
  worker = createTransferWorker({ owner: t.store.owner, clock });
});
afterAll(() => t.close());

/** Two partners and a customer of the source that the target is related to as well. */
async function scene() {
  const source = (await createPartnerWithAdmin(t.store, { name: `Source ${randomUUID().slice(0, 6)}` }))
    .admin;
  const target = (await createPartnerWithAdmin(t.store, { name: `Target ${randomUUID().slice(0, 6)}` }))
    .admin;
  const customer = await insertReadyCustomer(t.store, source.partnerId);
  await insertRelationship(t.store, target.partnerId, customer.id);
  const azureId = randomUUID();
  const { subscriptionId } = await insertSubscription(t.store, source.partnerId, customer.id, cat.azurePlan);
  await t.store.owner
    .updateTable('subscriptions')
    .set({ azure_subscription_id: azureId })
    .where('id', '=', subscriptionId)
    .execute();
  // Not movable: a licence-based one, which stays with the source.
  const licence = await insertSubscription(t.store, source.partnerId, customer.id, cat.suite);
  return { source, target, customer, azureId, subscriptionId, licenceId: licence.subscriptionId };
}

const consent = (transferId: string) =>
  t.store.owner
    .updateTable('transfers')
    .set({ customer_consent: 'given', consented_at: clock.now(), consented_by: 'admin@customer.example' })
    .where('id', '=', transferId)
    .execute();

async function actions(partnerId: string, transferId: string) {
  const rows = await t.store.owner
    .selectFrom('activity_records')
    .select(['action', 'status', 'details'])
    .where('partner_id', '=', partnerId)
    .where('resource_id', '=', transferId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('a transfer request from creation to completion', () => {
  it('moves the subscription to the target under a new billing id, keeping its Azure id', async () => {
    const s = await scene();
    const as = (u: TestUser) => (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      injectAs(t.app, u.token, method, url, payload === undefined ? {} : { payload });
    const target = as(s.target);
    const source = as(s.source);
    const base = `/v1/customers/${s.customer.id}`;

    // The target sees what could move to it, and why the licence-based one cannot.
    const eligibility = await target('GET', `${base}/transferseligibility`);
    expect(eligibility.statusCode).toBe(200);
    const items = eligibility.json().items as {
      subscriptionId: string;
      isEligible: boolean;
      reason: string;
    }[];
    expect(items.find((i) => i.subscriptionId === s.subscriptionId)).toMatchObject({
      isEligible: true,
      reason: null,
    });
    expect(items.find((i) => i.subscriptionId === s.licenceId)).toMatchObject({
      isEligible: false,
      reason: 'notAzureUsage',
    });

    const created = await target('POST', `${base}/transfers`, {
      subscriptionIds: [s.subscriptionId],
      note: 'Moving to us as agreed',
    });
    expect(created.statusCode).toBe(201);
    const transfer = created.json();
    expect(created.headers.location).toBe(`${base}/transfers/${transfer.id}`);
    expect(transfer).toMatchObject({
      status: 'pending',
      direction: 'sent',
      sourcePartnerTenantId: s.source.partnerId,
      targetPartnerTenantId: s.target.partnerId,
      customerName: s.customer.name,
      note: 'Moving to us as agreed',
      customerConsent: { status: 'pending', url: `${t.config.publicUrl}/portal/transfers/${transfer.id}` },
      expiresAt: new Date(clock.now().getTime() + 30 * DAY).toISOString(),
      lineItems: [
        { id: 1, subscriptionId: s.subscriptionId, azureSubscriptionId: s.azureId, status: 'pending' },
      ],
    });

    // The source sees it as received; it cannot accept before the customer consents.
    const received = await source('GET', `/v1/transfers?direction=received`);
    expect(received.json().items.map((i: { id: string }) => i.id)).toEqual([transfer.id]);
    expect((await source('GET', '/v1/transfers/summary')).json()).toMatchObject({
      receivedPending: 1,
      receivedAwaitingConsent: 1,
    });
    const early = await source('POST', `${base}/transfers/${transfer.id}/accept`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().name).toBe('transferConsentRequired');

    await consent(transfer.id);
    clock.advance(60_000);
    // No body at all (as `curl -X POST` sends): every line item.
    const accepted = await source('POST', `${base}/transfers/${transfer.id}/accept`);
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json()).toMatchObject({
      status: 'inProgress',
      direction: 'received',
      progress: { total: 1, completed: 0, failed: 0, percent: 0 },
      lineItems: [{ status: 'accepted', newSubscriptionId: null }],
    });
    // While it is being moved, the source cannot change it.
    const renamed = await injectAs(
      t.app,
      s.source.token,
      'PATCH',
      `${base}/subscriptions/${s.subscriptionId}`,
      {
        payload: { friendlyName: 'Renamed' },
      },
    );
    expect(renamed.statusCode).toBe(409);
    expect(renamed.json().name).toBe('subscriptionTransferInProgress');
    // Nor can the target withdraw it any more.
    const cancel = await target('POST', `${base}/transfers/${transfer.id}/cancel`);
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({
      name: 'transferAlreadyProcessed',
      data: [{ status: 'inProgress' }],
    });

    clock.advance(60_000);
    expect(await worker.drain()).toBe(1);
    expect(await worker.drain()).toBe(0);

    // The target's view: completed, with the new billing id.
    const done = (await target('GET', `${base}/transfers/${transfer.id}`)).json();
    expect(done).toMatchObject({
      status: 'completed',
      completedTime: clock.now().toISOString(),
      progress: { total: 1, completed: 1, failed: 0, percent: 100 },
    });
    const newId = done.lineItems[0].newSubscriptionId as string;
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
    expect(newId).not.toBe(s.subscriptionId);
    expect(done.timeline.map((e: { event: string }) => e.event)).toEqual([
      'created',
      'accepted',
      'lineCompleted',
      'completed',
    ]);
    expect(done.timeline[0].actor).toEqual({ side: 'target', name: s.target.userName });
    expect(done.timeline[1].actor).toEqual({ side: 'source', name: s.source.userName });

    // The target has the subscription: new billing id, same Azure id, linked to the source's.
    const mine = await target('GET', `${base}/subscriptions`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toEqual([
      expect.objectContaining({
        id: newId,
        status: 'active',
        partnerId: s.target.partnerId,
        azureSubscriptionId: s.azureId,
        transferId: transfer.id,
        transferredFromSubscriptionId: s.subscriptionId,
        creationDate: clock.now().toISOString(),
      }),
    ]);

    // The source: gone from its live list, kept as transferred history, read-only.
    const live = (await source('GET', `${base}/subscriptions`)).json();
    expect(live.items.map((i: { id: string }) => i.id)).toEqual([s.licenceId]);
    const history = (await source('GET', `${base}/subscriptions?status=transferred`)).json();
    expect(history.items).toEqual([
      expect.objectContaining({
        id: s.subscriptionId,
        status: 'transferred',
        azureSubscriptionId: s.azureId,
        transferredAt: clock.now().toISOString(),
        transferId: transfer.id,
      }),
    ]);
    const frozen = await injectAs(
      t.app,
      s.source.token,
      'PATCH',
      `${base}/subscriptions/${s.subscriptionId}`,
      {
        payload: { friendlyName: 'Renamed' },
      },
    );
    expect(frozen.statusCode).toBe(409);
    expect(frozen.json().name).toBe('subscriptionTransferred');
    // The source's copy of the request never shows the target's new billing id.
    const sourceView = (await source('GET', `/v1/transfers/${transfer.id}`)).json();
    expect(sourceView).toMatchObject({ status: 'completed', direction: 'received' });
    expect(sourceView.lineItems[0]).toMatchObject({ status: 'completed', newSubscriptionId: null });

    // Both partners' activity logs tell the story.
    const story = [
      'transfer.create',
      'transfer.accept',
      'transfer.subscriptionTransferred',
      'transfer.complete',
    ];
    expect(await actions(s.target.partnerId, transfer.id)).toEqual(story);
    expect(await actions(s.source.partnerId, transfer.id)).toEqual(story);

    // Exactly one live row carries the Azure id, and it is the target's.
    const rows = await t.store.owner
      .selectFrom('subscriptions')
      .select(['id', 'partner_id', 'status'])
      .where('azure_subscription_id', '=', s.azureId)
      .orderBy('creation_date')
      .execute();
    expect(rows).toEqual([
      { id: s.subscriptionId, partner_id: s.source.partnerId, status: 'transferred' },
      { id: newId, partner_id: s.target.partnerId, status: 'active' },
    ]);
  });

  it('expires a request left unanswered for 30 days', async () => {
    const s = await scene();
    const base = `/v1/customers/${s.customer.id}`;
    const created = await injectAs(t.app, s.target.token, 'POST', `${base}/transfers`, {
      payload: { allEligible: true, sourcePartnerTenantId: s.source.partnerId },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(created.json().lineItems.map((l: { subscriptionId: string }) => l.subscriptionId)).toEqual([
      s.subscriptionId,
    ]);

    clock.advance(30 * DAY);
    const purged = await runMaintenance(t.store.owner, clock.now());
    expect(purged.expiredTransfers).toBeGreaterThanOrEqual(1);
    // The job's clock, a month on, also purged the test's sessions.
    s.target.token = await issueToken(t.store, s.target.partnerId, s.target.id);
    const after = (await injectAs(t.app, s.target.token, 'GET', `${base}/transfers/${id}`)).json();
    expect(after).toMatchObject({ status: 'expired', lineItems: [{ status: 'expired' }] });
    expect(after.timeline.at(-1)).toMatchObject({ event: 'expired', actor: { side: 'system' } });
    expect(await actions(s.source.partnerId, id)).toEqual(['transfer.create', 'transfer.expire']);
    // The subscription can be asked for again.
    const again = await injectAs(
      t.app,
      s.target.token,
      'GET',
      `${base}/transferseligibility?eligibleOnly=true`,
    );
    expect(again.json().items.map((i: { subscriptionId: string }) => i.subscriptionId)).toEqual([
      s.subscriptionId,
    ]);
  });

  it('shows a request past its 30 days as expired before the job has run, and refuses to answer it', async () => {
    const s = await scene();
    const base = `/v1/customers/${s.customer.id}`;
    const created = await injectAs(t.app, s.target.token, 'POST', `${base}/transfers`, {
      payload: { subscriptionIds: [s.subscriptionId] },
    });
    const id = created.json().id as string;
    await consent(id);
    clock.advance(30 * DAY - 1000);
    expect((await injectAs(t.app, s.source.token, 'GET', `/v1/transfers/${id}`)).json().status).toBe(
      'pending',
    );
    clock.advance(1000);
    const seen = (await injectAs(t.app, s.source.token, 'GET', `/v1/transfers/${id}`)).json();
    expect(seen).toMatchObject({ status: 'expired', lineItems: [{ status: 'expired' }] });
    const accept = await injectAs(t.app, s.source.token, 'POST', `${base}/transfers/${id}/accept`, {
      payload: {},
    });
    expect(accept.statusCode).toBe(409);
    expect(accept.json()).toMatchObject({ name: 'transferAlreadyProcessed', data: [{ status: 'expired' }] });
    const pending = await injectAs(
      t.app,
      s.source.token,
      'GET',
      `/v1/transfers?status=pending&customerId=${s.customer.id}`,
    );
    expect(pending.json().totalCount).toBe(0);
    const expired = await injectAs(
      t.app,
      s.source.token,
      'GET',
      `/v1/transfers?status=expired&customerId=${s.customer.id}`,
    );
    expect(expired.json().items.map((i: { id: string }) => i.id)).toEqual([id]);

    // Its subscription may be asked for again at once, without waiting for the job.
    const eligible = await injectAs(t.app, s.target.token, 'GET', `${base}/transferseligibility`);
    expect(eligible.json().items.find((i: { id: string }) => i.id === s.subscriptionId)).toMatchObject({
      isEligible: true,
      reason: null,
    });
    const again = await injectAs(t.app, s.target.token, 'POST', `${base}/transfers`, {
      payload: { subscriptionIds: [s.subscriptionId] },
    });
    expect(again.statusCode).toBe(201);
    const closed = await t.store.owner
      .selectFrom('transfers')
      .select(['status', 'closed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(closed.status).toBe('expired');
  });

  it('is rejected by the source with a reason, which the target reads', async () => {
    const s = await scene();
    const base = `/v1/customers/${s.customer.id}`;
    const id = (
      await injectAs(t.app, s.target.token, 'POST', `${base}/transfers`, {
        payload: { subscriptionIds: [s.subscriptionId] },
      })
    ).json().id as string;
    // Only the source answers; only the target withdraws.
    const wrong = await injectAs(t.app, s.target.token, 'POST', `${base}/transfers/${id}/reject`, {
      payload: { reason: 'no' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().name).toBe('transferWrongParty');
    expect(
      (await injectAs(t.app, s.source.token, 'POST', `${base}/transfers/${id}/cancel`)).json().name,
    ).toBe('transferWrongParty');
    const rejected = await injectAs(t.app, s.source.token, 'POST', `${base}/transfers/${id}/reject`, {
      payload: { reason: 'The customer stays with us until the term ends' },
    });
    expect(rejected.statusCode).toBe(200);
    const seen = (await injectAs(t.app, s.target.token, 'GET', `${base}/transfers/${id}`)).json();
    expect(seen).toMatchObject({
      status: 'rejected',
      rejection: { by: 'source', reason: 'The customer stays with us until the term ends' },
      lineItems: [{ status: 'rejected' }],
    });
    expect(seen.timeline.map((e: { event: string }) => e.event)).toEqual(['created', 'rejected']);
    const again = await injectAs(t.app, s.target.token, 'POST', `${base}/transfers/${id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ name: 'transferAlreadyProcessed', data: [{ status: 'rejected' }] });
    expect(await actions(s.target.partnerId, id)).toEqual(['transfer.create', 'transfer.reject']);
  });

  it('blocks removing either partner’s relationship while open', async () => {
    const s = await scene();
    const base = `/v1/customers/${s.customer.id}`;
    const id = (
      await injectAs(t.app, s.target.token, 'POST', `${base}/transfers`, {
        payload: { subscriptionIds: [s.subscriptionId] },
      })
    ).json().id as string;
    const check = await injectAs(t.app, s.target.token, 'GET', `${base}/relationship/removal-check`);
    expect(check.json().blockers).toContainEqual(
      expect.objectContaining({ code: 'transferInFlight', resourceId: id }),
    );
    await injectAs(t.app, s.target.token, 'POST', `${base}/transfers/${id}/cancel`);
    const cleared = await injectAs(t.app, s.target.token, 'GET', `${base}/relationship/removal-check`);
    expect(cleared.json()).toMatchObject({ canRemove: true, blockers: [] });
  });

  it('completes what it can: a line no longer eligible fails, the request is partially completed', async () => {
    const s = await scene();
    const base = `/v1/customers/${s.customer.id}`;
    const second = await insertSubscription(t.store, s.source.partnerId, s.customer.id, cat.azure);
    const third = await insertSubscription(t.store, s.source.partnerId, s.customer.id, cat.azure);
    const id = (
      await injectAs(t.app, s.target.token, 'POST', `${base}/transfers`, {
        payload: { allEligible: true, sourcePartnerTenantId: s.source.partnerId },
      })
    ).json().id as string;
    await consent(id);
    // Suspended since the request: it fails at acceptance with its reason. The third is left out.
    await injectAs(t.app, s.source.token, 'PATCH', `${base}/subscriptions/${second.subscriptionId}`, {
      payload: { status: 'suspended' },
    });
    const accepted = await injectAs(t.app, s.source.token, 'POST', `${base}/transfers/${id}/accept`, {
      payload: { subscriptionIds: [s.subscriptionId, second.subscriptionId] },
    });
    expect(accepted.statusCode).toBe(202);
    const byId = (v: { lineItems: { subscriptionId: string; status: string }[] }, sub: string) =>
      v.lineItems.find((l) => l.subscriptionId === sub);
    expect(byId(accepted.json(), second.subscriptionId)).toMatchObject({
      status: 'failed',
      transferError: { code: 'subscriptionNotActive' },
    });
    expect(byId(accepted.json(), third.subscriptionId)!.status).toBe('notAccepted');

    // A crash while moving the first line rolls it back; the next worker (after the lease) does it once.
    const crashing = createTransferWorker({
      owner: t.store.owner,
      clock,
      afterLineWrites: () => {
        throw new Error('killed');
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('killed');
    expect(
      byId((await injectAs(t.app, s.source.token, 'GET', `/v1/transfers/${id}`)).json(), s.subscriptionId)!
        .status,
    ).toBe('accepted');
    expect(await worker.drain()).toBe(0); // the lease is still the crashed worker's
    clock.advance(61_000);
    expect(await worker.drain()).toBe(1);
    const done = (await injectAs(t.app, s.target.token, 'GET', `/v1/transfers/${id}`)).json();
    expect(done).toMatchObject({
      status: 'partiallyCompleted',
      progress: { total: 2, completed: 1, failed: 1, percent: 100 },
    });
    expect(byId(done, s.subscriptionId)).toMatchObject({
      status: 'completed',
      partnerIdOnRecord: s.target.partnerId,
    });
    const moved = await t.store.owner
      .selectFrom('subscriptions')
      .select(['partner_id', 'status'])
      .where('transferred_from_subscription_id', '=', s.subscriptionId)
      .execute();
    expect(moved).toEqual([{ partner_id: s.target.partnerId, status: 'active' }]);
    expect(await actions(s.source.partnerId, id)).toEqual([
      'transfer.create',
      'transfer.accept',
      'transfer.subscriptionFailed',
      'transfer.subscriptionTransferred',
      'transfer.complete',
    ]);
  });

  it('answers two accepts at once with one winner, and two workers move each line once', async () => {
    const s = await scene();
    const base = `/v1/customers/${s.customer.id}`;
    const more = await Promise.all(
      [1, 2, 3].map(() => insertSubscription(t.store, s.source.partnerId, s.customer.id, cat.azure)),
    );
    const id = (
      await injectAs(t.app, s.target.token, 'POST', `${base}/transfers`, {
        payload: { allEligible: true, sourcePartnerTenantId: s.source.partnerId },
      })
    ).json().id as string;
    await consent(id);
    const answers = await Promise.all([
      injectAs(t.app, s.source.token, 'POST', `${base}/transfers/${id}/accept`, { payload: {} }),
      injectAs(t.app, s.source.token, 'POST', `${base}/transfers/${id}/accept`, { payload: {} }),
      injectAs(t.app, s.source.token, 'POST', `${base}/transfers/${id}/reject`, {
        payload: { reason: 'no' },
      }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409))
      expect(a.json()).toMatchObject({ name: 'transferAlreadyProcessed', data: [{ status: 'inProgress' }] });

    const other = createTransferWorker({ owner: t.store.owner, clock });
    await Promise.all([worker.drain(), other.drain()]);
    const done = (await injectAs(t.app, s.target.token, 'GET', `/v1/transfers/${id}`)).json();
    expect(done).toMatchObject({ status: 'completed', progress: { total: 4, completed: 4 } });
    const ids = [s.subscriptionId, ...more.map((m) => m.subscriptionId)];
    const rows = await t.store.owner
      .selectFrom('subscriptions')
      .select(['transferred_from_subscription_id as from', 'partner_id'])
      .where('transferred_from_subscription_id', 'in', ids)
      .execute();
    expect(rows.map((r) => r.from).sort()).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.partner_id))).toEqual(new Set([s.target.partnerId]));
    // One order holds them, its lines numbered in turn.
    const orders = await t.store.owner
      .selectFrom('orders')
      .select(['id', 'line_items', 'created_by'])
      .where('created_by', '=', `transfer:${id}`)
      .execute();
    expect(orders).toHaveLength(1);
    expect(orders[0]!.line_items.map((l) => l.lineItemNumber)).toEqual([0, 1, 2, 3]);
  });

  it('fails a line the store refuses, with its reason, and still moves the others', async () => {
    const s = await scene();
    const base = `/v1/customers/${s.customer.id}`;
    const other = await insertSubscription(t.store, s.source.partnerId, s.customer.id, cat.azure);
    const id = (
      await injectAs(t.app, s.target.token, 'POST', `${base}/transfers`, {
        payload: { subscriptionIds: [s.subscriptionId, other.subscriptionId] },
      })
    ).json().id as string;
    await consent(id);
    expect(
      (await injectAs(t.app, s.source.token, 'POST', `${base}/transfers/${id}/accept`, { payload: {} }))
        .statusCode,
    ).toBe(202);
    // A constraint the data breaks, standing in for records that conflict with the move.
    const fn = `refuse_${s.subscriptionId.replace(/-/g, '')}`;
    await sql
      .raw(
        `create function ${fn}() returns trigger language plpgsql as $$
           begin raise exception 'conflicting records' using errcode = '23514'; end $$;
         create trigger ${fn} before update on subscriptions for each row
           when (old.id = '${s.subscriptionId}' and new.status = 'transferred') execute function ${fn}();`,
      )
      .execute(t.store.owner);
    try {
      expect(await worker.drain()).toBe(1);
    } finally {
      await sql.raw(`drop trigger ${fn} on subscriptions; drop function ${fn}();`).execute(t.store.owner);
    }
    const done = (await injectAs(t.app, s.target.token, 'GET', `/v1/transfers/${id}`)).json();
    expect(done.status).toBe('partiallyCompleted');
    expect(done.lineItems).toEqual([
      expect.objectContaining({
        subscriptionId: s.subscriptionId,
        status: 'failed',
        transferError: expect.objectContaining({ code: 'transferRefused' }),
        newSubscriptionId: null,
      }),
      expect.objectContaining({ subscriptionId: other.subscriptionId, status: 'completed' }),
    ]);
    // Nothing of the refused line was kept: the source still has it, live; the target has only the other.
    const live = (await injectAs(t.app, s.source.token, 'GET', `${base}/subscriptions`)).json();
    expect(live.items.map((i: { id: string }) => i.id)).toContain(s.subscriptionId);
    const target = (await injectAs(t.app, s.target.token, 'GET', `${base}/subscriptions`)).json();
    expect(
      target.items.map((i: { transferredFromSubscriptionId: string }) => i.transferredFromSubscriptionId),
    ).toEqual([other.subscriptionId]);
  });
});
