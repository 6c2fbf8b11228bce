// The transfer consent page's logic without a browser: what the customer's admin can do with a request (answer
// it, or why not), what a refused answer from the API means for the page, and how a status is shown.
import type { MessageKey } from '../../i18n/catalogs.ts';

export type TransferStatus =
  | 'pending'
  | 'inProgress'
  | 'completed'
  | 'partiallyCompleted'
  | 'failed'
  | 'rejected'
  | 'cancelled'
  | 'expired';

/** The fields the page's decisions read (the API's CustomerTransfer has them all). */
export interface TransferLike {
  status: TransferStatus;
  customerConsent: 'pending' | 'given' | 'declined';
}

/**
 * Where the request stands for the organisation: `answer` when the signed-in user may consent or decline now;
 * otherwise why not, one case per explanation the page gives.
 */
export type ConsentState =
  | 'answer'
  | 'notGlobalAdmin'
  | 'consented'
  | 'declined'
  | 'expired'
  | 'cancelled'
  | 'rejectedBySource'
  | 'inProgress'
  | 'completed'
  | 'partiallyCompleted'
  | 'failed';

export const CONSENT_STATES: readonly ConsentState[] = [
  'answer',
  'notGlobalAdmin',
  'consented',
  'declined',
  'expired',
  'cancelled',
  'rejectedBySource',
  'inProgress',
  'completed',
  'partiallyCompleted',
  'failed',
];

export function consentState(transfer: TransferLike, isGlobalAdmin: boolean): ConsentState {
  switch (transfer.status) {
    case 'pending':
      if (transfer.customerConsent === 'given') return 'consented';
      // (A pending request is never declined: declining rejects it.)
      return isGlobalAdmin ? 'answer' : 'notGlobalAdmin';
    case 'rejected':
      return transfer.customerConsent === 'declined' ? 'declined' : 'rejectedBySource';
    default:
      return transfer.status;
  }
}

/** The explanation of a state; `answer` needs none beyond the buttons' own. */
export const STATE_MESSAGE: Record<Exclude<ConsentState, 'answer'>, MessageKey> = {
  notGlobalAdmin: 'portalTransfers.state.notGlobalAdmin',
  consented: 'portalTransfers.state.consented',
  declined: 'portalTransfers.state.declined',
  expired: 'portalTransfers.state.expired',
  cancelled: 'portalTransfers.state.cancelled',
  rejectedBySource: 'portalTransfers.state.rejectedBySource',
  inProgress: 'portalTransfers.state.inProgress',
  completed: 'portalTransfers.state.completed',
  partiallyCompleted: 'portalTransfers.state.partiallyCompleted',
  failed: 'portalTransfers.state.failed',
};

/**
 * States the page shows as a refusal with a title (the user came to answer and cannot), the others as plain
 * information.
 */
export const REFUSED_TITLE: Partial<Record<ConsentState, MessageKey>> = {
  notGlobalAdmin: 'portalTransfers.refusedState.notGlobalAdmin',
  expired: 'portalTransfers.refusedState.expired',
  cancelled: 'portalTransfers.refusedState.cancelled',
};

/**
 * What a refused consent or decline means: the request changed meanwhile (show it as it now is), the user
 * lacks the role, or the request is not the organisation's. Anything else is an error to show as it is.
 */
export function refusal(errorName: string): 'processed' | 'notGlobalAdmin' | 'notFound' | undefined {
  if (errorName === 'transferAlreadyProcessed') return 'processed';
  if (errorName === 'transferConsentNotAllowed') return 'notGlobalAdmin';
  if (errorName === 'transferNotFound') return 'notFound';
  return undefined;
}

/** The badge's look for a status: done, ended badly, ended otherwise (or only partly done), or still open. */
export function statusTone(status: TransferStatus): 'succeeded' | 'failed' | 'inactive' | 'open' {
  if (status === 'completed') return 'succeeded';
  if (status === 'failed' || status === 'rejected') return 'failed';
  if (status === 'cancelled' || status === 'expired' || status === 'partiallyCompleted') return 'inactive';
  return 'open';
}

/** Requests still waiting for the organisation's answer, first on the list page. */
export function awaitingConsent<T extends TransferLike>(items: readonly T[]): T[] {
  return items.filter((t) => t.status === 'pending' && t.customerConsent === 'pending');
}
