// Transfers of Azure subscriptions between partners (PRODUCT.md feature 6): which of a customer's subscriptions
// may move to the caller (eligibility), requests made by the target, answered by the source (accept all or some
// line items once the customer has consented, or reject) or withdrawn by the target, their lists, summary and
// timeline. Accepting only queues the request: the transfer job (transfers.worker.ts) completes each line item.
// Pending requests expire after 30 days (expireTransfers, run by the maintenance job).
import { randomUUID } from 'node:crypto';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { TransferStatus } from '../../db/schema.ts';
import { etagOf } from '../../http/etag.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { actorOf } from '../../lib/context.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCreatedCursor, pageOf } from '../../lib/paging.ts';
import type { Actor } from '../activity/activity.record.ts';
import { record, recordAllAs } from '../activity/activity.record.ts';
import type { InstanceService } from '../instances/instances.ts';
import type { CustomerAccess } from '../subscriptions/subscriptions.access.ts';
import type { IneligibilityReason } from './transfers.schemas.ts';
import * as repo from './transfers.repository.ts';
import type {
  CandidateRow,
  EventRow,
  LineRow,
  TransferRow,
  TransferViewRow,
} from './transfers.repository.ts';

/** A pending request expires this long after its creation (PRODUCT.md). */
export const EXPIRY_DAYS = 30;
const DAY_MS = 86_400_000;
const OPEN_LINE_INDEX = 'transfer_line_items_open';
/** The actor of what the system does on its own (the transfer job, expiry). */
export const SYSTEM_ACTOR: Actor = { kind: 'system', name: 'Partnerdesk' };

export const REASON_TEXT: Record<IneligibilityReason, string> = {
  alreadyYours: 'You are already the partner of record of this subscription.',
  reservation: 'Azure reservations cannot be transferred; they stay with their partner of record.',
  software: 'Software purchases cannot be transferred.',
  notAzureUsage:
    'Only usage-based Azure subscriptions can be transferred; license-based subscriptions stay with their ' +
    'partner of record.',
  notActive: 'Only active subscriptions can be transferred; this one is suspended or ended.',
  pendingTransfer: 'This subscription is already in an open transfer request.',
  differentInstance: 'Both partners and the customer must be in the same cloud instance.',
  differentCountry: 'Both partners and the customer’s billing address must be in the same country.',
  partnerKind: 'Indirect resellers cannot transfer subscriptions themselves; their indirect provider does.',
  sourceRelationshipEnded: 'The partner of record no longer has a reseller relationship with this customer.',
};

// ── views ──

export interface EligibilityView {
  id: string;
  subscriptionId: string;
  azureSubscriptionId: string | null;
  offerId: string;
  offerName: string;
  friendlyName: string;
  productKind: CandidateRow['product_kind'];
  billingType: 'license' | 'usage';
  status: string;
  partnerIdOnRecord: string;
  partnerNameOnRecord: string;
  isEligible: boolean;
  reason: IneligibilityReason | null;
  description: string | null;
  openTransferId: string | null;
  attributes: { objectType: 'TransferEligibility' };
}

export interface TransferLineView {
  id: number;
  subscriptionId: string;
  azureSubscriptionId: string | null;
  offerId: string;
  offerName: string;
  friendlyName: string;
  quantity: number;
  billingCycle: string;
  partnerIdOnRecord: string;
  status: LineRow['status'];
  transferError: { code: string; description: string } | null;
  newSubscriptionId: string | null;
  completedTime: string | null;
}

export interface TimelineEntry {
  occurredAt: string;
  event: EventRow['event'];
  actor: { side: EventRow['actor_side']; name: string };
  details: Record<string, unknown>;
}

export interface TransferView {
  id: string;
  customerTenantId: string;
  customerName: string;
  sourcePartnerTenantId: string;
  sourcePartnerName: string;
  targetPartnerTenantId: string;
  targetPartnerName: string;
  direction: 'sent' | 'received';
  status: TransferStatus;
  note: string;
  customerConsent: {
    status: 'pending' | 'given' | 'declined';
    consentedAt: string | null;
    consentedBy: string | null;
    url: string;
  };
  rejection: { by: 'source' | 'customer'; reason: string; rejectedAt: string } | null;
  createdTime: string;
  createdBy: { id: string; name: string };
  lastModifiedTime: string;
  expiresAt: string | null;
  acceptedTime: string | null;
  acceptedBy: string | null;
  completedTime: string | null;
  progress: { total: number; completed: number; failed: number; percent: number };
  lineItems: TransferLineView[];
  timeline?: TimelineEntry[];
  attributes: { objectType: 'Transfer'; etag: string };
}

export interface TransferSummaryView {
  receivedPending: number;
  receivedAwaitingConsent: number;
  sentPending: number;
  inProgress: number;
  attributes: { objectType: 'TransferSummary' };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const FINISHED: readonly TransferStatus[] = ['completed', 'partiallyCompleted', 'failed'];

export function consentUrl(publicUrl: string, transferId: string): string {
  return `${publicUrl}/portal/transfers/${transferId}`;
}

function lineView(line: LineRow, row: TransferViewRow, asTarget: boolean): TransferLineView {
  return {
    id: line.line_number,
    subscriptionId: line.subscription_id,
    azureSubscriptionId: line.azure_subscription_id,
    offerId: line.offer_id,
    offerName: line.offer_name,
    friendlyName: line.friendly_name,
    quantity: line.quantity,
    billingCycle: line.billing_cycle,
    partnerIdOnRecord: line.status === 'completed' ? row.target_partner_id : row.source_partner_id,
    status: line.status,
    transferError:
      line.error_code !== null
        ? { code: line.error_code, description: line.error_description ?? line.error_code }
        : null,
    // The new billing id is the target's; the source keeps only its own closed subscription.
    newSubscriptionId: asTarget ? line.new_subscription_id : null,
    completedTime: iso(line.completed_at),
  };
}

/**
 * A pending request past its expiry is expired, whether or not the expiry job has run yet (it runs every ten
 * minutes): shown so, and answered so.
 */
export function lapsed(row: Pick<TransferRow, 'status' | 'expires_at'>, now: Date): boolean {
  return row.status === 'pending' && row.expires_at <= now;
}

export function transferView(
  stored: TransferViewRow,
  storedLines: readonly LineRow[],
  partnerId: string,
  publicUrl: string,
  now: Date,
  events?: readonly EventRow[],
): TransferView {
  const overdue = lapsed(stored, now);
  const row: TransferViewRow = overdue ? { ...stored, status: 'expired' } : stored;
  const lines = overdue
    ? storedLines.map((l) => (l.status === 'pending' ? { ...l, status: 'expired' as const } : l))
    : storedLines;
  const asTarget = partnerId === row.target_partner_id;
  const moving = lines.filter((l) => ['accepted', 'completed', 'failed'].includes(l.status));
  const completed = moving.filter((l) => l.status === 'completed').length;
  const failed = moving.filter((l) => l.status === 'failed').length;
  const closed = row.closed_at !== null;
  return {
    id: row.id,
    customerTenantId: row.customer_id,
    customerName: row.customer_name,
    sourcePartnerTenantId: row.source_partner_id,
    sourcePartnerName: row.source_partner_name,
    targetPartnerTenantId: row.target_partner_id,
    targetPartnerName: row.target_partner_name,
    direction: asTarget ? 'sent' : 'received',
    status: row.status,
    note: row.note,
    customerConsent: {
      status: row.customer_consent,
      consentedAt: iso(row.consented_at),
      consentedBy: row.consented_by,
      url: consentUrl(publicUrl, row.id),
    },
    rejection:
      row.status === 'rejected'
        ? {
            by: row.rejected_by ?? 'source',
            reason: row.rejection_reason ?? '',
            rejectedAt: (row.closed_at ?? row.updated_at).toISOString(),
          }
        : null,
    createdTime: row.created_at.toISOString(),
    createdBy: { id: row.created_by_id ?? row.target_partner_id, name: row.created_by_name },
    lastModifiedTime: row.updated_at.toISOString(),
    expiresAt: row.status === 'pending' || row.status === 'expired' ? row.expires_at.toISOString() : null,
    acceptedTime: iso(row.accepted_at),
    acceptedBy: row.accepted_by_name,
    completedTime: FINISHED.includes(row.status) ? iso(row.closed_at) : null,
    progress: {
      total: moving.length,
      completed,
      failed,
      percent:
        moving.length > 0
          ? Math.floor(((completed + failed) * 100) / moving.length)
          : closed && row.accepted_at
            ? 100
            : 0,
    },
    lineItems: lines.map((l) => lineView(l, row, asTarget)),
    ...(events
      ? {
          timeline: events.map((e) => ({
            occurredAt: e.occurred_at.toISOString(),
            event: e.event,
            actor: { side: e.actor_side, name: e.actor_name },
            details: (e.details ?? {}) as Record<string, unknown>,
          })),
        }
      : {}),
    attributes: { objectType: 'Transfer', etag: etagOf(row.id, row.version) },
  };
}

// ── eligibility, shared by the list, creation and acceptance ──

export interface Parties {
  target: repo.PartnerInfo;
  customer: { instance: string; country: string; name: string };
}

/** The first reason, in the contract's order, why `c` cannot move to `parties.target`; null when it can. */
export function ineligibility(
  c: CandidateRow,
  parties: Parties,
  source: Pick<repo.PartnerInfo, 'country' | 'instance' | 'kind'> = {
    country: c.partner_country,
    instance: c.partner_instance,
    kind: c.partner_kind,
  },
): IneligibilityReason | null {
  const { target, customer } = parties;
  if (c.partner_id === target.id) return 'alreadyYours';
  if (c.product_kind === 'reservation') return 'reservation';
  if (c.product_kind === 'software') return 'software';
  if (c.billing_type !== 'usage' || !(c.product_kind === 'azure' || c.product_kind === 'azurePlan'))
    return 'notAzureUsage';
  if (c.status !== 'active') return 'notActive';
  if (c.in_open_transfer) return 'pendingTransfer';
  if (source.instance !== target.instance || customer.instance !== target.instance)
    return 'differentInstance';
  if (source.country !== target.country || customer.country !== target.country) return 'differentCountry';
  if (source.kind === 'indirectReseller' || target.kind === 'indirectReseller') return 'partnerKind';
  if (!c.partner_related) return 'sourceRelationshipEnded';
  return null;
}

export interface EligibilityFilters {
  sourcePartnerId?: string;
  eligibleOnly?: boolean;
}

export interface CreateTransferInput {
  sourcePartnerTenantId?: string;
  subscriptionIds?: string[];
  allEligible?: boolean;
  note?: string;
}

export interface TransferListFilters {
  direction?: 'sent' | 'received';
  status?: TransferStatus;
  customerId?: string;
}

export interface TransfersService {
  eligibility(
    ctx: CallerContext,
    customerId: string,
    filters: EligibilityFilters,
  ): Promise<EligibilityView[]>;
  create(ctx: CallerContext, customerId: string, input: CreateTransferInput): Promise<TransferView>;
  /** `customerId` undefined: partner-wide. */
  list(
    ctx: CallerContext,
    customerId: string | undefined,
    filters: TransferListFilters,
    page: PageRequest,
  ): Promise<Page<TransferView>>;
  get(ctx: CallerContext, customerId: string | undefined, transferId: string): Promise<TransferView>;
  summary(ctx: CallerContext): Promise<TransferSummaryView>;
  accept(
    ctx: CallerContext,
    customerId: string,
    transferId: string,
    input: { subscriptionIds?: string[] },
  ): Promise<TransferView>;
  reject(ctx: CallerContext, customerId: string, transferId: string, reason: string): Promise<TransferView>;
  cancel(ctx: CallerContext, customerId: string, transferId: string): Promise<TransferView>;
}

export interface TransfersServiceDeps {
  db: Db;
  clock: Clock;
  publicUrl: string;
  customers: CustomerAccess;
  instances: Pick<InstanceService, 'assert'>;
  /** An accepted request is waiting for the job: wake the worker (after commit). */
  onQueued?: () => void;
  /**
   * Expires the customer's requests past their 30 days now rather than at the maintenance job's next run, so
   * their subscriptions can be asked for again at once (the requests may be other partners': the app passes
   * expireTransfers on the owner connection).
   */
  expireLapsed?: (customerId: string, now: Date) => Promise<unknown>;
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string } | undefined;
  return e?.code === '23505' && e.constraint === constraint;
}

export function createTransfersService(deps: TransfersServiceDeps): TransfersService {
  const { db, clock, publicUrl, customers, instances } = deps;
  const notFound = () => new AppError('transferNotFound');
  /**
   * Once the caller may see the customer: its requests past their 30 days are expired now (committed on the
   * owner connection, so the rest of the caller's transaction reads them so) rather than at the maintenance
   * job's next run, and their subscriptions can be asked for again at once.
   */
  const expireLapsed = async (customerId: string) => {
    await deps.expireLapsed?.(customerId, clock.now());
  };
  const view = (row: TransferViewRow, lines: readonly LineRow[], ctx: CallerContext, events?: EventRow[]) =>
    transferView(row, lines, ctx.partnerId, publicUrl, clock.now(), events);

  /** The caller may ask for transfers of this customer: its instance allows them, and it is related to it. */
  async function related(trx: Trx, ctx: CallerContext, customerId: string): Promise<void> {
    instances.assert(ctx.instance, 'transfers');
    const state = await customers.relationshipState(trx, ctx, customerId);
    // Never related: as elsewhere, the customer is unknown to it. Ended: it knew the customer.
    if (state === undefined) throw new AppError('customerNotFound');
    if (state !== 'active') throw new AppError('noResellerRelationship');
  }

  /** The customer is one the caller sees (its relationship is active). */
  async function visible(trx: Trx, ctx: CallerContext, customerId: string): Promise<void> {
    await customers.getInTransaction(trx, ctx, customerId);
  }

  async function parties(trx: Trx, ctx: CallerContext, customerId: string): Promise<Parties> {
    const target = await repo.partnerInfo(trx, ctx.partnerId);
    const customer = await repo.customerFacts(trx, customerId);
    if (!target || !customer) throw new AppError('customerNotFound');
    return { target, customer };
  }

  async function eligibilityIn(
    trx: Trx,
    ctx: CallerContext,
    customerId: string,
  ): Promise<{ rows: CandidateRow[]; reasons: Map<string, IneligibilityReason | null>; p: Parties }> {
    const p = await parties(trx, ctx, customerId);
    const rows = await repo.candidates(trx, customerId);
    const reasons = new Map(rows.map((c) => [c.subscription_id, ineligibility(c, p)]));
    return { rows, reasons, p };
  }

  function eligibilityView(c: CandidateRow, reason: IneligibilityReason | null): EligibilityView {
    return {
      id: c.subscription_id,
      subscriptionId: c.subscription_id,
      azureSubscriptionId: c.azure_subscription_id,
      offerId: c.offer_id,
      offerName: c.offer_name,
      friendlyName: c.friendly_name,
      productKind: c.product_kind,
      billingType: c.billing_type,
      status: c.status,
      partnerIdOnRecord: c.partner_id,
      partnerNameOnRecord: c.partner_name,
      isEligible: reason === null,
      reason,
      description: reason ? REASON_TEXT[reason] : null,
      openTransferId: c.open_transfer_id,
      attributes: { objectType: 'TransferEligibility' },
    };
  }

  async function readFull(trx: Trx, ctx: CallerContext, id: string, customerId?: string) {
    const row = await repo.getTransfer(trx, ctx.partnerId, id, customerId);
    if (!row) throw notFound();
    const [lines, events] = await Promise.all([repo.linesOf(trx, [row.id]), repo.eventsOf(trx, row.id)]);
    return view(row, lines, ctx, events);
  }

  /** Activity for the caller's partner and the request's other party, in the caller's transaction. */
  async function recordBoth(
    trx: Trx,
    ctx: CallerContext,
    row: Pick<TransferViewRow, 'id' | 'customer_id' | 'customer_name'>,
    action: string,
    details: Record<string, unknown>,
    status: 'succeeded' | 'failed' = 'succeeded',
  ): Promise<void> {
    await record(trx, ctx, {
      action,
      resourceType: 'Transfer',
      resourceId: row.id,
      customer: { id: row.customer_id, name: row.customer_name },
      status,
      details,
    });
    await repo.recordCounterpart(trx, row.id, actorOf(ctx), action, status, details, {
      requestId: ctx.requestId,
      correlationId: ctx.correlationId,
    });
  }

  /** The request locked for an answer by `side`; 404, 403 for the wrong party, 409 once not pending. */
  async function lockForAnswer(
    trx: Trx,
    ctx: CallerContext,
    customerId: string,
    transferId: string,
    side: 'source' | 'target',
  ): Promise<TransferViewRow> {
    const row = await repo.lockTransfer(trx, ctx.partnerId, transferId, customerId);
    if (!row) throw notFound();
    const own = side === 'source' ? row.source_partner_id : row.target_partner_id;
    if (own !== ctx.partnerId) throw new AppError('transferWrongParty');
    if (row.status !== 'pending') throw alreadyProcessed(row.status);
    if (lapsed(row, clock.now())) throw alreadyProcessed('expired');
    return row;
  }

  const alreadyProcessed = (status: TransferStatus) =>
    new AppError('transferAlreadyProcessed', { data: [{ status }] });

  async function changePending(trx: Trx, row: TransferViewRow, change: repo.TransferChange, now: Date) {
    // The row is locked, so this only fails if something skipped the lock; answer as the loser of a race.
    if (!(await repo.updatePending(trx, row.id, change, now))) {
      const current = await repo.getTransfer(trx, row.source_partner_id, row.id);
      throw alreadyProcessed(current?.status ?? row.status);
    }
  }

  function actorEvent(ctx: CallerContext, side: 'source' | 'target') {
    const a = actorOf(ctx);
    return { actorKind: a.kind, actorName: a.name, actorSide: side } as const;
  }

  return {
    eligibility: (ctx, customerId, filters) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await related(trx, ctx, customerId);
        await expireLapsed(customerId);
        const { rows, reasons } = await eligibilityIn(trx, ctx, customerId);
        const source = filters.sourcePartnerId?.toLowerCase();
        const chosen = rows.filter(
          (c) =>
            (!source || c.partner_id === source) &&
            (!filters.eligibleOnly || reasons.get(c.subscription_id) === null),
        );
        return chosen.map((c) => eligibilityView(c, reasons.get(c.subscription_id) ?? null));
      }),

    async create(ctx, customerId, input) {
      const ids = input.subscriptionIds?.map((s) => s.toLowerCase());
      const all = input.allEligible === true;
      const source = input.sourcePartnerTenantId?.toLowerCase();
      if ((ids === undefined) === !all)
        throw invalid({
          field: 'subscriptionIds',
          reason: ids
            ? 'name the subscriptions or set allEligible, not both'
            : 'name the subscriptions to transfer, or set allEligible with sourcePartnerTenantId',
        });
      if (all && !source)
        throw invalid({
          field: 'sourcePartnerTenantId',
          reason: 'is required with allEligible: the partner whose subscriptions move',
        });
      const note = (input.note ?? '').trim();
      const attempt = () =>
        inPartnerTransaction(db, ctx.partnerId, async (trx) => {
          await related(trx, ctx, customerId);
          await expireLapsed(customerId);
          const { rows, reasons } = await eligibilityIn(trx, ctx, customerId);
          const byId = new Map(rows.map((c) => [c.subscription_id, c]));
          let chosen: CandidateRow[];
          if (ids) {
            const issues: FieldIssue[] = [];
            ids.forEach((id, i) => {
              if (ids.indexOf(id) < i)
                issues.push({ field: `subscriptionIds[${i}]`, reason: 'names a subscription already named' });
              else if (!byId.has(id))
                issues.push({
                  field: `subscriptionIds[${i}]`,
                  reason: 'is not a live subscription of this customer',
                });
            });
            if (issues.length > 0) throw invalid(...issues);
            chosen = ids.map((id) => byId.get(id)!);
            const owners = new Set(chosen.map((c) => c.partner_id));
            const expected = source ?? chosen[0]!.partner_id;
            if (owners.size > 1 || (source && !owners.has(source)))
              throw invalid(
                ...chosen.flatMap((c, i) =>
                  c.partner_id === expected
                    ? []
                    : [
                        {
                          field: `subscriptionIds[${i}]`,
                          reason: source
                            ? 'is not a subscription of the partner named in sourcePartnerTenantId'
                            : 'has another partner of record than subscriptionIds[0]: one request takes the ' +
                              'subscriptions of one partner',
                        },
                      ],
                ),
              );
            const refused = chosen.flatMap((c, i) => {
              const reason = reasons.get(c.subscription_id);
              return reason ? [{ i, c, reason }] : [];
            });
            if (refused.length > 0)
              throw new AppError('transferNotEligible', {
                details: refused.map((r) => ({
                  field: `subscriptionIds[${r.i}]`,
                  reason: REASON_TEXT[r.reason],
                })),
                data: refused.map((r) => ({ subscriptionId: r.c.subscription_id, reason: r.reason })),
              });
          } else {
            const ofSource = rows.filter((c) => c.partner_id === source);
            chosen = ofSource.filter((c) => reasons.get(c.subscription_id) === null);
            if (chosen.length === 0)
              throw new AppError('transferNotEligible', {
                message:
                  ofSource.length === 0
                    ? 'This partner has no subscriptions of this customer that could be transferred.'
                    : 'None of this partner’s subscriptions of this customer can be transferred; see data for why.',
                details: [
                  { field: 'allEligible', reason: 'no subscription of this partner can be transferred' },
                ],
                data: ofSource.map((c) => ({
                  subscriptionId: c.subscription_id,
                  reason: reasons.get(c.subscription_id),
                })),
              });
            if (chosen.length > 100) chosen = chosen.slice(0, 100);
          }

          const now = clock.now();
          const id = randomUUID();
          const sourceId = chosen[0]!.partner_id;
          await repo.insertTransfer(trx, {
            id,
            customer_id: customerId,
            instance: ctx.instance,
            source_partner_id: sourceId,
            target_partner_id: ctx.partnerId,
            note,
            created_by_id: ctx.userId,
            created_by_name: ctx.userName,
            created_at: now,
            updated_at: now,
            expires_at: new Date(now.getTime() + EXPIRY_DAYS * DAY_MS),
          });
          await repo.insertLines(
            trx,
            chosen.map((c, i) => ({
              transfer_id: id,
              line_number: i + 1,
              source_partner_id: sourceId,
              target_partner_id: ctx.partnerId,
              subscription_id: c.subscription_id,
              azure_subscription_id: c.azure_subscription_id,
              offer_id: c.offer_id,
              offer_name: c.offer_name,
              friendly_name: c.friendly_name,
              quantity: c.quantity,
              billing_cycle: c.billing_cycle,
            })),
          );
          const row = (await repo.getTransfer(trx, ctx.partnerId, id))!;
          await repo.insertEvents(trx, [
            {
              transfer: row,
              at: now,
              event: 'created',
              ...actorEvent(ctx, 'target'),
              details: { subscriptions: chosen.length },
            },
          ]);
          await recordBoth(trx, ctx, row, 'transfer.create', {
            sourcePartner: row.source_partner_name,
            targetPartner: row.target_partner_name,
            subscriptions: chosen.map((c) => c.friendly_name),
            subscriptionIds: chosen.map((c) => c.subscription_id),
            ...(note ? { note } : {}),
          });
          return readFull(trx, ctx, id);
        });
      try {
        return await attempt();
      } catch (err) {
        if (!isUniqueViolation(err, OPEN_LINE_INDEX)) throw err;
      }
      // Another request took one of them between our read and our insert (committed, or the index would have
      // waited for it). Under row-level security the violation does not say which, so read again: the refusal
      // then names each taken subscription by its field, as when it was taken before we came.
      try {
        return await attempt();
      } catch (err) {
        if (isUniqueViolation(err, OPEN_LINE_INDEX))
          throw new AppError('transferNotEligible', {
            details: [{ field: 'subscriptionIds', reason: REASON_TEXT.pendingTransfer }],
            data: [{ reason: 'pendingTransfer' }],
          });
        throw err;
      }
    },

    list(ctx, customerId, filters, page) {
      const customer = (customerId ?? filters.customerId)?.toLowerCase();
      const scope = {
        list: 'transfers',
        partnerId: ctx.partnerId,
        customerId: customer ?? null,
        scoped: customerId !== undefined,
        direction: filters.direction ?? null,
        status: filters.status ?? null,
      };
      const after = decodeCreatedCursor(page.cursor, scope);
      const query: repo.TransferQuery = {
        partnerId: ctx.partnerId,
        customerId: customer,
        direction: filters.direction,
        status: filters.status,
        now: clock.now(),
      };
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        if (customerId) await visible(trx, ctx, customerId);
        const result = await pageOf(
          page.size,
          scope,
          (limit) => repo.findTransfers(trx, query, after, limit),
          (row) => [row.position_at, row.id],
          (row) => row,
          () => repo.countTransfers(trx, query),
        );
        const lines = await repo.linesOf(
          trx,
          result.items.map((r) => r.id),
        );
        const byTransfer = new Map<string, LineRow[]>();
        for (const l of lines) {
          const of = byTransfer.get(l.transfer_id);
          if (of) of.push(l);
          else byTransfer.set(l.transfer_id, [l]);
        }
        return {
          ...result,
          items: result.items.map((r) => view(r, byTransfer.get(r.id) ?? [], ctx)),
        };
      });
    },

    get: (ctx, customerId, transferId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        if (customerId) await visible(trx, ctx, customerId);
        return readFull(trx, ctx, transferId, customerId);
      }),

    summary: (ctx) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const s = await repo.summary(trx, ctx.partnerId, clock.now());
        return {
          receivedPending: s.received_pending,
          receivedAwaitingConsent: s.received_awaiting_consent,
          sentPending: s.sent_pending,
          inProgress: s.in_progress,
          attributes: { objectType: 'TransferSummary' },
        };
      }),

    async accept(ctx, customerId, transferId, input) {
      const result = await inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await visible(trx, ctx, customerId);
        const row = await lockForAnswer(trx, ctx, customerId, transferId, 'source');
        if (row.customer_consent !== 'given') throw new AppError('transferConsentRequired');
        const lines = await repo.linesOf(trx, [row.id]);
        let chosen = lines;
        if (input.subscriptionIds) {
          const byId = new Map(lines.map((l) => [l.subscription_id, l]));
          const wanted = input.subscriptionIds.map((s) => s.toLowerCase());
          const issues = wanted.flatMap((id, i) =>
            byId.has(id)
              ? []
              : [{ field: `subscriptionIds[${i}]`, reason: 'is not a line item of this transfer request' }],
          );
          if (issues.length > 0) throw invalid(...issues);
          const set = new Set(wanted);
          chosen = lines.filter((l) => set.has(l.subscription_id));
        }
        // Re-check what can have changed since the request was made; a line that no longer qualifies fails now.
        const subs = new Map(
          (
            await repo.lockSubscriptions(
              trx,
              chosen.map((l) => l.subscription_id),
            )
          ).map((s) => [s.id, s]),
        );
        const targetRelated = await repo.partnerRelated(trx, row.customer_id, row.target_partner_id);
        const failures: { line: LineRow; code: string; description: string }[] = [];
        for (const line of chosen) {
          const problem = lineProblem(subs.get(line.subscription_id), row, targetRelated);
          if (problem) failures.push({ line, ...problem });
        }
        const failedNumbers = new Set(failures.map((f) => f.line.line_number));
        const now = clock.now();
        await changePending(
          trx,
          row,
          { status: 'inProgress', accepted_at: now, accepted_by_name: ctx.userName },
          now,
        );
        const acceptedNumbers = chosen.map((l) => l.line_number).filter((n) => !failedNumbers.has(n));
        await repo.setLineStatus(trx, row.id, 'pending', 'accepted', acceptedNumbers);
        for (const f of failures) await repo.failLine(trx, row.id, f.line.line_number, f.code, f.description);
        const chosenSet = new Set(chosen.map((l) => l.line_number));
        const left = lines.filter((l) => !chosenSet.has(l.line_number));
        await repo.setLineStatus(
          trx,
          row.id,
          'pending',
          'notAccepted',
          left.map((l) => l.line_number),
        );

        await repo.insertEvents(trx, [
          {
            transfer: row,
            at: now,
            event: 'accepted',
            ...actorEvent(ctx, 'source'),
            details: { accepted: chosen.length, notAccepted: left.length },
          },
          ...failures.map((f) => ({
            transfer: row,
            at: now,
            event: 'lineFailed' as const,
            ...actorEvent(ctx, 'source'),
            details: {
              lineNumber: f.line.line_number,
              subscriptionId: f.line.subscription_id,
              code: f.code,
              description: f.description,
            },
          })),
        ]);
        await recordBoth(trx, ctx, row, 'transfer.accept', {
          accepted: chosen.map((l) => l.subscription_id),
          notAccepted: left.map((l) => l.subscription_id),
        });
        for (const f of failures)
          await recordBoth(
            trx,
            ctx,
            row,
            'transfer.subscriptionFailed',
            {
              subscription: f.line.friendly_name,
              subscriptionId: f.line.subscription_id,
              azureSubscriptionId: f.line.azure_subscription_id,
              code: f.code,
              reason: f.description,
            },
            'failed',
          );
        return readFull(trx, ctx, row.id);
      });
      deps.onQueued?.();
      return result;
    },

    reject: (ctx, customerId, transferId, reason) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await visible(trx, ctx, customerId);
        const row = await lockForAnswer(trx, ctx, customerId, transferId, 'source');
        const now = clock.now();
        const text = reason.trim();
        if (text === '') throw invalid({ field: 'reason', reason: 'is required' });
        await changePending(
          trx,
          row,
          { status: 'rejected', rejected_by: 'source', rejection_reason: text, closed_at: now },
          now,
        );
        await repo.setLineStatus(trx, row.id, 'pending', 'rejected');
        await repo.insertEvents(trx, [
          {
            transfer: row,
            at: now,
            event: 'rejected',
            ...actorEvent(ctx, 'source'),
            details: { reason: text },
          },
        ]);
        await recordBoth(trx, ctx, row, 'transfer.reject', { reason: text });
        return readFull(trx, ctx, row.id);
      }),

    cancel: (ctx, customerId, transferId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await visible(trx, ctx, customerId);
        const row = await lockForAnswer(trx, ctx, customerId, transferId, 'target');
        const now = clock.now();
        await changePending(trx, row, { status: 'cancelled', closed_at: now }, now);
        await repo.setLineStatus(trx, row.id, 'pending', 'cancelled');
        await repo.insertEvents(trx, [
          { transfer: row, at: now, event: 'cancelled', ...actorEvent(ctx, 'target') },
        ]);
        await recordBoth(trx, ctx, row, 'transfer.cancel', {});
        return readFull(trx, ctx, row.id);
      }),
  };
}

/**
 * Why a line item can no longer move (its subscription as locked now), or null: still active, still the
 * source's, still usage-based Azure, and the target still related to the customer.
 */
export function lineProblem(
  sub: repo.LockedSubscription | undefined,
  transfer: Pick<repo.TransferRow, 'source_partner_id' | 'customer_id'>,
  targetRelated: boolean,
): { code: string; description: string } | null {
  if (!sub || sub.partner_id !== transfer.source_partner_id || sub.customer_id !== transfer.customer_id)
    return {
      code: 'notPartnerOfRecord',
      description: 'The source partner is no longer this subscription’s partner of record.',
    };
  if (sub.status !== 'active')
    return {
      code: 'subscriptionNotActive',
      description: `The subscription is ${sub.status}; only active subscriptions can be transferred.`,
    };
  if (sub.billing_type !== 'usage' || !(sub.product_kind === 'azure' || sub.product_kind === 'azurePlan'))
    return { code: 'notAzureUsage', description: REASON_TEXT.notAzureUsage };
  if (!targetRelated)
    return {
      code: 'relationshipEnded',
      description: 'The target partner no longer has a reseller relationship with the customer.',
    };
  return null;
}

// ── expiry (the maintenance job) ──

const EXPIRY_BATCH = 200;

/**
 * Expires every pending request created 30 days ago or more (expires_at at or before `now`), with its line
 * items, a timeline event and activity records for both parties, in batches of short transactions on the
 * owner connection. Safe to run twice at once (rows one run holds are skipped by the other). Answers how many.
 */
export async function expireTransfers(owner: Db, now: Date, customerId?: string): Promise<number> {
  let expired = 0;
  for (;;) {
    const n = await owner.transaction().execute(async (trx) => {
      const due = await repo.lockExpiring(trx, now, EXPIRY_BATCH, customerId);
      await repo.markExpired(
        trx,
        due.map((d) => d.id),
        now,
      );
      await repo.insertEvents(
        trx,
        due.map((d) => ({
          transfer: d,
          at: now,
          event: 'expired' as const,
          actorKind: 'system' as const,
          actorName: SYSTEM_ACTOR.name,
          actorSide: 'system' as const,
          details: { days: EXPIRY_DAYS },
        })),
      );
      await recordAllAs(
        trx,
        SYSTEM_ACTOR,
        due.flatMap((d) =>
          [d.source_partner_id, d.target_partner_id].map((partnerId) => ({
            partnerId,
            entry: {
              action: 'transfer.expire',
              resourceType: 'Transfer',
              resourceId: d.id,
              customer: { id: d.customer_id, name: d.customer_name },
              details: {
                reason: `not accepted within ${EXPIRY_DAYS} days`,
                createdAt: d.created_at.toISOString(),
              },
            },
          })),
        ),
      );
      return due.length;
    });
    expired += n;
    if (n < EXPIRY_BATCH) return expired;
  }
}
