// Subscription and order values without React or the API client, so that they can be tested on their own:
// the statuses and suspension reasons, the price an offer asks for a term and billing cycle, an order line as
// the forms hold it and as the API takes it, what the console checks before sending (quantity limits, an
// add-on's base), and the date a suspension leads to deletion.
import type { LineItemBody, Offer, OfferPrice } from './subscriptions.queries.ts';

export const STATUSES = ['active', 'suspended', 'deleted', 'cancelled', 'transferred'] as const;
export const SUSPENSION_REASONS = [
  'partnerInitiated',
  'customerRequest',
  'nonPayment',
  'fraud',
  'other',
] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/** A suspended subscription is deleted this many days after its suspension unless reactivated. */
export const DELETION_DAYS = 90;

export function deletionDateFrom(suspendedAt: Date): Date {
  return new Date(suspendedAt.getTime() + DELETION_DAYS * 24 * 60 * 60 * 1000);
}

/** The price rows' term of an offer without a commitment. */
export const NO_TERM = 'none';

export function priceOf(
  offer: Pick<Offer, 'prices'>,
  term: string,
  billingCycle: string,
): OfferPrice | undefined {
  return offer.prices.find((p) => p.term === term && p.billingCycle === billingCycle);
}

/** The billing cycles the offer prices for a term (every cycle of the offer when it prices none). */
export function cyclesFor(offer: Pick<Offer, 'prices' | 'billingCycles'>, term: string): string[] {
  const priced = offer.billingCycles.filter((c) =>
    offer.prices.some((p) => p.term === term && p.billingCycle === c),
  );
  return priced.length > 0 ? priced : offer.billingCycles;
}

/** An order line as the forms hold it: text as typed. */
export interface LineDraft {
  /** Stable across edits, for React keys and input names. */
  key: string;
  offer: Offer;
  term: string;
  billingCycle: string;
  quantity: string;
  friendlyName: string;
  /** An add-on's base: an existing subscription of a prerequisite offer ('' = none chosen). */
  parentSubscriptionId: string;
}

let drafts = 0;

export function newLine(offer: Offer): LineDraft {
  const term = offer.terms[0] ?? NO_TERM;
  drafts += 1;
  return {
    key: `line${drafts}`,
    offer,
    term,
    billingCycle: cyclesFor(offer, term)[0] ?? offer.billingCycles[0] ?? 'none',
    quantity: String(offer.minimumQuantity),
    friendlyName: '',
    parentSubscriptionId: '',
  };
}

/** Usage-based offers are ordered as one unit. */
export const isFixedQuantity = (offer: Pick<Offer, 'billingType'>) => offer.billingType === 'usage';

export type QuantityProblem =
  { kind: 'required' } | { kind: 'notWhole' } | { kind: 'outOfRange'; min: number; max: number };

/** What is wrong with a typed quantity for this offer, if anything. */
export function quantityProblem(
  offer: Pick<Offer, 'minimumQuantity' | 'maximumQuantity' | 'billingType'>,
  text: string,
): QuantityProblem | undefined {
  const value = text.trim();
  if (value === '') return { kind: 'required' };
  if (!/^\d+$/.test(value)) return { kind: 'notWhole' };
  const n = Number(value);
  const [min, max] = isFixedQuantity(offer) ? [1, 1] : [offer.minimumQuantity, offer.maximumQuantity];
  if (n < min || n > max) return { kind: 'outOfRange', min, max };
  return undefined;
}

export const MAX_FRIENDLY_NAME = 200;

/** The line as the API takes it: the term only for offers that have terms, the name only when one is given. */
export function lineItemBody(line: LineDraft): LineItemBody {
  const name = line.friendlyName.trim();
  return {
    offerId: line.offer.id,
    quantity: isFixedQuantity(line.offer) ? 1 : Number(line.quantity.trim()),
    ...(name ? { friendlyName: name } : {}),
    ...(line.offer.terms.length > 0 ? { termDuration: line.term } : {}),
    billingCycle: line.billingCycle,
    ...(line.parentSubscriptionId ? { parentSubscriptionId: line.parentSubscriptionId } : {}),
  };
}

/**
 * An API field of a line item (`lineItems[1].quantity`) → its line index and the input ('quantity',
 * 'friendlyName', 'termDuration', 'billingCycle', 'parentSubscriptionId', or '' for the line as a whole).
 */
export function lineField(field: string): { index: number; input: string } | undefined {
  const m = /^lineItems\[(\d+)\](?:\.(\w+))?$/i.exec(field);
  if (!m) return undefined;
  return { index: Number(m[1]), input: m[2] ?? '' };
}

/** The input name of a line's field, the same as the API's field name, so a summary can focus it. */
export const lineInput = (index: number, input: string) => `lineItems[${index}].${input}`;
