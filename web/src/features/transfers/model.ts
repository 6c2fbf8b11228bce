// Transfer values without React or the API client, so that they can be tested on their own: the statuses,
// which side of a request the partner is on and what it may do there, the eligibility list grouped by partner
// of record, the bodies the forms send, and the API's per-subscription refusals as the form's problems.

export const TRANSFER_STATUSES = [
  'pending',
  'inProgress',
  'completed',
  'partiallyCompleted',
  'failed',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
export const DIRECTIONS = ['received', 'sent'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Statuses in which a request still holds its subscriptions. */
export const isOpen = (status: string) => status === 'pending' || status === 'inProgress';

// ── eligibility ──

export interface EligibilityLike {
  subscriptionId: string;
  friendlyName: string;
  partnerIdOnRecord: string;
  partnerNameOnRecord: string;
  isEligible: boolean;
  reason: string | null;
}

export interface SourceGroup<T extends EligibilityLike> {
  partnerId: string;
  partnerName: string;
  items: T[];
  eligible: number;
}

/**
 * The customer's subscriptions by partner of record, the possible sources: partners with something that can
 * move first, then by name. The caller's own subscriptions (`alreadyYours`) are no source and come apart.
 */
export function groupBySource<T extends EligibilityLike>(
  items: readonly T[],
): {
  sources: SourceGroup<T>[];
  yours: T[];
} {
  const yours = items.filter((i) => i.reason === 'alreadyYours');
  const groups = new Map<string, SourceGroup<T>>();
  for (const item of items) {
    if (item.reason === 'alreadyYours') continue;
    let group = groups.get(item.partnerIdOnRecord);
    if (!group) {
      group = {
        partnerId: item.partnerIdOnRecord,
        partnerName: item.partnerNameOnRecord,
        items: [],
        eligible: 0,
      };
      groups.set(item.partnerIdOnRecord, group);
    }
    group.items.push(item);
    if (item.isEligible) group.eligible += 1;
  }
  const sources = [...groups.values()].sort(
    (a, b) => Number(b.eligible > 0) - Number(a.eligible > 0) || a.partnerName.localeCompare(b.partnerName),
  );
  return { sources, yours };
}

/** The source chosen at first: the only partner with something that can move, else none. */
export function defaultSource(sources: readonly SourceGroup<EligibilityLike>[]): string {
  const possible = sources.filter((s) => s.eligible > 0);
  return possible.length === 1 ? possible[0]!.partnerId : '';
}

export interface RequestDraft {
  sourcePartnerId: string;
  allEligible: boolean;
  /** Chosen subscription ids (of the source). */
  chosen: readonly string[];
  note: string;
}

export type DraftProblem = 'noSource' | 'noSubscription';

/** What keeps the draft from being sent, if anything. */
export function draftProblem(draft: RequestDraft): DraftProblem | undefined {
  if (!draft.sourcePartnerId) return 'noSource';
  if (!draft.allEligible && draft.chosen.length === 0) return 'noSubscription';
  return undefined;
}

/** The create body: every eligible subscription of the source, or the chosen ones; the note when written. */
export function createBody(draft: RequestDraft): {
  sourcePartnerTenantId: string;
  subscriptionIds?: string[];
  allEligible?: boolean;
  note?: string;
} {
  const note = draft.note.trim();
  return {
    sourcePartnerTenantId: draft.sourcePartnerId,
    ...(draft.allEligible ? { allEligible: true } : { subscriptionIds: [...draft.chosen] }),
    ...(note ? { note } : {}),
  };
}

/**
 * The API's refusal of named subscriptions (`subscriptionIds[2]`: its reason) as problems naming the
 * subscription; a reason about the request as a whole keeps no name.
 */
export function refusedSubscriptions(
  details: readonly { field: string; reason: string }[],
  sent: readonly string[],
  items: readonly Pick<EligibilityLike, 'subscriptionId' | 'friendlyName'>[],
): { subscriptionId?: string; name?: string; reason: string }[] {
  return details.map((d) => {
    const m = /^subscriptionIds\[(\d+)\]$/i.exec(d.field);
    const id = m ? sent[Number(m[1])] : undefined;
    const item = id ? items.find((i) => i.subscriptionId === id) : undefined;
    return id
      ? { subscriptionId: id, name: item?.friendlyName ?? id, reason: d.reason }
      : { reason: d.reason };
  });
}

// ── one request ──

export interface TransferLike {
  direction: Direction;
  status: string;
  customerConsent: { status: 'pending' | 'given' | 'declined' };
}

export type Availability = 'hidden' | 'enabled' | 'awaitingConsent';

/**
 * The actions the partner may take on a request: the source accepts (only once the customer consented) or
 * rejects, the target cancels — while pending, with the roles that manage transfers, where the instance
 * allows transfers at all.
 */
export function actionsFor(
  transfer: TransferLike,
  canManage: boolean,
): { accept: Availability; reject: Availability; cancel: Availability } {
  const pending = canManage && transfer.status === 'pending';
  const source = pending && transfer.direction === 'received';
  return {
    accept: !source ? 'hidden' : transfer.customerConsent.status === 'given' ? 'enabled' : 'awaitingConsent',
    reject: source ? 'enabled' : 'hidden',
    cancel: pending && transfer.direction === 'sent' ? 'enabled' : 'hidden',
  };
}

/** The accept body: nothing when every line item is chosen (the API's default), else the chosen ones. */
export function acceptIds(
  lineItems: readonly { subscriptionId: string }[],
  chosen: readonly string[],
): string[] | undefined {
  return chosen.length === lineItems.length
    ? undefined
    : lineItems.map((l) => l.subscriptionId).filter((id) => chosen.includes(id));
}
