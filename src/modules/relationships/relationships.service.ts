// Reseller relationships, the partner's side (PRODUCT.md features 4 and 5): the personal invitation link with
// its ready-to-send email, the partner's invitations (list, revoke), and removing a relationship after a
// preflight that lists what blocks it.
//
// Invitation links. Partner Center answers one stable link per partner, so a request answers the partner's
// current link for that choice (with or without DAP) until it expires or is revoked, and makes one only when
// there is none. The link must then be shown in full every time, so its token cannot live only as a hash. It is
// kept twice: its SHA-256, the only key a link is ever looked up by (accepting one never decrypts anything), and
// a sealed copy (AES-256-GCM, bound to the invitation's id and partner as additional data) that only this
// service opens, to show the partner the link it already has. The sealing key is derived from the owner
// connection's credentials (DATABASE_URL, or the embedded cluster's generated password): every process sharing
// the store derives the same key, while a copy of the database — a backup, or anything read through the app
// role — holds neither the credentials nor the key, so it yields no usable link. Should the key change (a new
// owner password), a sealed link no longer opens: the partner then gets a new link, and the old one keeps
// working until it expires or is revoked from the list.
//
// Removal. What blocks it (active subscriptions, reservations and software not cancelled, transfers in flight)
// belongs to features that add themselves as blocker providers; the preflight and the removal run the same list,
// the removal inside its own transaction, so nothing that appeared in between slips through.
import { createHash, randomUUID } from 'node:crypto';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCreatedCursor, pageOf } from '../../lib/paging.ts';
import { seal, unseal } from '../../lib/seal.ts';
import { hashSecret, newSecret } from '../../lib/tokens.ts';
import { record } from '../activity/activity.record.ts';
import type { CustomerView, CustomersService } from '../customers/customers.service.ts';
import type { InstanceService } from '../instances/instances.ts';
import type { PartnersService } from '../partners/partners.service.ts';
import * as repo from './relationships.repository.ts';
import type { InvitationRow, ListedInvitationRow } from './relationships.repository.ts';

/** How long an invitation link works (PRODUCT.md feature 4: 30 days). */
export const INVITATION_DAYS = 30;
const DAY_MS = 86_400_000;

/** Something that must be cleared before the relationship can be removed, and how. */
export interface Blocker {
  code: string;
  description: string;
  fix: string;
  resourceId?: string;
}

/**
 * A feature that can block removal (subscriptions, reservations, software, transfers) contributes one of these:
 * it reads, inside the caller's transaction, what of its own stands in the way for this customer.
 */
export type BlockerProvider = (trx: Trx, ctx: CallerContext, customerId: string) => Promise<Blocker[]>;

export interface RelationshipRequestView {
  id: string;
  url: string;
  includeDelegatedAdminPrivileges: boolean;
  createdAt: string;
  expiresAt: string;
  emailText: { subject: string; body: string };
  attributes: { objectType: 'RelationshipRequest' };
}

export interface InvitationView {
  id: string;
  tokenPrefix: string;
  includeDelegatedAdminPrivileges: boolean;
  state: 'active' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  createdBy: { id: string; userName: string | null };
  acceptedCount: number;
  attributes: { objectType: 'RelationshipInvitation' };
}

export interface RemovalCheckView {
  canRemove: boolean;
  blockers: Blocker[];
  attributes: { objectType: 'RelationshipRemovalCheck' };
}

export type RemovedCustomerView = Omit<CustomerView, 'relationshipToPartner' | 'allowDelegatedAccess'> & {
  relationshipToPartner: 'none';
  allowDelegatedAccess: false;
};

// ── sealing the link's token ──

/** The key links are sealed with, from the owner connection's credentials (see the header comment). */
export function invitationLinkKey(ownerUrl: string): Buffer {
  let secret = ownerUrl;
  try {
    const u = new URL(ownerUrl);
    // The credentials only: moving the database to another host or port keeps the links readable.
    secret = `${decodeURIComponent(u.username)}\0${decodeURIComponent(u.password)}`;
  } catch {
    // Not a URL (a store made without one, as the API document generator does): the text itself.
  }
  return createHash('sha256').update(`relationship-invitation-links\0${secret}`).digest();
}

/** The token, or undefined when it does not open with this key (the key changed, or it was tampered with). */
function openLink(sealed: string, key: Buffer, aad: string): string | undefined {
  try {
    return unseal(sealed, key, aad);
  } catch {
    return undefined;
  }
}

const aadOf = (row: Pick<InvitationRow, 'id' | 'partner_id'>) => `${row.partner_id}:${row.id}`;

// ── the email ──

/** "1 January 2027", the same in every locale of the server: the email is English. */
function longDate(d: Date): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

export function invitationEmail(
  partnerName: string,
  url: string,
  includeDap: boolean,
  expiresAt: Date,
): { subject: string; body: string } {
  const what = includeDap
    ? `By accepting, you allow ${partnerName} to sell you cloud subscriptions and to manage them for you, and you ` +
      `grant ${partnerName} delegated admin privileges: its admin agents act as Global admins of your ` +
      `organisation's tenant, and its helpdesk agents as helpdesk admins. You can remove these privileges at ` +
      `any time and keep the relationship.`
    : `By accepting, you allow ${partnerName} to sell you cloud subscriptions and to manage them for you. This ` +
      `request does not include delegated admin privileges: ${partnerName} will not administer your ` +
      `organisation's tenant.`;
  return {
    subject: `${partnerName} requests a reseller relationship with your organisation`,
    body: [
      'Hello,',
      `${partnerName} would like to become your cloud reseller and asks for a reseller relationship with your organisation${includeDap ? ', with delegated admin privileges' : ''}.`,
      what,
      'To accept, a Global admin of your organisation opens this link, signs in with your organisation’s account ' +
        'and confirms. If your organisation has not yet accepted the customer agreement, the page asks for it too.',
      url,
      `The link is valid until ${longDate(expiresAt)}.`,
      `Kind regards,\n${partnerName}`,
    ].join('\n\n'),
  };
}

// ── the service ──

export interface RelationshipsServiceDeps {
  db: Db;
  clock: Clock;
  /** Base of the links (config.publicUrl). */
  publicUrl: string;
  /** invitationLinkKey(store.ownerUrl). */
  linkKey: Buffer;
  instances: Pick<InstanceService, 'assert'>;
  partners: Pick<PartnersService, 'myPartner'>;
  customers: Pick<CustomersService, 'getInTransaction'>;
  /** What can block removal; each feature that can adds its own. */
  blockers?: readonly BlockerProvider[];
}

export function createRelationshipsService(deps: RelationshipsServiceDeps) {
  const { db, clock, instances, partners, customers, linkKey } = deps;
  const blockers = deps.blockers ?? [];
  const urlOf = (token: string) => `${deps.publicUrl}/invitations/${token}`;

  function stateOf(
    row: Pick<InvitationRow, 'revoked_at' | 'expires_at'>,
    now: Date,
  ): InvitationView['state'] {
    if (row.revoked_at) return 'revoked';
    return row.expires_at > now ? 'active' : 'expired';
  }

  function invitationView(row: ListedInvitationRow, now: Date): InvitationView {
    return {
      id: row.id,
      tokenPrefix: row.token_prefix,
      includeDelegatedAdminPrivileges: row.include_dap,
      state: stateOf(row, now),
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
      revokedAt: row.revoked_at?.toISOString() ?? null,
      createdBy: { id: row.created_by, userName: row.created_by_user_name },
      acceptedCount: row.accepted_count,
      attributes: { objectType: 'RelationshipInvitation' },
    };
  }

  async function runBlockers(trx: Trx, ctx: CallerContext, customerId: string): Promise<Blocker[]> {
    const found: Blocker[] = [];
    for (const provider of blockers) found.push(...(await provider(trx, ctx, customerId)));
    return found;
  }

  return {
    /** The partner's current link for this choice, made on first use (GET /v1/customers/relationshiprequests). */
    async requestLink(ctx: CallerContext, includeDap: boolean): Promise<RelationshipRequestView> {
      instances.assert(ctx.instance, 'relationships.requestExisting');
      if (!includeDap) instances.assert(ctx.instance, 'relationships.withoutDap');
      const partner = await partners.myPartner(ctx);
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await repo.lockLinkChoice(trx, ctx.partnerId, includeDap);
        const now = clock.now();
        const current = await repo.currentInvitation(trx, ctx.partnerId, includeDap, now);
        const currentToken = current && openLink(current.token_sealed, linkKey, aadOf(current));
        let row = current;
        let token = currentToken;
        if (!row || !token) {
          token = newSecret('pdi');
          const id = randomUUID();
          row = {
            id,
            partner_id: ctx.partnerId,
            token_hash: hashSecret(token),
            token_prefix: token.slice(4, 12),
            token_sealed: seal(token, linkKey, aadOf({ id, partner_id: ctx.partnerId })),
            include_dap: includeDap,
            created_by: ctx.userId,
            created_at: now,
            expires_at: new Date(now.getTime() + INVITATION_DAYS * DAY_MS),
            revoked_at: null,
          };
          await repo.insertInvitation(trx, row);
          await record(trx, ctx, {
            action: 'relationshipInvitation.create',
            resourceType: 'RelationshipInvitation',
            resourceId: id,
            details: {
              prefix: row.token_prefix,
              includeDelegatedAdminPrivileges: includeDap,
              expiresAt: row.expires_at.toISOString(),
              ...(current ? { replaces: current.id, reason: 'the current link could not be read back' } : {}),
            },
          });
        }
        const url = urlOf(token);
        return {
          id: row.id,
          url,
          includeDelegatedAdminPrivileges: row.include_dap,
          createdAt: row.created_at.toISOString(),
          expiresAt: row.expires_at.toISOString(),
          emailText: invitationEmail(partner.name, url, row.include_dap, row.expires_at),
          attributes: { objectType: 'RelationshipRequest' },
        };
      });
    },

    /** The partner's invitations, newest first. */
    listInvitations(ctx: CallerContext, page: PageRequest): Promise<Page<InvitationView>> {
      const scope = ['relationshipInvitations', ctx.partnerId];
      const after = decodeCreatedCursor(page.cursor, scope);
      const now = clock.now();
      return inPartnerTransaction(db, ctx.partnerId, (trx) =>
        pageOf(
          page.size,
          scope,
          (limit) => repo.listInvitations(trx, ctx.partnerId, after, limit),
          (row) => [row.cursor_at, row.id],
          (row) => invitationView(row, now),
          () => repo.countInvitations(trx, ctx.partnerId),
        ),
      );
    },

    /** Revokes one of the partner's invitations; the link stops working at once. Revoking twice is fine. */
    async revokeInvitation(ctx: CallerContext, id: string): Promise<void> {
      await inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const row = await repo.getInvitation(trx, ctx.partnerId, id);
        if (!row) throw new AppError('invitationNotFound', { message: 'Invitation not found.' });
        const now = clock.now();
        if (!(await repo.revokeInvitation(trx, ctx.partnerId, id, now))) return;
        await record(trx, ctx, {
          action: 'relationshipInvitation.revoke',
          resourceType: 'RelationshipInvitation',
          resourceId: id,
          details: {
            prefix: row.token_prefix,
            includeDelegatedAdminPrivileges: row.include_dap,
            stateBefore: stateOf(row, now),
            acceptedCount: row.accepted_count,
          },
        });
      });
    },

    /** What blocks removing the relationship with this customer, each with its fix. */
    removalCheck(ctx: CallerContext, customerId: string): Promise<RemovalCheckView> {
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await customers.getInTransaction(trx, ctx, customerId);
        const found = await runBlockers(trx, ctx, customerId);
        return {
          canRemove: found.length === 0,
          blockers: found,
          attributes: { objectType: 'RelationshipRemovalCheck' },
        };
      });
    },

    /**
     * Removes the relationship (PATCH /v1/customers/{id} {"relationshipToPartner":"none"}), in one transaction:
     * the blockers again, the relationship ended with its DAP, the activity record. The customer leaves the
     * partner's list and exports and is "not found" to it from then on; its tenant and users stay, and the
     * partner's activity log keeps its past records.
     */
    async removeRelationship(ctx: CallerContext, customerId: string): Promise<RemovedCustomerView> {
      instances.assert(ctx.instance, 'relationships.remove');
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const relationship = await repo.lockRelationship(trx, ctx.partnerId, customerId);
        if (!relationship || relationship.state !== 'active') throw new AppError('customerNotFound');
        const customer = await customers.getInTransaction(trx, ctx, customerId);
        const found = await runBlockers(trx, ctx, customerId);
        if (found.length > 0) throw new AppError('relationshipRemovalBlocked', { data: found });
        await repo.removeRelationship(trx, ctx.partnerId, customerId, clock.now());
        await record(trx, ctx, {
          action: 'relationship.remove',
          resourceType: 'Customer',
          resourceId: customerId,
          customer: { id: customerId, name: customer.billingProfile.companyName },
          details: {
            domain: customer.companyProfile.domain,
            delegatedAdminEnded: relationship.delegated_admin,
            relationshipEstablishedAt: relationship.established_at.toISOString(),
          },
        });
        return { ...customer, relationshipToPartner: 'none', allowDelegatedAccess: false };
      });
    },
  };
}

export type RelationshipsService = ReturnType<typeof createRelationshipsService>;
