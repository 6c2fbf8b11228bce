// What the signed-in partner user may do with service requests (the server's own role table): Sales agents
// look, the support roles also open, answer and close them; only those who may list partner users get the
// choice of anyone to assign a request to (the others assign themselves, or nobody).
import { allows } from '../../../../src/modules/partners/roles.ts';
import { useProfile } from '../../app/auth.tsx';

export interface SupportAccess {
  canView: boolean;
  canManage: boolean;
  canListUsers: boolean;
  canOpenCustomers: boolean;
  userId: string;
  displayName: string;
}

export function useSupportAccess(): SupportAccess {
  const profile = useProfile();
  return {
    canView: allows(profile.roles, 'support.view'),
    canManage: allows(profile.roles, 'support.manage'),
    canListUsers: allows(profile.roles, 'partnerUsers.manage'),
    canOpenCustomers: allows(profile.roles, 'customers.view'),
    userId: profile.id,
    displayName: profile.displayName,
  };
}
