// Which customer a call about orders and subscriptions is about, and whether the caller may act on it. Reads
// need the customer in the caller's list (else "not found", as everywhere). Writes say more to a partner whose
// relationship has ended: it knew the customer, so 403 noResellerRelationship tells it what to do (request a
// new relationship) where a 404 would only puzzle it; a partner that never had one still gets 404.
import type { Trx } from '../../db/database.ts';
import type { CallerContext } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { CustomersService } from '../customers/customers.service.ts';

export type CustomerAccess = Pick<CustomersService, 'getInTransaction' | 'relationshipState'>;

/** What orders and subscriptions need of a customer. */
export interface OrderCustomer {
  id: string;
  name: string;
  /** The billing address's country: it decides what may be sold and in which currency. */
  country: string;
  agreementConfirmed: boolean;
}

async function view(customers: CustomerAccess, trx: Trx, ctx: CallerContext, customerId: string) {
  const c = await customers.getInTransaction(trx, ctx, customerId);
  return {
    id: c.id,
    name: c.billingProfile.companyName,
    country: c.billingProfile.defaultAddress.country,
    agreementConfirmed: c.customerAgreement.confirmed,
  };
}

export function customerForRead(
  customers: CustomerAccess,
  trx: Trx,
  ctx: CallerContext,
  customerId: string,
): Promise<OrderCustomer> {
  return view(customers, trx, ctx, customerId);
}

/** The check of customerForWrite alone, for a caller that reads more of the customer than OrderCustomer has. */
export async function assertActiveRelationship(
  customers: CustomerAccess,
  trx: Trx,
  ctx: CallerContext,
  customerId: string,
): Promise<void> {
  const state = await customers.relationshipState(trx, ctx, customerId);
  if (state === undefined) throw new AppError('customerNotFound');
  if (state !== 'active') throw new AppError('noResellerRelationship');
}

export async function customerForWrite(
  customers: CustomerAccess,
  trx: Trx,
  ctx: CallerContext,
  customerId: string,
): Promise<OrderCustomer> {
  await assertActiveRelationship(customers, trx, ctx, customerId);
  return view(customers, trx, ctx, customerId);
}
