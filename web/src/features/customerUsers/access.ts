// What the signed-in partner user may do with a customer's directory: the roles (the server's own table) and
// the cloud instance's policy. In US Government and Germany the directory is read-only here and adding users
// from a file is not offered at all, so the console offers neither rather than letting the API refuse.
import { allows } from '../../../../src/modules/partners/roles.ts';
import { useProfile } from '../../app/auth.tsx';

export interface DirectoryAccess {
  canView: boolean;
  /** Add, edit, delete, restore, reset passwords, roles and licences. */
  canManage: boolean;
  /** Add users from a file. */
  canUpload: boolean;
  /** The roles would allow changes, but the instance manages the directory elsewhere. */
  readOnlyHere: boolean;
  /** May open the add-subscription flow (for "Buy more"). */
  canBuy: boolean;
  instance: 'global' | 'usgov' | 'germany';
}

export function useDirectoryAccess(): DirectoryAccess {
  const profile = useProfile();
  const policy = profile.instance.policy;
  const mayManage = allows(profile.roles, 'customerUsers.manage');
  const canManage = mayManage && policy['customerUsers.write'];
  return {
    canView: allows(profile.roles, 'customerUsers.view'),
    canManage,
    canUpload: canManage && policy['customerUsers.bulkCsv'],
    readOnlyHere: !policy['customerUsers.write'],
    canBuy: allows(profile.roles, 'subscriptions.manage'),
    instance: profile.instance.id,
  };
}
