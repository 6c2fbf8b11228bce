// Transfers between partners, the customer's side (PRODUCT.md feature 6): a Global admin of the customer
// consents to a partner's request to take over the organisation's Azure subscriptions, or declines it (the
// request is then rejected, by the customer). Every user of the organisation sees its requests.
//
// Reads and writes go through the transfers migration's SECURITY DEFINER functions, keyed by the customer
// session's token hash; the consent function writes the request, its line items, a timeline event and an
// activity record for both partners in one statement. When it changes nothing, reading the request again
// tells why: not this organisation's (404), not a Global admin (403), or no longer awaiting consent (409).
import type { Db } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CustomerContext } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import * as repo from './transfers.portal.repository.ts';
import type { PortalTransferRow } from './transfers.portal.repository.ts';
import type { LINE_ITEM_STATUSES, TRANSFER_STATUSES } from './transfers.schemas.ts';

const GLOBAL_ADMIN = 'globalAdmin';

type TransferStatus = (typeof TRANSFER_STATUSES)[number];
type LineStatus = (typeof LINE_ITEM_STATUSES)[number];

const STATUS_WORDS: Record<TransferStatus, string> = {
  pending: 'pending',
  inProgress: 'in progress',
  completed: 'completed',
  partiallyCompleted: 'partially completed',
  failed: 'failed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
};

export interface CustomerTransferView {
  id: string;
  status: TransferStatus;
  customerConsent: 'pending' | 'given' | 'declined';
  consentedAt: string | null;
  consentedBy: string | null;
  note: string;
  sourcePartnerName: string;
  targetPartnerName: string;
  createdTime: string;
  expiresAt: string | null;
  completedTime: string | null;
  lineItems: {
    id: number;
    subscriptionId: string;
    azureSubscriptionId: string | null;
    offerName: string;
    friendlyName: string;
    status: LineStatus;
  }[];
  attributes: { objectType: 'CustomerTransfer' };
}

/**
 * A request as the customer sees it. A pending request past its expiry is shown as expired (what the expiry
 * job will make it): it can no longer be consented to, and saying "pending" would invite the attempt.
 */
function toView(row: PortalTransferRow, now: Date): CustomerTransferView {
  const lapsed = row.status === 'pending' && row.expires_at <= now;
  const status = (lapsed ? 'expired' : row.status) as TransferStatus;
  return {
    id: row.id,
    status,
    customerConsent: row.customer_consent,
    consentedAt: row.consented_at?.toISOString() ?? null,
    consentedBy: row.consented_by,
    note: row.note,
    sourcePartnerName: row.source_partner_name,
    targetPartnerName: row.target_partner_name,
    createdTime: row.created_at.toISOString(),
    // Until when it can be answered, and when it ran out; nothing once it ended otherwise.
    expiresAt: status === 'pending' || status === 'expired' ? row.expires_at.toISOString() : null,
    completedTime: row.closed_at?.toISOString() ?? null,
    lineItems: row.line_items.map((l) => ({
      id: l.lineNumber,
      subscriptionId: l.subscriptionId,
      azureSubscriptionId: l.azureSubscriptionId,
      offerName: l.offerName,
      friendlyName: l.friendlyName,
      status: (lapsed && l.status === 'pending' ? 'expired' : l.status) as LineStatus,
    })),
    attributes: { objectType: 'CustomerTransfer' },
  };
}

export function createTransferPortalService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function answer(
    cctx: CustomerContext,
    transferId: string,
    decision: 'given' | 'declined',
  ): Promise<CustomerTransferView> {
    // The route takes a GUID in either case; the store answers in lower case.
    transferId = transferId.toLowerCase();
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const changed = await repo.answerTransfer(trx, cctx.sessionHash, {
        transferId,
        decision,
        at: now,
        requestId: cctx.requestId,
        correlationId: cctx.correlationId,
      });
      // Read after the write, in the same transaction: the answer shows the request as it now is.
      const row = (await repo.portalTransfers(trx, cctx.sessionHash)).find((t) => t.id === transferId);
      if (!row) throw new AppError('transferNotFound');
      const view = toView(row, now);
      if (changed) return view;
      const awaitsConsent = view.status === 'pending' && view.customerConsent === 'pending';
      // A Global admin who reached a request still awaiting consent, yet changed nothing, lost the role meanwhile.
      if (!cctx.roles.includes(GLOBAL_ADMIN) || awaitsConsent)
        throw new AppError('transferConsentNotAllowed', {
          message:
            `Only a Global admin of ${cctx.customerName} can ${decision === 'given' ? 'consent to' : 'decline'} ` +
            'a transfer request; ask one of your Global admins.',
        });
      throw new AppError('transferAlreadyProcessed', {
        message:
          view.status === 'pending'
            ? `Your organisation has already ${view.customerConsent === 'given' ? 'consented to' : 'declined'} ` +
              'this transfer request.'
            : `This transfer request is ${STATUS_WORDS[view.status]}; it no longer awaits your consent.`,
        data: [{ status: view.status, customerConsent: view.customerConsent }],
      });
    });
  }

  return {
    /** The organisation's transfer requests, newest first. */
    async list(cctx: CustomerContext): Promise<CustomerTransferView[]> {
      const now = clock.now();
      return (await repo.portalTransfers(db, cctx.sessionHash)).map((row) => toView(row, now));
    },

    /** Consents to a request awaiting consent: the source partner may then accept it. */
    consent: (cctx: CustomerContext, transferId: string) => answer(cctx, transferId, 'given'),

    /** Declines a request awaiting consent: it becomes rejected, by the customer, with its line items. */
    decline: (cctx: CustomerContext, transferId: string) => answer(cctx, transferId, 'declined'),
  };
}

export type TransferPortalService = ReturnType<typeof createTransferPortalService>;
