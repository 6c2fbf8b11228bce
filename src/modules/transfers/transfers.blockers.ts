// What of transfers stands in the way elsewhere: an open request (pending or being completed) for the customer
// blocks removing the caller's reseller relationship, and a subscription being moved cannot be changed.
import type { Trx } from '../../db/database.ts';
import type { BlockerProvider } from '../relationships/relationships.service.ts';
import * as repo from './transfers.repository.ts';

export const transferBlockers: BlockerProvider = async (trx, ctx, customerId) => {
  const open = await repo.openTransfers(trx, ctx.partnerId, customerId);
  return open.map((t) => {
    const sent = t.source_partner_id !== ctx.partnerId;
    const state = t.status === 'inProgress' ? 'is being completed' : 'is pending';
    return {
      code: 'transferInFlight',
      description: sent
        ? `Your transfer request to ${t.source_partner_name} ${state}.`
        : `A transfer request from ${t.target_partner_name} ${state}.`,
      fix: 'Cancel or reject the transfer request, or wait for it to finish.',
      resourceId: t.id,
    };
  });
};

/** Is the subscription in an accepted line item, about to be moved by the transfer job? */
export function beingTransferred(trx: Trx, subscriptionId: string): Promise<boolean> {
  return repo.inTransferInProgress(trx, subscriptionId);
}
