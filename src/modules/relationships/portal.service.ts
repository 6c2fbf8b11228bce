// Reseller relationships, the customer's side (PRODUCT.md feature 4): a customer's admin opens a partner's
// invitation link, signs in with the organisation's own directory account, changes a temporary password,
// confirms the customer agreement if the organisation has not yet, and accepts; the admin also sees the
// organisation's partners and may remove a partner's delegated admin privileges while keeping the relationship.
//
// Customer sessions are not partner credentials: they live in their own table, are resolved only for routes
// with the 'customerPortal' operation (src/http/auth.plugin.ts), and carry a CustomerContext, never a
// CallerContext. Sign-in mirrors partner sign-in: one answer (invalidCredentials) for unknown users, wrong
// passwords and deactivated users, one argon2 verification even for an unknown user, a lockout after repeated
// failures counted under a row lock. Reads go through the relationships migration's SECURITY DEFINER functions,
// keyed by the session's token hash; writes to a partner's rows (the relationship, the acceptance, its activity
// record) run in that partner's transaction under its row-level security.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CustomerContext } from '../../lib/context.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import { accountLockedError, afterWrongPassword } from '../../lib/lockout.ts';
import { dummyPasswordHash, hashPassword, passwordIssues, verifyPassword } from '../../lib/passwords.ts';
import { hashSecret, newSecret } from '../../lib/tokens.ts';
import type { Actor } from '../activity/activity.record.ts';
import { recordAs } from '../activity/activity.record.ts';
import type { AgreementInput, CountryRules } from '../customers/customers.service.ts';
import { checkAgreement } from '../customers/customers.service.ts';
import type { InstanceService } from '../instances/instances.ts';
import * as portal from './portal.repository.ts';
import type { InvitationByToken } from './portal.repository.ts';
import * as repo from './relationships.repository.ts';

/** A customer session lasts an hour: long enough to accept an invitation or manage partners, no longer. */
export const CUSTOMER_SESSION_SECONDS = 3600;
const GLOBAL_ADMIN = 'globalAdmin';
const AGREEMENT_FIELDS = ['firstName', 'lastName', 'email', 'dateAgreed'] as const;

export interface CustomerSessionView {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  mustChangePassword: boolean;
  user: { id: string; userName: string; displayName: string; roles: string[] };
  customer: { id: string; name: string; domain: string };
}

export interface CustomerMeView {
  user: { id: string; userName: string; displayName: string; roles: string[]; mustChangePassword: boolean };
  customer: { id: string; name: string; domain: string; instance: CustomerContext['instance'] };
  customerAgreement: { confirmed: boolean; dateAgreed: string | null };
  attributes: { objectType: 'CustomerPortalProfile' };
}

export interface InvitationPreviewView {
  partner: { name: string; instance: InvitationByToken['partner_instance']; country: string };
  includesDelegatedAdminPrivileges: boolean;
  expiresAt: string;
  attributes: { objectType: 'RelationshipInvitationPreview' };
}

export type AcceptOutcome = 'created' | 'reactivated' | 'delegatedAdminGranted' | 'unchanged';

export interface AcceptanceView {
  partner: { id: string; name: string };
  customer: { id: string; name: string };
  relationshipToPartner: 'reseller';
  delegatedAdminPrivileges: boolean;
  outcome: AcceptOutcome;
  relationshipEstablishedAt: string;
  attributes: { objectType: 'RelationshipAcceptance' };
}

export interface CustomerPartnerView {
  id: string;
  name: string;
  country: string;
  instance: CustomerContext['instance'];
  delegatedAdminPrivileges: boolean;
  relationshipEstablishedAt: string;
  attributes: { objectType: 'PartnerRelationship' };
}

type Outcome =
  { result: 'invalid' } | { result: 'locked'; until: Date } | { result: 'ok'; mustChangePassword: boolean };

export function createPortalService(deps: {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'auth'>;
  instances: Pick<InstanceService, 'assert' | 'get'>;
  countries: Pick<CountryRules, 'addressIssues'>;
}) {
  const { db, clock, instances, countries } = deps;

  const actorOf = (cctx: CustomerContext): Actor => ({
    kind: 'customer',
    id: cctx.userId,
    name: cctx.userName,
  });
  const idsOf = (cctx: CustomerContext) => ({ requestId: cctx.requestId, correlationId: cctx.correlationId });
  const sessionGone = () =>
    new AppError('unauthenticated', { message: 'Your session has ended; sign in again.' });

  function requireGlobalAdmin(cctx: CustomerContext, what: string): void {
    if (cctx.roles.includes(GLOBAL_ADMIN)) return;
    throw new AppError('customerAdminRequired', {
      message: `Only a Global admin of ${cctx.customerName} may ${what}; ask one of your Global admins.`,
    });
  }

  /** The invitation behind a link, or why it cannot be used: unknown, revoked or expired. */
  async function usableInvitation(token: string): Promise<InvitationByToken> {
    const found = await portal.invitationByToken(db, hashSecret(token));
    // A deactivated partner's links lead nowhere, as if they never existed.
    if (!found || found.partner_state !== 'active') throw new AppError('invitationNotFound');
    if (found.revoked_at) throw new AppError('invitationRevoked');
    if (found.expires_at <= clock.now()) throw new AppError('invitationExpired');
    return found;
  }

  return {
    /** What the invitation page shows before sign-in: the partner, what it asks, until when. Nothing else. */
    async invitation(token: string): Promise<InvitationPreviewView> {
      const found = await usableInvitation(token);
      return {
        partner: {
          name: found.partner_name,
          instance: found.partner_instance,
          country: found.partner_country,
        },
        includesDelegatedAdminPrivileges: found.include_dap,
        expiresAt: found.expires_at.toISOString(),
        attributes: { objectType: 'RelationshipInvitationPreview' },
      };
    },

    async signIn(userNameRaw: string, password: string): Promise<CustomerSessionView> {
      const userName = userNameRaw.trim().toLowerCase();
      const candidate = userName.length <= 254 ? await portal.findUser(db, userName) : undefined;
      if (!candidate) {
        await verifyPassword(await dummyPasswordHash(), password);
        throw new AppError('invalidCredentials');
      }
      // While locked even the right password is refused, so it is not checked at all.
      const lockedBefore = candidate.locked_until && candidate.locked_until > clock.now();
      const passwordOk = lockedBefore ? false : await verifyPassword(candidate.password_hash, password);
      const secret = newSecret('pdu');
      const tokenHash = hashSecret(secret);

      // Counters commit even when the attempt fails; the error is thrown after the transaction.
      const outcome = await db.transaction().execute(async (trx): Promise<Outcome> => {
        const user = await portal.lockUser(trx, candidate.id);
        if (!user) return { result: 'invalid' };
        const now = clock.now();
        if (user.locked_until && user.locked_until > now)
          return { result: 'locked', until: user.locked_until };
        if (user.state !== 'active') return { result: 'invalid' };
        if (!passwordOk) {
          const { failedSignIns, lockedUntil } = afterWrongPassword(
            user.failed_sign_ins,
            now,
            deps.config.auth,
          );
          await portal.recordAttempt(trx, user.id, { failedSignIns, lockedUntil, signedInAt: null });
          return { result: 'invalid' };
        }
        await portal.recordAttempt(trx, user.id, { failedSignIns: 0, lockedUntil: null, signedInAt: now });
        await portal.startSession(trx, {
          tokenHash,
          userId: user.id,
          createdAt: now,
          expiresAt: new Date(now.getTime() + CUSTOMER_SESSION_SECONDS * 1000),
        });
        return { result: 'ok', mustChangePassword: user.must_change_password };
      });
      if (outcome.result === 'locked') throw accountLockedError(outcome.until, clock.now());
      if (outcome.result !== 'ok') throw new AppError('invalidCredentials');
      const session = await portal.resolveCustomerSession(db, tokenHash);
      if (!session) throw new AppError('invalidCredentials');
      return {
        access_token: secret,
        token_type: 'Bearer',
        expires_in: CUSTOMER_SESSION_SECONDS,
        mustChangePassword: outcome.mustChangePassword,
        user: {
          id: session.user_id,
          userName: session.user_name,
          displayName: session.display_name,
          roles: session.roles,
        },
        customer: { id: session.customer_id, name: session.customer_name, domain: session.customer_domain },
      };
    },

    async signOut(cctx: CustomerContext): Promise<void> {
      await portal.endSession(db, cctx.sessionHash);
    },

    /** Replaces the password; the temporary flag clears and the user's other sessions end. */
    async changePassword(cctx: CustomerContext, currentPassword: string, newPassword: string): Promise<void> {
      const stored = await portal.passwordHash(db, cctx.sessionHash);
      if (!stored) throw sessionGone();
      if (!(await verifyPassword(stored, currentPassword)))
        throw new AppError('currentPasswordIncorrect', {
          details: [{ field: 'currentPassword', reason: 'is not your current password' }],
        });
      const issues = passwordIssues(newPassword, 'newPassword', cctx.userName);
      if (newPassword === currentPassword)
        issues.push({ field: 'newPassword', reason: 'must differ from the current password' });
      if (issues.length) throw new AppError('passwordTooWeak', { details: issues });
      const ended = await portal.setPassword(
        db,
        cctx.sessionHash,
        stored,
        await hashPassword(newPassword),
        clock.now(),
      );
      // Hashing is slow, so it ran between reading and writing; a change made meanwhile is not overwritten.
      if (ended === null)
        throw new AppError('currentPasswordIncorrect', {
          details: [{ field: 'currentPassword', reason: 'the password was changed meanwhile' }],
        });
    },

    async me(cctx: CustomerContext): Promise<CustomerMeView> {
      const customer = await portal.portalCustomer(db, cctx.sessionHash);
      if (!customer) throw sessionGone();
      return {
        user: {
          id: cctx.userId,
          userName: cctx.userName,
          displayName: cctx.displayName,
          roles: cctx.roles,
          mustChangePassword: cctx.mustChangePassword,
        },
        customer: {
          id: customer.id,
          name: customer.company_name,
          domain: customer.primary_domain,
          instance: customer.instance,
        },
        customerAgreement: {
          confirmed: customer.agreement_date !== null,
          dateAgreed: customer.agreement_date,
        },
        attributes: { objectType: 'CustomerPortalProfile' },
      };
    },

    /**
     * Accepts the invitation for the signed-in user's organisation: a new reseller relationship (with DAP if
     * invited so), a removed one made active again, or DAP added to an active one; an active relationship that is
     * already as invited is a success that changes nothing. Only a Global admin of the tenant, only within one
     * cloud instance, and only with the customer agreement confirmed (now, in the body, if not before).
     */
    async accept(
      cctx: CustomerContext,
      token: string,
      input: { customerAgreement?: AgreementInput },
    ): Promise<AcceptanceView> {
      const invitation = await usableInvitation(token);
      requireGlobalAdmin(cctx, 'accept a partner’s invitation');
      if (invitation.partner_instance !== cctx.instance)
        throw new AppError('relationshipAcrossInstances', {
          message:
            `${invitation.partner_name} is in the ${instances.get(invitation.partner_instance).name} cloud ` +
            `instance and your organisation in the ${instances.get(cctx.instance).name} one; a relationship ` +
            `cannot span two instances.`,
          data: [{ partnerInstance: invitation.partner_instance, customerInstance: cctx.instance }],
        });
      // The instance's policy when the link is used, not only when it was made.
      instances.assert(invitation.partner_instance, 'relationships.requestExisting');
      if (!invitation.include_dap) instances.assert(invitation.partner_instance, 'relationships.withoutDap');

      const customer = await portal.portalCustomer(db, cctx.sessionHash);
      if (!customer) throw sessionGone();
      let agreement: ReturnType<typeof checkAgreement>['agreement'] | undefined;
      if (input.customerAgreement) {
        const checked = checkAgreement(input.customerAgreement, 'customerAgreement', customer.country ?? '', {
          now: clock.now(),
          countries,
        });
        if (checked.issues.length > 0) throw invalid(...checked.issues);
        agreement = checked.agreement;
      } else if (customer.agreement_date === null)
        throw invalid(
          ...AGREEMENT_FIELDS.map((field) => ({
            field: `customerAgreement.${field}`,
            reason: 'is required: your organisation has not yet accepted the customer agreement',
          })),
        );

      const partnerId = invitation.partner_id;
      return inPartnerTransaction(db, partnerId, async (trx) => {
        const keys = await portal.relationshipKeys(trx, cctx.sessionHash);
        if (!keys) throw sessionGone();
        const now = clock.now();
        let outcome: AcceptOutcome;
        if (await repo.insertRelationship(trx, partnerId, keys, invitation.include_dap, now))
          outcome = 'created';
        else {
          const current = await repo.lockRelationship(trx, partnerId, keys.customer_id);
          if (current?.state === 'removed') {
            await repo.reactivateRelationship(trx, partnerId, keys, invitation.include_dap, now);
            outcome = 'reactivated';
          } else if (current && !current.delegated_admin && invitation.include_dap) {
            await repo.setDelegatedAdmin(trx, partnerId, keys.customer_id, true);
            outcome = 'delegatedAdminGranted';
          } else outcome = 'unchanged';
        }
        const customerRef = { id: keys.customer_id, name: keys.company_name };
        if (agreement) {
          // After the relationship: row-level security lets the partner's transaction write the agreement of a
          // related customer only.
          const agreementId = await repo.insertCustomerAgreement(trx, {
            customerId: keys.customer_id,
            partnerId,
            firstName: agreement.firstName,
            lastName: agreement.lastName,
            email: agreement.email,
            phone: agreement.phone,
            dateAgreed: agreement.date,
            now,
          });
          await recordAs(
            trx,
            partnerId,
            actorOf(cctx),
            {
              action: 'customer.confirmAgreement',
              resourceType: 'Agreement',
              resourceId: agreementId,
              customer: customerRef,
              details: {
                confirmedBy: 'customer',
                signer: `${agreement.firstName} ${agreement.lastName} <${agreement.email}>`,
                dateAgreed: agreement.date,
              },
            },
            idsOf(cctx),
          );
        }
        if (outcome !== 'unchanged') {
          await repo.insertAcceptance(trx, {
            invitationId: invitation.id,
            partnerId,
            customerId: keys.customer_id,
            acceptedBy: cctx.userId,
            outcome,
            now,
          });
          await recordAs(
            trx,
            partnerId,
            actorOf(cctx),
            {
              action: 'relationship.accept',
              resourceType: 'Customer',
              resourceId: keys.customer_id,
              customer: customerRef,
              details: {
                invitationId: invitation.id,
                outcome,
                includeDelegatedAdminPrivileges: invitation.include_dap,
                domain: keys.primary_domain,
              },
            },
            idsOf(cctx),
          );
        }
        const after = await repo.lockRelationship(trx, partnerId, keys.customer_id);
        return {
          partner: { id: partnerId, name: invitation.partner_name },
          customer: customerRef,
          relationshipToPartner: 'reseller',
          delegatedAdminPrivileges: after!.delegated_admin,
          outcome,
          relationshipEstablishedAt: after!.established_at.toISOString(),
          attributes: { objectType: 'RelationshipAcceptance' },
        };
      });
    },

    /** The partners the organisation has an active relationship with, and which hold DAP. */
    async partners(cctx: CustomerContext): Promise<CustomerPartnerView[]> {
      const rows = await portal.portalPartners(db, cctx.sessionHash);
      return rows.map((r) => ({
        id: r.partner_id,
        name: r.partner_name,
        country: r.partner_country,
        instance: r.instance,
        delegatedAdminPrivileges: r.delegated_admin,
        relationshipEstablishedAt: r.established_at.toISOString(),
        attributes: { objectType: 'PartnerRelationship' },
      }));
    },

    /**
     * Removes a partner's delegated admin privileges; the reseller relationship stays (PRODUCT.md feature 4).
     * Recorded in that partner's activity log. Removing what is already gone changes nothing.
     */
    async removeDelegatedAdmin(cctx: CustomerContext, partnerId: string): Promise<void> {
      requireGlobalAdmin(cctx, 'remove a partner’s delegated admin privileges');
      await inPartnerTransaction(db, partnerId, async (trx) => {
        const current = await repo.lockRelationship(trx, partnerId, cctx.customerId);
        if (!current || current.state !== 'active')
          throw new AppError('partnerNotFound', {
            message: 'Your organisation has no relationship with this partner.',
          });
        if (!current.delegated_admin) return;
        await repo.setDelegatedAdmin(trx, partnerId, cctx.customerId, false);
        await recordAs(
          trx,
          partnerId,
          actorOf(cctx),
          {
            action: 'relationship.removeDelegatedAdmin',
            resourceType: 'Customer',
            resourceId: cctx.customerId,
            customer: { id: cctx.customerId, name: cctx.customerName },
            details: { removedBy: 'customer', domain: cctx.customerDomain },
          },
          idsOf(cctx),
        );
      });
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
