import type { InstanceId } from '../modules/instances/instances.ts';
import type { Role } from '../modules/partners/roles.ts';

/** Who is calling, passed first to every service call. Built once per request by the auth plugin. */
export interface CallerContext {
  partnerId: string;
  instance: InstanceId;
  userId: string;
  userName: string;
  roles: Role[];
  /**
   * How the caller signed in: a sign-in session or access token, or a long-lived API token; `expiresAt` is
   * when that credential stops working (null: an API token without expiry).
   */
  credential: { kind: 'bearer' | 'console' | 'apiToken'; id: string; expiresAt?: Date | null };
  requestId?: string;
  correlationId?: string;
}

/** The actor recorded in the activity log for a context. */
export function actorOf(ctx: CallerContext): { kind: 'partnerUser' | 'apiToken'; id: string; name: string } {
  return ctx.credential.kind === 'apiToken'
    ? { kind: 'apiToken', id: ctx.userId, name: ctx.userName }
    : { kind: 'partnerUser', id: ctx.userId, name: ctx.userName };
}

/**
 * A signed-in user of a customer's directory, on the customer-facing pages (routes with operation
 * 'customerPortal'). Built by the auth plugin from a customer session; never a partner's caller.
 */
export interface CustomerContext {
  customerId: string;
  customerName: string;
  customerDomain: string;
  instance: InstanceId;
  userId: string;
  userName: string;
  displayName: string;
  /** Directory roles in the customer's tenant, e.g. globalAdmin. */
  roles: string[];
  mustChangePassword: boolean;
  /** SHA-256 of the session's bearer token: the key every customer-side look-up is made with. */
  sessionHash: Buffer;
  expiresAt: Date;
  requestId?: string;
  correlationId?: string;
}
