// What the signed-in partner user may do with transfers: the roles (the server's own table) and the cloud
// instance's policy. Where the instance refuses transfers (Germany), requests can be looked at but not made or
// answered, and the console says so instead of offering what the API would refuse.
import { allows } from '../../../../src/modules/partners/roles.ts';
import { useProfile } from '../../app/auth.tsx';

export interface TransferAccess {
  canView: boolean;
  /** Create, accept, reject, cancel. */
  canManage: boolean;
  /** The roles would allow changes, but the instance refuses transfers. */
  refusedHere: boolean;
  /** May open the customer pages (links from a request to its customer). */
  canOpenCustomers: boolean;
  partnerId: string;
}

export function useTransferAccess(): TransferAccess {
  const profile = useProfile();
  const allowed = profile.instance.policy.transfers;
  const mayManage = allows(profile.roles, 'transfers.manage');
  return {
    canView: allows(profile.roles, 'transfers.view'),
    canManage: mayManage && allowed,
    refusedHere: mayManage && !allowed,
    canOpenCustomers: allows(profile.roles, 'customers.view'),
    partnerId: profile.partner.id,
  };
}
