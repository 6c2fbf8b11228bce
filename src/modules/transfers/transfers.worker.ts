// The job that completes accepted transfer requests: durable, driven by the transfers table itself. A worker
// leases an inProgress request (or one whose lease lapsed: its process died) on the owner connection with FOR
// UPDATE SKIP LOCKED, then completes its accepted line items one per transaction: the request row is locked
// and the lease checked to be still this worker's, then the subscription row; the source's row is closed as
// `transferred` and the target's opened with a new billing id (the Azure id kept), the line item, the timeline
// and both partners' activity written in the same transaction. A kill at any moment rolls back at most the
// line in flight, which is still `accepted` and is done by whichever worker takes the request over; no line is
// completed twice. When no accepted line is left, the request closes (completed, partiallyCompleted, failed).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { OrderLineItem, TransferStatus } from '../../db/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import { recordAllAs } from '../activity/activity.record.ts';
import type { ActivityEntry } from '../activity/activity.record.ts';
import type { WorkerLog } from '../../jobs/polling.loop.ts';
import { createPollingLoop } from '../../jobs/polling.loop.ts';
import * as repo from './transfers.repository.ts';
import type { JobHead, LineRow } from './transfers.repository.ts';
import { SYSTEM_ACTOR, lineProblem } from './transfers.service.ts';

export interface TransferWorker {
  /** Starts the loop (returns at once). */
  start(): void;
  /** Finishes the line in flight, hands its request back, and stops. */
  stop(): Promise<void>;
  /** Something was accepted: look now rather than at the next poll. */
  poke(): void;
  /**
   * Takes one request whose lease is free and works it to its end (or until the lease is lost); answers
   * whether there was one. For tests and tools; the loop of start() does the same.
   */
  runOnce(): Promise<boolean>;
  /** runOnce until no request is left to take; answers how many were worked. */
  drain(): Promise<number>;
  /** This worker's lease owner name. */
  readonly id: string;
}

export interface TransferWorkerDeps {
  /** Completes requests of every partner, across both parties' rows. */
  owner: Db;
  clock: Clock;
  log?: WorkerLog;
  /** How long a claim holds without renewal (each line renews it). Default 60 s. */
  leaseSeconds?: number;
  /** How often an idle worker looks for work. Default 1 s. */
  pollMs?: number;
  /** Default: host, process and a random part. */
  workerId?: string;
  /**
   * Called inside a line's transaction after its writes, before commit: throwing rolls the line back, as a
   * crash there would (tests of exactly-once completion use it).
   */
  afterLineWrites?: (line: { transferId: string; lineNumber: number }) => Promise<void> | void;
}

/** A request whose worker died this many times is given up (a line that kills the process every time). */
const MAX_ATTEMPTS = 10;
const GAVE_UP = {
  code: 'transferGaveUp',
  description: 'Not transferred: completing it failed repeatedly; the subscription stays with its partner.',
};
const REFUSED = {
  code: 'transferRefused',
  description:
    'Not transferred: the subscription’s records conflict with the move (for example another live ' +
    'subscription with the same Azure id); it stays with its partner.',
};
const QUIET: WorkerLog = { info: () => undefined, error: () => undefined };

type Outcome = 'more' | 'done' | 'lost';

export function createTransferWorker(deps: TransferWorkerDeps): TransferWorker {
  const { owner, clock } = deps;
  const log = deps.log ?? QUIET;
  const leaseMs = (deps.leaseSeconds ?? 60) * 1000;
  const pollMs = deps.pollMs ?? 1000;
  const workerId = deps.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  const leaseFrom = (now: Date) => new Date(now.getTime() + leaseMs);

  function entries(head: JobHead, action: string, details: Record<string, unknown>, status?: 'failed') {
    return [head.source_partner_id, head.target_partner_id].map((partnerId) => ({
      partnerId,
      entry: {
        action,
        resourceType: 'Transfer',
        resourceId: head.id,
        customer: { id: head.customer_id, name: head.customer_name },
        ...(status ? { status } : {}),
        details,
      } satisfies ActivityEntry,
    }));
  }

  async function failLine(
    trx: Trx,
    head: JobHead,
    line: LineRow,
    problem: { code: string; description: string },
    now: Date,
  ) {
    await repo.failLine(trx, head.id, line.line_number, problem.code, problem.description);
    await repo.insertEvents(trx, [
      {
        transfer: head,
        at: now,
        event: 'lineFailed',
        actorKind: 'system',
        actorName: SYSTEM_ACTOR.name,
        actorSide: 'system',
        details: { lineNumber: line.line_number, subscriptionId: line.subscription_id, ...problem },
      },
    ]);
    await recordAllAs(
      trx,
      SYSTEM_ACTOR,
      entries(
        head,
        'transfer.subscriptionFailed',
        {
          subscription: line.friendly_name,
          subscriptionId: line.subscription_id,
          azureSubscriptionId: line.azure_subscription_id,
          code: problem.code,
          reason: problem.description,
        },
        'failed',
      ),
    );
    log.info(
      { transferId: head.id, lineNumber: line.line_number, code: problem.code },
      'transfer line failed',
    );
  }

  /** Moves one subscription from the source to the target. */
  async function completeLine(trx: Trx, head: JobHead, line: LineRow, now: Date): Promise<void> {
    const [sub] = await repo.lockSubscriptions(trx, [line.subscription_id]);
    // As accepting checked it: an active relationship, with a partner that is itself active.
    const targetRelated = await repo.partnerRelated(trx, head.customer_id, head.target_partner_id);
    const problem = lineProblem(sub, head, targetRelated);
    if (problem || !sub) return failLine(trx, head, line, problem!, now);

    const newId = randomUUID();
    let orderId = head.target_order_id;
    const item = (lineItemNumber: number): OrderLineItem => ({
      lineItemNumber,
      offerId: sub.offer_id,
      subscriptionId: newId,
      parentSubscriptionId: null,
      friendlyName: sub.friendly_name,
      quantity: sub.quantity,
      termDuration: sub.term,
      billingCycle: sub.billing_cycle,
    });
    let lineItemNumber = 0;
    if (orderId === null) {
      // The first completed line makes the target's order; later ones join it.
      orderId = randomUUID();
      await repo.insertOrder(
        trx,
        {
          id: orderId,
          partner_id: head.target_partner_id,
          customer_id: head.customer_id,
          currency: sub.currency,
          created_by: `transfer:${head.id}`,
          created_at: now,
        },
        item(0),
      );
      await repo.updateTransfer(trx, head.id, { target_order_id: orderId }, now);
    } else {
      lineItemNumber = await repo.nextOrderLine(trx, orderId);
      await repo.appendOrderLine(trx, orderId, item(lineItemNumber));
    }
    // The Azure id may be live on one row only (subscriptions_azure): open the new row without it, close the
    // old one, then give the new one the id.
    await repo.insertSubscription(trx, {
      id: newId,
      partner_id: head.target_partner_id,
      customer_id: head.customer_id,
      order_id: orderId,
      line_item_number: lineItemNumber,
      offer_id: sub.offer_id,
      offer_name: sub.offer_name,
      product_kind: sub.product_kind,
      billing_type: sub.billing_type,
      unit_type: sub.unit_type,
      friendly_name: sub.friendly_name,
      quantity: sub.quantity,
      term: sub.term,
      billing_cycle: sub.billing_cycle,
      auto_renew: sub.auto_renew,
      currency: sub.currency,
      unit_price: null,
      parent_subscription_id: null,
      azure_subscription_id: null,
      support_partner_id: null,
      creation_date: now,
      effective_start_date: now,
      commitment_end_date: null,
      suspended_at: null,
      deletion_due_at: null,
      cancelled_at: null,
      deleted_at: null,
      updated_at: now,
      transfer_id: head.id,
      transferred_from_subscription_id: sub.id,
    });
    await repo.closeTransferred(trx, sub.id, head.id, newId, now);
    await repo.setAzureId(trx, newId, sub.azure_subscription_id);
    await repo.completeLine(trx, head.id, line.line_number, newId, now);
    await repo.insertEvents(trx, [
      {
        transfer: head,
        at: now,
        event: 'lineCompleted',
        actorKind: 'system',
        actorName: SYSTEM_ACTOR.name,
        actorSide: 'system',
        details: {
          lineNumber: line.line_number,
          subscriptionId: sub.id,
          azureSubscriptionId: sub.azure_subscription_id,
        },
      },
    ]);
    const common = {
      subscription: sub.friendly_name,
      offerId: sub.offer_id,
      subscriptionId: sub.id,
      azureSubscriptionId: sub.azure_subscription_id,
      transferredAt: now.toISOString(),
    };
    const [forSource, forTarget] = entries(head, 'transfer.subscriptionTransferred', common);
    // The new billing id is the target's alone.
    forTarget!.entry.details = { ...common, newSubscriptionId: newId };
    await recordAllAs(trx, SYSTEM_ACTOR, [forSource!, forTarget!]);
    log.info(
      { transferId: head.id, lineNumber: line.line_number, newSubscriptionId: newId },
      'subscription transferred',
    );
  }

  /**
   * completeLine, or, when the store refuses its writes (a constraint the data breaks: say another live row
   * with the same Azure id), the line failed with the reason, so one bad line does not hold up the others.
   * Anything else (the store gone) propagates: the line stays accepted for the next attempt.
   */
  async function completeOrFail(trx: Trx, head: JobHead, line: LineRow, now: Date): Promise<void> {
    await sql`savepoint transfer_line`.execute(trx);
    try {
      await completeLine(trx, head, line, now);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('23')) throw err;
      await sql`rollback to savepoint transfer_line`.execute(trx);
      log.error(
        { err, transferId: head.id, lineNumber: line.line_number },
        'transfer line refused by the store',
      );
      await failLine(trx, head, line, REFUSED, now);
    }
  }

  /** No accepted line left: the request's final status from its lines. */
  async function close(trx: Trx, head: JobHead, now: Date): Promise<void> {
    const n = await repo.lineCounts(trx, head.id);
    const status: TransferStatus =
      n.completed === 0 ? 'failed' : n.failed > 0 || n.notAccepted > 0 ? 'partiallyCompleted' : 'completed';
    await repo.updateTransfer(
      trx,
      head.id,
      { status, closed_at: now, lease_owner: null, lease_until: null },
      now,
    );
    const details = { status, completed: n.completed, failed: n.failed, notAccepted: n.notAccepted };
    await repo.insertEvents(trx, [
      {
        transfer: head,
        at: now,
        event: status,
        actorKind: 'system',
        actorName: SYSTEM_ACTOR.name,
        actorSide: 'system',
        details,
      },
    ]);
    await recordAllAs(
      trx,
      SYSTEM_ACTOR,
      entries(head, 'transfer.complete', details, status === 'failed' ? 'failed' : undefined),
    );
    log.info({ transferId: head.id, ...details }, 'transfer finished');
  }

  /** One line (or the close) of one request, in one transaction. */
  function step(claimed: repo.Claimed): Promise<Outcome> {
    return owner.transaction().execute(async (trx) => {
      const now = clock.now();
      const head = await repo.lockForStep(trx, claimed.id);
      if (!head || head.status !== 'inProgress' || head.lease_owner !== workerId) return 'lost';
      await repo.renewLease(trx, head.id, leaseFrom(now));
      const line = await repo.nextAcceptedLine(trx, head.id);
      if (!line) {
        await close(trx, head, now);
        return 'done';
      }
      if (claimed.attempts > MAX_ATTEMPTS) await failLine(trx, head, line, GAVE_UP, now);
      else await completeOrFail(trx, head, line, now);
      await deps.afterLineWrites?.({ transferId: head.id, lineNumber: line.line_number });
      return 'more';
    });
  }

  async function work(claimed: repo.Claimed, keepGoing: () => boolean): Promise<void> {
    log.info({ transferId: claimed.id, attempt: claimed.attempts }, 'transfer completion started');
    for (;;) {
      if (!keepGoing()) {
        await repo.releaseLease(owner, claimed.id, workerId);
        return;
      }
      if ((await step(claimed)) !== 'more') return;
    }
  }

  async function runOnce(keepGoing: () => boolean = () => true): Promise<boolean> {
    const now = clock.now();
    const claimed = await repo.claimTransfer(owner, workerId, now, leaseFrom(now));
    if (!claimed) return false;
    await work(claimed, keepGoing);
    return true;
  }

  const loop = createPollingLoop({ pollMs, log, name: 'transfer worker', round: runOnce });

  return {
    id: workerId,
    start: loop.start,
    stop: loop.stop,
    poke: loop.poke,
    runOnce: () => runOnce(),
    async drain() {
      let n = 0;
      while (await runOnce()) n += 1;
      return n;
    },
  };
}
