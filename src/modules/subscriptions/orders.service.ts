// Orders (PRODUCT.md feature 9): an order's line items become subscriptions, all in one transaction, after every
// line item has been checked against the catalog, the customer's country and market, the caller's cloud
// instance and the add-on rules — every problem answered at once. The placement (check + place) is shared with
// adding a customer, whose first order is placed in the customer's own creation transaction.
import { randomUUID } from 'node:crypto';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { BillingCycle, OrderLineItem, Term } from '../../db/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCreatedCursor, pageOf } from '../../lib/paging.ts';
import { record } from '../activity/activity.record.ts';
import type { OfferWithPrices } from '../offers/offers.repository.ts';
import { findOffers, marketOf } from '../offers/offers.repository.ts';
import type { CustomerAccess } from './subscriptions.access.ts';
import { customerForRead, customerForWrite, type OrderCustomer } from './subscriptions.access.ts';
import * as repo from './subscriptions.repository.ts';

export const MAX_LINE_ITEMS = 50;
const MAX_FRIENDLY_NAME = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Product kinds whose subscriptions get an Azure subscription id of their own. */
const AZURE_KINDS = new Set(['azure', 'azurePlan']);

export interface LineItemInput {
  offerId: string;
  quantity?: number;
  friendlyName?: string | null;
  termDuration?: string | null;
  billingCycle?: string | null;
  parentSubscriptionId?: string | null;
  autoRenewEnabled?: boolean | null;
  /** Partner Center's line number: when given, the line's position (0, 1, 2…). */
  lineItemNumber?: number | null;
}

/** What POST …/orders takes: the line items, and the rest of a Partner Center Order body. */
export interface OrderInput {
  lineItems: LineItemInput[];
  referenceCustomerId?: string | null;
  billingCycle?: string | null;
  attributes?: unknown;
}

export type OrderLineItemView = OrderLineItem;

export interface OrderView {
  id: string;
  customerId: string;
  currencyCode: string;
  creationDate: string;
  status: 'completed';
  lineItems: OrderLineItemView[];
  attributes: { objectType: 'Order' };
}

/** A line item checked and resolved: what its subscription will be. */
interface PlannedLine {
  offer: OfferWithPrices;
  quantity: number;
  friendlyName: string;
  term: Term | null;
  billingCycle: BillingCycle;
  autoRenew: boolean;
  unitPrice: number | null;
  /** An existing subscription, or the index of a line item of this order. */
  parent: { subscriptionId: string } | { line: number } | null;
}

export interface OrderPlan {
  currency: string;
  lines: PlannedLine[];
}

/** Adds calendar months, keeping the day or falling back to the month's last day (31 Jan + 1 month = 28 Feb). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

const TERM_MONTHS: Record<Term, number> = { P1M: 1, P1Y: 12, P3Y: 36 };

export function commitmentEnd(start: Date, term: Term | null): Date | null {
  return term ? addMonths(start, TERM_MONTHS[term]) : null;
}

export function orderView(row: repo.OrderRow): OrderView {
  return {
    id: row.id,
    customerId: row.customer_id,
    currencyCode: row.currency,
    creationDate: row.created_at.toISOString(),
    status: 'completed',
    lineItems: row.line_items,
    attributes: { objectType: 'Order' },
  };
}

/**
 * Checks line items for `customer` and resolves them into a plan; the issues name fields under `prefix`
 * (`lineItems[1].quantity`). Parent subscriptions named by id are locked (shared) until the transaction ends,
 * so a concurrent suspension cannot slip between the check and the order.
 */
export async function planOrder(
  trx: Trx,
  ctx: CallerContext,
  customer: Pick<OrderCustomer, 'id' | 'country'> & { exists: boolean },
  items: readonly LineItemInput[],
  prefix = 'lineItems',
): Promise<{ plan: OrderPlan; issues: FieldIssue[] }> {
  const issues: FieldIssue[] = [];
  if (items.length === 0) issues.push({ field: prefix, reason: 'must have at least one line item' });
  if (items.length > MAX_LINE_ITEMS)
    issues.push({
      field: prefix,
      reason: `may have at most ${MAX_LINE_ITEMS} line items (it has ${items.length})`,
    });
  const market = customer.country ? await marketOf(trx, customer.country) : undefined;
  if (!market)
    issues.push({
      field: prefix,
      reason: `the catalog does not sell in the customer's country (${customer.country || 'none'})`,
    });
  if (issues.length > 0) return { plan: { currency: '', lines: [] }, issues };
  const currency = market!.currency;

  const offers = await findOffers(
    trx,
    items.map((i) => i.offerId.trim()),
  );
  const parentIds = items
    .map((i) => i.parentSubscriptionId?.trim().toLowerCase())
    .filter((id): id is string => Boolean(id) && UUID.test(id!));
  const parents = new Map(
    (customer.exists
      ? await repo.lockActiveSubscriptions(trx, ctx.partnerId, customer.id, parentIds)
      : []
    ).map((p) => [p.id, p]),
  );

  const lines: (PlannedLine | undefined)[] = items.map((item, i) => {
    const at = (field: string) => `${prefix}[${i}].${field}`;
    const before = issues.length;
    if (item.lineItemNumber !== undefined && item.lineItemNumber !== null && item.lineItemNumber !== i)
      issues.push({
        field: at('lineItemNumber'),
        reason: `must be ${i}: lines are numbered 0, 1, 2… in order`,
      });
    const offer = offers.get(item.offerId.trim());
    if (!offer || !offer.is_available) {
      issues.push({
        field: at('offerId'),
        reason: offer ? `${offer.id} is no longer sold` : `${item.offerId} is not in the catalog`,
      });
      return undefined;
    }
    if (!offer.instances.includes(ctx.instance)) {
      issues.push({ field: at('offerId'), reason: `${offer.id} is not sold in your cloud instance` });
      return undefined;
    }
    if (!offer.countries.includes('*') && !offer.countries.includes(customer.country))
      issues.push({
        field: at('offerId'),
        reason: `${offer.id} is not sold in the customer's country (${customer.country})`,
      });

    const usage = offer.billing_type === 'usage';
    const quantity = item.quantity ?? (usage ? 1 : undefined);
    if (quantity === undefined) issues.push({ field: at('quantity'), reason: 'is required' });
    else if (!Number.isInteger(quantity))
      issues.push({ field: at('quantity'), reason: 'must be a whole number' });
    else if (usage && quantity !== 1)
      issues.push({ field: at('quantity'), reason: 'must be 1 for a usage-based offer' });
    else if (
      !Number.isSafeInteger(quantity) ||
      quantity < offer.min_quantity ||
      quantity > offer.max_quantity
    )
      issues.push({
        field: at('quantity'),
        reason: `must be from ${offer.min_quantity} to ${offer.max_quantity} for ${offer.id}`,
      });

    const termText = item.termDuration?.trim() || undefined;
    let term: Term | null = null;
    if (offer.terms.length === 0) {
      if (termText !== undefined && termText !== 'none')
        issues.push({ field: at('termDuration'), reason: `${offer.id} has no term; leave it out` });
    } else if (termText === undefined) term = offer.terms[0]!;
    else if ((offer.terms as string[]).includes(termText)) term = termText as Term;
    else
      issues.push({
        field: at('termDuration'),
        reason: `must be one of ${offer.terms.join(', ')} for ${offer.id}`,
      });

    const cycleText = item.billingCycle?.trim() || undefined;
    let billingCycle: BillingCycle = offer.billing_cycles[0]!;
    if (cycleText !== undefined) {
      if ((offer.billing_cycles as string[]).includes(cycleText)) billingCycle = cycleText as BillingCycle;
      else
        issues.push({
          field: at('billingCycle'),
          reason: `must be one of ${offer.billing_cycles.join(', ')} for ${offer.id}`,
        });
    }

    let autoRenew = term !== null;
    if (item.autoRenewEnabled === true && offer.terms.length === 0)
      issues.push({ field: at('autoRenewEnabled'), reason: `${offer.id} has no term to renew` });
    else if (typeof item.autoRenewEnabled === 'boolean' && offer.terms.length > 0)
      autoRenew = item.autoRenewEnabled;

    const friendlyName = item.friendlyName?.trim().replace(/\s+/g, ' ') || offer.name;
    if (friendlyName.length > MAX_FRIENDLY_NAME)
      issues.push({
        field: at('friendlyName'),
        reason: `must be at most ${MAX_FRIENDLY_NAME} characters (it has ${friendlyName.length})`,
      });

    let unitPrice: number | null = null;
    if (!usage && issues.length === before) {
      const price = offer.prices.find(
        (p) => p.currency === currency && p.term === (term ?? 'none') && p.billing_cycle === billingCycle,
      );
      if (!price)
        issues.push({
          field: at('offerId'),
          reason: `${offer.id} has no price in ${currency} for ${term ?? 'no term'}, ${billingCycle}`,
        });
      else unitPrice = Number(price.unit_price);
    }

    // Add-ons: a parent named by id (an active subscription of a prerequisite offer), else a line item of
    // a prerequisite offer in this order.
    let parent: PlannedLine['parent'] = null;
    const parentId = item.parentSubscriptionId?.trim().toLowerCase() || undefined;
    if (offer.parent_offer_ids.length > 0) {
      if (parentId !== undefined) {
        const found = parents.get(parentId);
        if (!found || found.status !== 'active')
          issues.push({
            field: at('parentSubscriptionId'),
            reason: `must be an active subscription of this customer (${offer.parent_offer_ids.join(' or ')})`,
          });
        else if (!offer.parent_offer_ids.includes(found.offer_id))
          issues.push({
            field: at('parentSubscriptionId'),
            reason: `is a subscription of ${found.offer_id}; ${offer.id} is an add-on of ${offer.parent_offer_ids.join(' or ')}`,
          });
        else parent = { subscriptionId: found.id };
      } else {
        const line = items.findIndex(
          (other, j) =>
            j !== i &&
            offer.parent_offer_ids.includes(other.offerId.trim()) &&
            offers.get(other.offerId.trim())?.parent_offer_ids.length === 0,
        );
        if (line >= 0) parent = { line };
        else
          issues.push({
            field: at('parentSubscriptionId'),
            reason:
              `${offer.id} is an add-on: name an active subscription of ${offer.parent_offer_ids.join(' or ')} ` +
              'here, or order one in the same order',
          });
      }
    } else if (parentId !== undefined)
      issues.push({
        field: at('parentSubscriptionId'),
        reason: `${offer.id} is not an add-on; leave it out`,
      });

    if (issues.length > before) return undefined;
    return {
      offer,
      quantity: quantity!,
      friendlyName,
      term,
      billingCycle,
      autoRenew,
      unitPrice,
      parent,
    };
  });
  return { plan: { currency, lines: lines.filter((l): l is PlannedLine => l !== undefined) }, issues };
}

/** Writes a checked plan: the order, one subscription per line item, the activity record. */
export async function placeOrder(
  trx: Trx,
  ctx: CallerContext,
  customer: { id: string; name: string },
  plan: OrderPlan,
  now: Date,
): Promise<OrderView> {
  const orderId = randomUUID();
  const ids = plan.lines.map(() => randomUUID());
  const parentOf = (line: PlannedLine) =>
    line.parent === null ? null : 'line' in line.parent ? ids[line.parent.line]! : line.parent.subscriptionId;
  const lineItems: OrderLineItem[] = plan.lines.map((line, i) => ({
    lineItemNumber: i,
    offerId: line.offer.id,
    subscriptionId: ids[i]!,
    parentSubscriptionId: parentOf(line),
    friendlyName: line.friendlyName,
    quantity: line.quantity,
    termDuration: line.term,
    billingCycle: line.billingCycle,
  }));
  const order = {
    id: orderId,
    partner_id: ctx.partnerId,
    customer_id: customer.id,
    currency: plan.currency,
    created_by: ctx.userName,
    created_at: now,
    line_items: lineItems,
  };
  await repo.insertOrder(trx, order);
  await repo.insertSubscriptions(
    trx,
    plan.lines.map((line, i) => ({
      id: ids[i]!,
      partner_id: ctx.partnerId,
      customer_id: customer.id,
      order_id: orderId,
      line_item_number: i,
      offer_id: line.offer.id,
      offer_name: line.offer.name,
      product_kind: line.offer.product_kind,
      billing_type: line.offer.billing_type,
      unit_type: line.offer.unit_type,
      friendly_name: line.friendlyName,
      quantity: line.quantity,
      term: line.term,
      billing_cycle: line.billingCycle,
      auto_renew: line.autoRenew,
      currency: plan.currency,
      unit_price: line.unitPrice,
      parent_subscription_id: parentOf(line),
      azure_subscription_id: AZURE_KINDS.has(line.offer.product_kind) ? randomUUID() : null,
      creation_date: now,
      effective_start_date: now,
      commitment_end_date: commitmentEnd(now, line.term),
      updated_at: now,
    })),
  );
  await record(trx, ctx, {
    action: 'order.create',
    resourceType: 'Order',
    resourceId: orderId,
    customer,
    details: {
      currency: plan.currency,
      lineItems: lineItems.map((l) => ({
        subscriptionId: l.subscriptionId,
        offerId: l.offerId,
        quantity: l.quantity,
        ...(l.parentSubscriptionId ? { parentSubscriptionId: l.parentSubscriptionId } : {}),
      })),
    },
  });
  return orderView(order);
}

export interface OrdersService {
  create(ctx: CallerContext, customerId: string, input: OrderInput): Promise<OrderView>;
  list(ctx: CallerContext, customerId: string, page: PageRequest): Promise<Page<OrderView>>;
  get(ctx: CallerContext, customerId: string, orderId: string): Promise<OrderView>;
}

export function createOrdersService(deps: {
  db: Db;
  clock: Clock;
  customers: CustomerAccess;
}): OrdersService {
  const { db, clock, customers } = deps;
  return {
    create: (ctx, customerId, input) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await customerForWrite(customers, trx, ctx, customerId);
        if (!customer.agreementConfirmed) throw new AppError('customerAgreementRequired');
        const reference = input.referenceCustomerId?.trim().toLowerCase();
        const lineItems = input.billingCycle
          ? input.lineItems.map((l) => ({ ...l, billingCycle: l.billingCycle ?? input.billingCycle }))
          : input.lineItems;
        const { plan, issues } = await planOrder(trx, ctx, { ...customer, exists: true }, lineItems);
        if (reference && reference !== customerId.toLowerCase())
          issues.unshift({ field: 'referenceCustomerId', reason: 'must be the customer id of the path' });
        if (issues.length > 0) throw invalid(...issues);
        return placeOrder(trx, ctx, customer, plan, clock.now());
      }),

    list(ctx, customerId, page) {
      const scope = ['orders', ctx.partnerId, customerId.toLowerCase()];
      const after = decodeCreatedCursor(page.cursor, scope);
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        return pageOf(
          page.size,
          scope,
          (limit) => repo.findOrders(trx, ctx.partnerId, customerId, after, limit),
          (row) => [row.position_at, row.id],
          orderView,
          () => repo.countOrders(trx, ctx.partnerId, customerId),
        );
      });
    },

    get: (ctx, customerId, orderId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customerForRead(customers, trx, ctx, customerId);
        const row = await repo.getOrder(trx, ctx.partnerId, customerId, orderId);
        if (!row) throw new AppError('orderNotFound');
        return orderView(row);
      }),
  };
}
