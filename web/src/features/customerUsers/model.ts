// Customer directory values without React or the API client, so that they can be tested on their own: the
// directory roles, a user name from its parts, the licences the console offers per product (a customer's
// seats summed over the partner's subscriptions of one offer), what the Manage licenses checkboxes show for a
// selection of users and the body their choices send, and the row problems of a users file as table rows.

/** Directory roles a customer user may hold; none: "can use licenses and services". */
export const DIRECTORY_ROLES = ['globalAdmin', 'helpdeskAdmin', 'userAdmin', 'billingAdmin'] as const;
export type DirectoryRole = (typeof DIRECTORY_ROLES)[number];

/** A deleted user can be restored this many days after its deletion (then it is purged). */
export const RESTORE_DAYS = 30;

/** The API's limits on a user's fields, checked before sending so the form can say so at once. */
export const MAX_NAME = 50;
export const MAX_PHONE = 40;
/** At most this many users in one restore or licence update. */
export const MAX_BATCH = 1000;

/** `alias@domain`, lower-cased as the API stores it; '' while the alias is empty. */
export function userPrincipalName(alias: string, domain: string): string {
  const a = alias.trim().toLowerCase();
  return a ? `${a}@${domain.toLowerCase()}` : '';
}

/** The part before the @ of what was typed (people paste whole addresses into the alias field). */
export function aliasOf(typed: string): string {
  const at = typed.indexOf('@');
  return at >= 0 ? typed.slice(0, at) : typed;
}

/** The display name a user's first and last names suggest. */
export function suggestedDisplayName(firstName: string, lastName: string): string {
  return [firstName.trim(), lastName.trim()].filter(Boolean).join(' ');
}

/** What the console needs of a SubscribedSku (one per subscription of the partner's with licences). */
export interface SkuLike {
  subscriptionId: string;
  productSku: { id: string; name: string };
  capabilityStatus: 'enabled' | 'suspended';
  totalUnits: number;
  consumedUnits: number;
  availableUnits: number;
}

/** A product as the licence checkboxes show it: one offer, its seats over the partner's subscriptions of it. */
export interface Product {
  id: string;
  name: string;
  total: number;
  consumed: number;
  /** Free seats of its subscriptions that can be assigned now (not suspended). */
  available: number;
  /** Every subscription of it is suspended: nothing can be assigned, licences can still be taken away. */
  suspended: boolean;
  subscriptionIds: string[];
}

/** The partner's subscriptions with licences, one product per offer, by name. */
export function productsOf(skus: readonly SkuLike[]): Product[] {
  const byId = new Map<string, Product>();
  for (const s of skus) {
    const p = byId.get(s.productSku.id) ?? {
      id: s.productSku.id,
      name: s.productSku.name,
      total: 0,
      consumed: 0,
      available: 0,
      suspended: true,
      subscriptionIds: [],
    };
    p.total += s.totalUnits;
    p.consumed += s.consumedUnits;
    if (s.capabilityStatus === 'enabled') {
      p.available += Math.max(0, s.availableUnits);
      p.suspended = false;
    }
    p.subscriptionIds.push(s.subscriptionId);
    byId.set(p.id, p);
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * What the console needs of a user's licence: a CustomerUser's assignedLicenses (active ones, without their
 * subscription) or an item of its licences list.
 */
export interface LicenseLike {
  productSku: { id: string };
  /** When known: one of the partner's subscriptions, or null for another partner's. */
  subscriptionId?: string | null;
  soldByYou: boolean;
  /** Absent: active. */
  state?: 'active' | 'released';
}

/**
 * How many of the users hold each product through one of the partner's subscriptions: only those licences can
 * be changed here (another partner's seat of the same offer is that partner's to take away). A licence sold by
 * the partner is of one of its subscriptions of that offer, all of which are the product's (an ended
 * subscription takes its licences with it), so the product's id is enough when the subscription is not known.
 */
export function holders(
  products: readonly Product[],
  licensesByUser: ReadonlyMap<string, readonly LicenseLike[]>,
): Map<string, Set<string>> {
  const result = new Map(products.map((p) => [p.id, new Set<string>()]));
  for (const [userId, licenses] of licensesByUser)
    for (const l of licenses) {
      if ((l.state ?? 'active') !== 'active' || !l.soldByYou) continue;
      const product = products.find(
        (p) =>
          p.id === l.productSku.id && (!l.subscriptionId || p.subscriptionIds.includes(l.subscriptionId)),
      );
      if (product) result.get(product.id)!.add(userId);
    }
  return result;
}

/** Whether all, some or none of the selected users hold a product. */
export type Held = 'all' | 'some' | 'none';

export function heldBy(count: number, users: number): Held {
  if (users > 0 && count >= users) return 'all';
  return count > 0 ? 'some' : 'none';
}

/** What Save does with a product for the selected users: nothing, give it to all, take it from all. */
export type Choice = 'keep' | 'assign' | 'remove';

/** The checkbox of a product: checked when all will hold it, mixed when some keep theirs, clear when none. */
export function checkboxState(held: Held, choice: Choice): { checked: boolean; indeterminate: boolean } {
  if (choice === 'assign') return { checked: true, indeterminate: false };
  if (choice === 'remove') return { checked: false, indeterminate: false };
  return { checked: held === 'all', indeterminate: held === 'some' };
}

/**
 * The next choice when the checkbox is clicked. From a mixed state: everyone, then no one, then back as it was.
 * From all or none the box simply toggles. A product with no seat that can be given is never offered to users
 * who lack it.
 */
export function nextChoice(held: Held, choice: Choice, canAssign: boolean): Choice {
  if (held === 'all') return choice === 'remove' ? 'keep' : 'remove';
  if (held === 'none') return choice === 'assign' || !canAssign ? 'keep' : 'assign';
  // some
  if (choice === 'keep') return canAssign ? 'assign' : 'remove';
  if (choice === 'assign') return 'remove';
  return 'keep';
}

/** Seats Save would take for a product: one for each selected user without it. */
export function seatsNeeded(held: number, users: number, choice: Choice): number {
  return choice === 'assign' ? Math.max(0, users - held) : 0;
}

/** The body of a licence update for every selected user: products by offer id (the API picks the seat). */
export function licenseUpdateBody(choices: ReadonlyMap<string, Choice>): {
  licensesToAssign: { skuId: string }[];
  licensesToRemove: string[];
} {
  const entries = [...choices];
  return {
    licensesToAssign: entries.filter(([, c]) => c === 'assign').map(([skuId]) => ({ skuId })),
    licensesToRemove: entries.filter(([, c]) => c === 'remove').map(([skuId]) => skuId),
  };
}

/** A users-file row with its problems (a validation answer's row). */
export interface RowWithIssues {
  row: number;
  line: number;
  email: string;
  displayName: string;
  issues: { field: string; reason: string }[];
}

/** One table row per problem: row, e-mail, column, reason, in file order. */
export function issueRows(
  rows: readonly RowWithIssues[],
): { key: string; row: number; line: number; email: string; column: string; reason: string }[] {
  return [...rows]
    .sort((a, b) => a.row - b.row)
    .flatMap((r) =>
      r.issues.map((issue, i) => ({
        key: `${r.row}-${i}`,
        row: r.row,
        line: r.line,
        email: r.email,
        column: issue.field,
        reason: issue.reason,
      })),
    );
}

/** An import still being worked on: poll it. */
export const importRunning = (state: string) => state === 'queued' || state === 'running';

/** The progress of an import as a whole percentage (never 100 before it is complete). */
export function percentDone(rowsDone: number, totalRows: number, state: string): number {
  if (state === 'completed') return 100;
  if (totalRows <= 0) return 0;
  return Math.min(99, Math.floor((rowsDone / totalRows) * 100));
}
