// The customer's side of transfer requests: what the customer-facing pages read and write, only through the
// transfers migration's SECURITY DEFINER functions keyed by the customer session's token hash (no partner
// context exists on these requests, so row-level security would show nothing).
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';

type Conn = Db | Trx;

export interface PortalTransferLine {
  lineNumber: number;
  subscriptionId: string;
  azureSubscriptionId: string | null;
  offerName: string;
  friendlyName: string;
  status: string;
}

export interface PortalTransferRow {
  id: string;
  status: string;
  customer_consent: 'pending' | 'given' | 'declined';
  consented_at: Date | null;
  consented_by: string | null;
  note: string;
  source_partner_name: string;
  target_partner_name: string;
  created_at: Date;
  expires_at: Date;
  closed_at: Date | null;
  line_items: PortalTransferLine[];
}

/** The session's organisation's transfer requests, newest first (none for an ended session). */
export async function portalTransfers(db: Conn, session: Buffer): Promise<PortalTransferRow[]> {
  return (await sql<PortalTransferRow>`select * from customer_portal_transfers(${session})`.execute(db)).rows;
}

/**
 * Records the customer's answer to a request awaiting consent; true when it was recorded. False when the
 * session is not a Global admin of the request's customer, or the request does not await consent (anymore).
 */
export async function answerTransfer(
  trx: Trx,
  session: Buffer,
  values: {
    transferId: string;
    decision: 'given' | 'declined';
    at: Date;
    requestId?: string;
    correlationId?: string;
  },
): Promise<boolean> {
  const r = await sql<{ id: string }>`select id from customer_portal_transfer_consent(${session},
    ${values.transferId}::uuid, ${values.decision}, ${values.at}::timestamptz, ${values.requestId ?? null},
    ${values.correlationId ?? null})`.execute(trx);
  return r.rows.length > 0;
}
