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
