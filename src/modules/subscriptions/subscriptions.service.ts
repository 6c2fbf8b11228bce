// Subscriptions (PRODUCT.md feature 9): a customer's subscriptions with filters and paging, changes guarded by
// ETag (quantity, friendly name, auto-renew), suspension and reactivation with their add-ons, cancellation of
// reservations and software, the designated support contact, the CSV export; the job that deletes suspended
// subscriptions 90 days after suspension; and what of them blocks removing a reseller relationship.
import type { Readable } from 'node:stream';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { SubscriptionStatus } from '../../db/schema.ts';
import { etagOf } from '../../http/etag.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import type { CsvCell } from '../../lib/csv.ts';
import { csvStream } from '../../lib/csv.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCursor, isCursorInstant, keysetRows, pageOf } from '../../lib/paging.ts';
import { record, recordAllAs } from '../activity/activity.record.ts';
import type { BlockerProvider } from '../relationships/relationships.service.ts';
import { beingTransferred } from '../transfers/transfers.blockers.ts';
import type { CustomerAccess, OrderCustomer } from './subscriptions.access.ts';
import { customerForRead, customerForWrite } from './subscriptions.access.ts';
import * as repo from './subscriptions.repository.ts';
import type { SubscriptionViewRow } from './subscriptions.repository.ts';

/** A suspended subscription is deleted this long after its suspension unless reactivated (PRODUCT.md). */
export const DELETION_DAYS = 90;
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SUBSCRIPTION_CSV_COLUMNS = ['Subscription ID', 'Subscription', 'Quantity', 'Status', 'Reseller'];
/** Reservations and software are cancelled, never suspended. */
const NOT_SUSPENDABLE = new Set(['reservation', 'software']);
const PARENT_SUSPENDED = 'parentSuspended';
const STATUS_LABEL: Record<SubscriptionStatus, string> = {
  active: 'Active',
  suspended: 'Suspended',
  deleted: 'Deleted',
  cancelled: 'Cancelled',
  transferred: 'Transferred',
};

/**
 * How many seats of a subscription are assigned to users as licenses. The licenses feature provides it; until
 * then there are no licenses and nothing to check, so the service runs without one.
 */
export type AssignedSeats = (trx: Trx, subscriptionId: string) => Promise<number>;

export interface SubscriptionView {
  id: string;
  customerId: string;
  offerId: string;
  offerName: string;
  friendlyName: string;
  quantity: number;
  unitType: string;
  status: SubscriptionStatus;
  productKind: SubscriptionViewRow['product_kind'];
  billingType: 'license' | 'usage';
  billingCycle: SubscriptionViewRow['billing_cycle'];
  termDuration: SubscriptionViewRow['term'];
  autoRenewEnabled: boolean;
  creationDate: string;
  effectiveStartDate: string;
  commitmentEndDate: string | null;
  partnerId: string;
  partnerName: string;
  orderId: string;
  parentSubscriptionId: string | null;
  isAddOn: boolean;
  suspensionReasons: string[];
  suspendedAt: string | null;
  deletionDate: string | null;
  cancellationDate: string | null;
  azureSubscriptionId: string | null;
  currency: string;
  unitPrice: number | null;
  cancellable: boolean;
  transferredAt: string | null;
  transferId: string | null;
  transferredFromSubscriptionId: string | null;
  attributes: { objectType: 'Subscription'; etag: string };
}

export interface SupportContactView {
  supportPartnerId: string;
  name: string;
  isPartnerOfRecord: boolean;
  attributes: { objectType: 'SupportContact' };
}

export interface SubscriptionFilters {
  status?: SubscriptionStatus;
  offerId?: string;
  orderId?: string;
}

export interface SubscriptionUpdate {
  quantity?: number;
  friendlyName?: string;
  autoRenewEnabled?: boolean;
  status?: 'active' | 'suspended';
  suspensionReasons?: string[];
  /** Other Subscription fields sent back with the whole resource: each must equal its current value. */
  readOnly?: Record<string, unknown>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Do a sent value and the current one agree (instants compared as instants, ids without case)? */
function sameValue(sent: unknown, current: unknown): boolean {
  if (typeof sent === 'string' && typeof current === 'string') {
    if (sent.toLowerCase() === current.toLowerCase()) return true;
    const a = Date.parse(sent);
    return /^\d{4}-\d{2}-\d{2}T/.test(sent) && !Number.isNaN(a) && a === Date.parse(current);
  }
  return JSON.stringify(sent) === JSON.stringify(current);
}

export function subscriptionView(row: SubscriptionViewRow): SubscriptionView {
  return {
    id: row.id,
    customerId: row.customer_id,
    offerId: row.offer_id,
    offerName: row.offer_name,
    friendlyName: row.friendly_name,
    quantity: row.quantity,
    unitType: row.unit_type,
    status: row.status,
    productKind: row.product_kind,
    billingType: row.billing_type,
    billingCycle: row.billing_cycle,
    termDuration: row.term,
    autoRenewEnabled: row.auto_renew,
    creationDate: row.creation_date.toISOString(),
    effectiveStartDate: row.effective_start_date.toISOString(),
    commitmentEndDate: iso(row.commitment_end_date),
    partnerId: row.partner_id,
    partnerName: row.partner_name,
    orderId: row.order_id,
    parentSubscriptionId: row.parent_subscription_id,
    isAddOn: row.parent_subscription_id !== null,
    suspensionReasons: row.suspension_reasons,
    suspendedAt: row.status === 'suspended' ? iso(row.suspended_at) : null,
    deletionDate: row.status === 'suspended' ? iso(row.deletion_due_at) : null,
    cancellationDate: iso(row.cancelled_at),
    azureSubscriptionId: row.azure_subscription_id,
    currency: row.currency,
    unitPrice: row.unit_price === null ? null : Number(row.unit_price),
    cancellable: row.cancellable,
    transferredAt: iso(row.transferred_at),
    transferId: row.transfer_id,
    transferredFromSubscriptionId: row.transferred_from_subscription_id,
    attributes: { objectType: 'Subscription', etag: etagOf(row.id, row.version) },
  };
}

export interface SubscriptionsService {
  list(
    ctx: CallerContext,
    customerId: string,
    filters: SubscriptionFilters,
    page: PageRequest,
  ): Promise<Page<SubscriptionView>>;
  get(ctx: CallerContext, customerId: string, subscriptionId: string): Promise<SubscriptionView>;
  /** `expectedVersion` from If-Match (optional): stale → 412 with the subscription as it is now. */
  update(
    ctx: CallerContext,
    customerId: string,
    subscriptionId: string,
    input: SubscriptionUpdate,
    expectedVersion: number | undefined,
  ): Promise<SubscriptionView>;
  cancel(
    ctx: CallerContext,
    customerId: string,
    subscriptionId: string,
    expectedVersion: number | undefined,
  ): Promise<SubscriptionView>;
  getSupportContact(
    ctx: CallerContext,
    customerId: string,
    subscriptionId: string,
  ): Promise<SupportContactView>;
  setSupportContact(
    ctx: CallerContext,
    customerId: string,
    subscriptionId: string,
    supportPartnerId: string,
  ): Promise<SupportContactView>;
  exportCsv(
    ctx: CallerContext,
    customerId: string,
    filters: Pick<SubscriptionFilters, 'status'>,
  ): Promise<{ filename: string; stream: Readable }>;
}

export function createSubscriptionsService(deps: {
  db: Db;
  clock: Clock;
  customers: CustomerAccess;
  /** Provided by the licenses feature; without it, no seat is assigned to anyone. */
  assignedSeats?: AssignedSeats;
}): SubscriptionsService {
  const { db, clock, customers, assignedSeats } = deps;

  const notFound = () => new AppError('subscriptionNotFound');

  async function read(trx: Trx, ctx: CallerContext, customerId: string, id: string) {
    const row = await repo.getSubscription(trx, ctx.partnerId, customerId, id);
    if (!row) throw notFound();
    return row;
  }

  /** The subscription locked for a change: 404, then 412 (with the current view) when If-Match is stale. */
  async function lockForChange(
    trx: Trx,
    ctx: CallerContext,
    customerId: string,
    id: string,
    expectedVersion: number | undefined,
  ): Promise<SubscriptionViewRow> {
    const row = await repo.lockSubscription(trx, ctx.partnerId, customerId, id);
    if (!row) throw notFound();
    // Moved to another partner: kept as history, never changed again.
    if (row.status === 'transferred') throw new AppError('subscriptionTransferred');
    // Being moved: the transfer job will lock it; until then nothing may change under it.
    if (await beingTransferred(trx, row.id)) throw new AppError('subscriptionTransferInProgress');
    if (expectedVersion !== undefined && row.version !== expectedVersion)
      throw new AppError('preconditionFailed', { data: [subscriptionView(row)] });
    return row;
  }

  async function write(
    trx: Trx,
    ctx: CallerContext,
    row: SubscriptionViewRow,
    change: repo.SubscriptionChange,
    now: Date,
  ) {
    if (!(await repo.updateSubscription(trx, ctx.partnerId, row.id, row.version, change, now)))
      throw new AppError('preconditionFailed', {
        data: [subscriptionView((await repo.getSubscription(trx, ctx.partnerId, row.customer_id, row.id))!)],
      });
  }

  function suspension(reasons: string[], now: Date): repo.SubscriptionChange {
    return {
      status: 'suspended',
      suspension_reasons: reasons,
      suspended_at: now,
      deletion_due_at: new Date(now.getTime() + DELETION_DAYS * DAY_MS),
    };
  }

  const reactivation: repo.SubscriptionChange = {
    status: 'active',
    suspension_reasons: [],
    suspended_at: null,
    deletion_due_at: null,
  };

  function activity(
    trx: Trx,
    ctx: CallerContext,
    customer: OrderCustomer,
    row: Pick<SubscriptionViewRow, 'id' | 'offer_id' | 'friendly_name'>,
    action: string,
    details: Record<string, unknown>,
  ) {
    return record(trx, ctx, {
      action,
      resourceType: 'Subscription',
      resourceId: row.id,
      customer: { id: customer.id, name: customer.name },
      details: { subscription: row.friendly_name, offerId: row.offer_id, ...details },
    });
  }

  /** Field-level problems of an update, against the subscription's offer. */
  function updateIssues(row: SubscriptionViewRow, input: SubscriptionUpdate): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const { readOnly = {}, ...writable } = input;
    if (
      Object.values(writable).every((v) => v === undefined) &&
      Object.values(readOnly).every((v) => v === undefined)
    )
      issues.push({
        field: 'body',
        reason: 'name at least one of quantity, friendlyName, autoRenewEnabled, status',
      });
    if (input.quantity !== undefined) {
      if (!Number.isInteger(input.quantity))
        issues.push({ field: 'quantity', reason: 'must be a whole number' });
      else if (row.billing_type === 'usage') {
        if (input.quantity !== 1)
          issues.push({ field: 'quantity', reason: 'is fixed at 1 for a usage-based subscription' });
      } else if (input.quantity < row.min_quantity || input.quantity > row.max_quantity)
        issues.push({
          field: 'quantity',
          reason: `must be from ${row.min_quantity} to ${row.max_quantity} for ${row.offer_id}`,
        });
    }
    if (input.friendlyName !== undefined) {
      const name = input.friendlyName.trim().replace(/\s+/g, ' ');
      if (name === '') issues.push({ field: 'friendlyName', reason: 'is required' });
      else if (name.length > 200)
        issues.push({
          field: 'friendlyName',
          reason: `must be at most 200 characters (it has ${name.length})`,
        });
    }
    if (input.autoRenewEnabled === true && row.term === null)
      issues.push({ field: 'autoRenewEnabled', reason: 'a subscription without a term does not renew' });
    const suspending =
      input.status === 'suspended' || (input.status === undefined && row.status === 'suspended');
    if (input.suspensionReasons !== undefined && input.suspensionReasons.length > 0 && !suspending)
      issues.push({ field: 'suspensionReasons', reason: 'is only for a suspended subscription' });
    const current = subscriptionView(row) as unknown as Record<string, unknown>;
    for (const [field, sent] of Object.entries(readOnly)) {
      // The ETag travels in If-Match; the body's copy of it is not compared.
      if (sent === undefined || field === 'attributes') continue;
      if (!sameValue(sent, current[field]))
        issues.push({ field, reason: 'is read-only: send it unchanged or leave it out' });
    }
    return issues;
  }

  return {
    list(ctx, customerId, filters, page) {
      const scope = {
        list: 'subscriptions',
        partnerId: ctx.partnerId,
        customerId: customerId.toLowerCase(),
        status: filters.status ?? null,
        offerId: filters.offerId ?? null,
        orderId: filters.orderId?.toLowerCase() ?? null,
      };
      const cursor = decodeCursor(page.cursor, scope, 3);
      let after: repo.SubscriptionPosition | undefined;
      if (cursor) {
        const [at, line, id] = cursor;
        if (
          !isCursorInstant(at, 6) ||
          !Number.isInteger(line) ||
          (line as number) < 0 ||
          (line as number) > 1000 ||
          typeof id !== 'string' ||
          !UUID.test(id)
        )
          throw new AppError('invalidContinuationToken');
        after = [at, line as number, id];
      }
      const query: repo.SubscriptionQuery = { partnerId: ctx.partnerId, customerId, ...filters };
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        return pageOf(
          page.size,
          scope,
          (limit) => repo.findSubscriptions(trx, query, after, limit),
          (row) => [row.position_at, row.line_item_number, row.id],
          subscriptionView,
          () => repo.countSubscriptions(trx, query),
        );
      });
    },

    get: (ctx, customerId, subscriptionId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        return subscriptionView(await read(trx, ctx, customerId, subscriptionId));
      }),

    update: (ctx, customerId, subscriptionId, input, expectedVersion) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await customerForWrite(customers, trx, ctx, customerId);
        const row = await lockForChange(trx, ctx, customerId, subscriptionId, expectedVersion);
        if (row.status === 'deleted' || row.status === 'cancelled') throw new AppError('subscriptionEnded');
        const issues = updateIssues(row, input);
        if (issues.length > 0) throw invalid(...issues);

        const now = clock.now();
        const suspend = input.status === 'suspended' && row.status !== 'suspended';
        const reactivate = input.status === 'active' && row.status === 'suspended';
        const quantityChanges = input.quantity !== undefined && input.quantity !== row.quantity;
        if (quantityChanges && (suspend || (row.status === 'suspended' && !reactivate)))
          throw new AppError('subscriptionSuspended');
        if (suspend && NOT_SUSPENDABLE.has(row.product_kind))
          throw new AppError('subscriptionNotSuspendable');
        if (reactivate && row.parent_subscription_id) {
          const parent = await repo.getSubscription(
            trx,
            ctx.partnerId,
            customerId,
            row.parent_subscription_id,
          );
          if (parent && parent.status !== 'active') throw new AppError('parentSubscriptionInactive');
        }
        if (quantityChanges && assignedSeats && input.quantity! < row.quantity) {
          const assigned = await assignedSeats(trx, row.id);
          if (input.quantity! < assigned)
            throw new AppError('quantityBelowAssigned', {
              details: [{ field: 'quantity', reason: `${assigned} seats are assigned to users` }],
            });
        }

        // The plain fields, with before/after of those that change.
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        const change: repo.SubscriptionChange = {};
        if (quantityChanges) {
          before.quantity = row.quantity;
          after.quantity = change.quantity = input.quantity!;
        }
        const friendlyName = input.friendlyName?.trim().replace(/\s+/g, ' ');
        if (friendlyName !== undefined && friendlyName !== row.friendly_name) {
          before.friendlyName = row.friendly_name;
          after.friendlyName = change.friendly_name = friendlyName;
        }
        if (input.autoRenewEnabled !== undefined && input.autoRenewEnabled !== row.auto_renew) {
          before.autoRenewEnabled = row.auto_renew;
          after.autoRenewEnabled = change.auto_renew = input.autoRenewEnabled;
        }
        // An empty list (what a whole active subscription sent back carries) names no reason.
        const reasons = input.suspensionReasons?.length ? [...new Set(input.suspensionReasons)] : undefined;
        // New reasons for a subscription that stays suspended.
        if (!suspend && !reactivate && reasons && row.status === 'suspended') {
          if (JSON.stringify(reasons) !== JSON.stringify(row.suspension_reasons)) {
            before.suspensionReasons = row.suspension_reasons;
            after.suspensionReasons = change.suspension_reasons = reasons;
          }
        }
        if (suspend) Object.assign(change, suspension(reasons ?? ['partnerInitiated'], now));
        if (reactivate) Object.assign(change, reactivation);
        if (Object.keys(change).length === 0) return subscriptionView(row);

        await write(trx, ctx, row, change, now);
        if (Object.keys(after).length > 0)
          await activity(trx, ctx, customer, row, 'subscription.update', { before, after });
        if (suspend) {
          await activity(trx, ctx, customer, row, 'subscription.suspend', {
            suspensionReasons: change.suspension_reasons,
            deletionDate: change.deletion_due_at!.toISOString(),
            before: { status: row.status },
            after: { status: 'suspended' },
          });
          // Its active add-ons go with it (not reservations or software, which cannot be suspended).
          for (const addOn of await repo.lockAddOns(trx, ctx.partnerId, row.id)) {
            if (addOn.status !== 'active' || NOT_SUSPENDABLE.has(addOn.product_kind)) continue;
            const addOnChange = suspension([PARENT_SUSPENDED], now);
            await write(trx, ctx, addOn, addOnChange, now);
            await activity(trx, ctx, customer, addOn, 'subscription.suspend', {
              suspensionReasons: [PARENT_SUSPENDED],
              parentSubscriptionId: row.id,
              deletionDate: addOnChange.deletion_due_at!.toISOString(),
              before: { status: 'active' },
              after: { status: 'suspended' },
            });
          }
        }
        if (reactivate) {
          await activity(trx, ctx, customer, row, 'subscription.reactivate', {
            before: {
              status: row.status,
              suspensionReasons: row.suspension_reasons,
              deletionDate: iso(row.deletion_due_at),
            },
            after: { status: 'active' },
          });
          // Add-ons suspended because it was come back with it; those suspended for their own reasons stay.
          for (const addOn of await repo.lockAddOns(trx, ctx.partnerId, row.id)) {
            if (addOn.status !== 'suspended' || !addOn.suspension_reasons.includes(PARENT_SUSPENDED))
              continue;
            await write(trx, ctx, addOn, reactivation, now);
            await activity(trx, ctx, customer, addOn, 'subscription.reactivate', {
              parentSubscriptionId: row.id,
              before: {
                status: 'suspended',
                suspensionReasons: addOn.suspension_reasons,
                deletionDate: iso(addOn.deletion_due_at),
              },
              after: { status: 'active' },
            });
          }
        }
        return subscriptionView((await repo.getSubscription(trx, ctx.partnerId, customerId, row.id))!);
      }),

    cancel: (ctx, customerId, subscriptionId, expectedVersion) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await customerForWrite(customers, trx, ctx, customerId);
        const row = await lockForChange(trx, ctx, customerId, subscriptionId, expectedVersion);
        if (row.status === 'deleted' || row.status === 'cancelled') throw new AppError('subscriptionEnded');
        if (!row.cancellable) throw new AppError('subscriptionNotCancellable');
        const now = clock.now();
        await write(
          trx,
          ctx,
          row,
          { status: 'cancelled', cancelled_at: now, suspended_at: null, deletion_due_at: null },
          now,
        );
        await activity(trx, ctx, customer, row, 'subscription.cancel', {
          before: { status: row.status },
          after: { status: 'cancelled' },
        });
        return subscriptionView((await repo.getSubscription(trx, ctx.partnerId, customerId, row.id))!);
      }),

    getSupportContact: (ctx, customerId, subscriptionId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        return supportContactView(trx, await read(trx, ctx, customerId, subscriptionId));
      }),

    setSupportContact: (ctx, customerId, subscriptionId, supportPartnerId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await customerForWrite(customers, trx, ctx, customerId);
        const row = await lockForChange(trx, ctx, customerId, subscriptionId, undefined);
        if (row.status === 'deleted' || row.status === 'cancelled') throw new AppError('subscriptionEnded');
        const wanted = supportPartnerId.toLowerCase();
        // The partner of record itself is stored as "none": it stays the contact whatever happens to others.
        const next = wanted === row.partner_id ? null : wanted;
        if (next !== null && !(await repo.supportContactCandidate(trx, customerId, next)))
          throw new AppError('supportContactNotEligible', {
            details: [
              {
                field: 'supportPartnerId',
                reason: 'must be you or a partner with a reseller relationship with this customer',
              },
            ],
          });
        if (next !== row.support_partner_id) {
          const before = await supportContactView(trx, row);
          await write(trx, ctx, row, { support_partner_id: next }, clock.now());
          const after = await supportContactView(trx, { ...row, support_partner_id: next });
          await activity(trx, ctx, customer, row, 'subscription.updateSupportContact', {
            before: { supportPartnerId: before.supportPartnerId, name: before.name },
            after: { supportPartnerId: after.supportPartnerId, name: after.name },
          });
          return after;
        }
        return supportContactView(trx, row);
      }),

    async exportCsv(ctx, customerId, filters) {
      // Visibility first, as its own short transaction: an unknown customer is a 404, not an empty file.
      await inPartnerTransaction(db, ctx.partnerId, (trx) =>
        customerForRead(customers, trx, ctx, customerId),
      );
      const query: repo.SubscriptionQuery = { partnerId: ctx.partnerId, customerId, status: filters.status };
      const rows = await keysetRows(
        (last: SubscriptionViewRow | undefined, limit) =>
          inPartnerTransaction(db, ctx.partnerId, (trx) =>
            repo.findSubscriptions(
              trx,
              query,
              last && [last.position_at, last.line_item_number, last.id],
              limit,
            ),
          ),
        (row): CsvCell[] => [
          row.id,
          row.friendly_name,
          row.quantity,
          STATUS_LABEL[row.status],
          row.partner_name,
        ],
      );
      return {
        filename: `subscriptions-${customerId}-${clock.now().toISOString().slice(0, 10)}.csv`,
        stream: csvStream(SUBSCRIPTION_CSV_COLUMNS, rows),
      };
    },
  };
}

async function supportContactView(
  trx: Trx,
  row: Pick<SubscriptionViewRow, 'partner_id' | 'partner_name' | 'support_partner_id'>,
): Promise<SupportContactView> {
  const id = row.support_partner_id ?? row.partner_id;
  const name = row.support_partner_id ? await repo.partnerName(trx, id) : row.partner_name;
  return {
    supportPartnerId: id,
    name: name ?? '',
    isPartnerOfRecord: id === row.partner_id,
    attributes: { objectType: 'SupportContact' },
  };
}

/**
 * What of the caller's blocks removing its relationship with the customer: each active subscription, to be
 * suspended (or, for reservations and software, cancelled) first.
 */
export const subscriptionBlockers: BlockerProvider = async (trx, ctx, customerId) => {
  const active = await repo.activeSubscriptions(trx, ctx.partnerId, customerId);
  return active.map((s) => ({
    code: 'activeSubscription',
    description:
      s.friendly_name === s.offer_name
        ? `Subscription ${s.friendly_name} is active.`
        : `Subscription ${s.friendly_name} (${s.offer_name}) is active.`,
    fix: s.cancellable
      ? `Cancel the subscription ${s.friendly_name}.`
      : `Suspend the subscription ${s.friendly_name}.`,
    resourceId: s.id,
  }));
};

/** The actor of changes the system makes on its own (the maintenance job). */
const SYSTEM = { kind: 'system', name: 'Partnerdesk' } as const;
const DELETION_BATCH = 500;

/**
 * Deletes every suspended subscription whose deletion date has come (at or before `now`), each with its
 * activity record, in batches of short transactions on the owner connection. Safe to run twice at once: a row
 * one run holds is skipped by the other. Answers how many it deleted.
 */
export async function deleteDueSubscriptions(owner: Db, now: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const n = await owner.transaction().execute(async (trx) => {
      const due = await repo.lockDueSubscriptions(trx, now, DELETION_BATCH);
      await repo.markDeleted(
        trx,
        due.map((d) => d.id),
        now,
      );
      await recordAllAs(
        trx,
        SYSTEM,
        due.map((d) => ({
          partnerId: d.partner_id,
          entry: {
            action: 'subscription.delete',
            resourceType: 'Subscription',
            resourceId: d.id,
            ...(d.customer_name ? { customer: { id: d.customer_id, name: d.customer_name } } : {}),
            details: {
              subscription: d.friendly_name,
              offerId: d.offer_id,
              suspendedAt: iso(d.suspended_at),
              deletionDate: iso(d.deletion_due_at),
              reason: `not reactivated within ${DELETION_DAYS} days of its suspension`,
              before: { status: 'suspended' },
              after: { status: 'deleted' },
            },
          },
        })),
      );
      return due.length;
    });
    deleted += n;
    if (n < DELETION_BATCH) return deleted;
  }
}
