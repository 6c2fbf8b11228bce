// Actions as people read them: a localized label per action the server records (activity.actions.<action>),
// the raw action for one this console does not know yet (a newer server), and the families the filter offers.
import type { MessageKey } from '../../i18n/catalogs.ts';
import { CATALOGS } from '../../i18n/catalogs.ts';
import type { I18n } from '../../i18n/i18n.tsx';

/** Every action the server records today (grep `action:` in src/modules), in the order the filter lists them. */
export const ACTIONS = [
  'partnerUser.signIn',
  'partnerUser.signOut',
  'partnerUser.changePassword',
  'partnerUser.updateProfile',
  'partnerUser.create',
  'partnerUser.update',
  'partnerUser.resetPassword',
  'apiToken.create',
  'apiToken.revoke',
  'partner.create',
  'customer.create',
  'customer.updateBillingProfile',
  'customer.updateCompanyProfile',
  'customer.confirmAgreement',
  'relationshipInvitation.create',
  'relationshipInvitation.revoke',
  'relationship.accept',
  'relationship.removeDelegatedAdmin',
  'relationship.remove',
  'order.create',
  'subscription.update',
  'subscription.suspend',
  'subscription.reactivate',
  'subscription.cancel',
  'subscription.delete',
  'subscription.updateSupportContact',
  'customerUser.create',
  'customerUser.update',
  'customerUser.delete',
  'customerUser.restore',
  'customerUser.purge',
  'customerUser.resetPassword',
  'customerUser.addRole',
  'customerUser.removeRole',
  'customerUser.updateLicenses',
  'customerUser.import',
  'transfer.create',
  'transfer.consent',
  'transfer.consentDecline',
  'transfer.accept',
  'transfer.reject',
  'transfer.cancel',
  'transfer.expire',
  'transfer.subscriptionTransferred',
  'transfer.subscriptionFailed',
  'transfer.complete',
  'usage.recorded',
  'budget.updated',
  'budget.removed',
  'budget.thresholdReached',
  'invoice.issued',
  'creditNote.issued',
] as const;

/** Action families: the API's `action` parameter matches `family` and every `family.*`. */
export const FAMILIES = [
  'partnerUser',
  'apiToken',
  'partner',
  'customer',
  'relationship',
  'relationshipInvitation',
  'order',
  'subscription',
  'customerUser',
  'transfer',
  'usage',
  'budget',
  'invoice',
  'creditNote',
] as const;

export function actionLabel(t: I18n['t'], action: string): string {
  const key = `activity.actions.${action}`;
  return key in CATALOGS.en ? t(key as MessageKey) : action;
}
