// Sign-in, sign-out and password change. Sign-in starts before the partner is known, so the user is found
// through a SECURITY DEFINER function; everything after that runs in the user's partner transaction.
// Unknown users, wrong passwords and deactivated users all get the same invalidCredentials, and an unknown
// user still costs one argon2 verification, so neither the answer nor its timing tells which names exist.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import { accountLockedError, afterWrongPassword } from '../../lib/lockout.ts';
import { AppError } from '../../lib/errors.ts';
import { dummyPasswordHash, hashPassword, passwordIssues, verifyPassword } from '../../lib/passwords.ts';
import { hashSecret, newSecret } from '../../lib/tokens.ts';
import type { Actor } from '../activity/activity.record.ts';
import { record, recordAs } from '../activity/activity.record.ts';
import {
  deleteSession,
  findUserForSignIn,
  insertSession,
  lockSignInState,
  setSignInCounters,
} from './auth.repository.ts';
import * as repo from './partners.repository.ts';
import type { PartnersService, Profile } from './partners.service.ts';
import type { Role } from './roles.ts';
import { isRole } from './roles.ts';

export interface AccessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface ConsoleSession {
  /** The cookie value; never sent in a body. */
  secret: string;
  maxAgeSeconds: number;
  csrfToken: string;
  mustChangePassword: boolean;
  expiresAt: string;
  profile: Profile;
}

type Outcome =
  | { result: 'invalid' }
  | { result: 'locked'; until: Date }
  | {
      result: 'ok';
      userName: string;
      roles: Role[];
      mustChangePassword: boolean;
      instance: CallerContext['instance'];
    };

/** The request a sign-in arrives in, so that its activity record can be traced to it like any other. */
export interface RequestIds {
  requestId?: string;
  correlationId?: string;
}

export function createAuthService(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  profiles: Pick<PartnersService, 'me'>;
}) {
  const { db, config, clock, profiles } = deps;

  /**
   * Checks the password, keeps the failure counter and lockout, and on success stores a new session.
   * Counters and the activity record commit even when the attempt fails; the error is thrown afterwards.
   */
  async function authenticate(
    userNameRaw: string,
    password: string,
    kind: 'bearer' | 'console',
    session: { tokenHash: Buffer; csrfHash: Buffer | null; ttlSeconds: number },
    ids: RequestIds,
  ): Promise<{ partnerId: string; userId: string; expiresAt: Date } & Extract<Outcome, { result: 'ok' }>> {
    const userName = userNameRaw.trim().toLowerCase();
    const candidate = userName.length <= 254 ? await findUserForSignIn(db, userName) : undefined;
    if (!candidate) {
      await verifyPassword(await dummyPasswordHash(), password);
      throw new AppError('invalidCredentials');
    }
    const actor: Actor = { kind: 'partnerUser', id: candidate.id, name: userName };
    const signInRecord = (reason: string, extra: Record<string, unknown> = {}) => ({
      action: 'partnerUser.signIn',
      resourceType: 'PartnerUser',
      resourceId: candidate.id,
      status: reason === 'succeeded' ? ('succeeded' as const) : ('failed' as const),
      details: { userName, kind, ...(reason === 'succeeded' ? {} : { reason }), ...extra },
    });

    // While locked even the right password is refused, so the password is not checked at all.
    const lockedBefore = candidate.locked_until && candidate.locked_until > clock.now();
    const passwordOk = lockedBefore ? false : await verifyPassword(candidate.password_hash, password);

    const outcome = await inPartnerTransaction(db, candidate.partner_id, async (trx): Promise<Outcome> => {
      const user = await lockSignInState(trx, candidate.partner_id, candidate.id);
      if (!user) return { result: 'invalid' };
      const now = clock.now();
      if (user.locked_until && user.locked_until > now) {
        await recordAs(trx, candidate.partner_id, actor, signInRecord('locked'), ids);
        return { result: 'locked', until: user.locked_until };
      }
      if (user.state !== 'active' || candidate.partner_state !== 'active') {
        await recordAs(trx, candidate.partner_id, actor, signInRecord('inactive'), ids);
        return { result: 'invalid' };
      }
      if (!passwordOk) {
        const { failures, failedSignIns, lockedUntil } = afterWrongPassword(
          user.failed_sign_ins,
          now,
          config.auth,
        );
        await setSignInCounters(trx, candidate.partner_id, user.id, { failedSignIns, lockedUntil });
        await recordAs(
          trx,
          candidate.partner_id,
          actor,
          signInRecord('wrongPassword', {
            failedSignIns: failures,
            ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}),
          }),
          ids,
        );
        return { result: 'invalid' };
      }
      await setSignInCounters(trx, candidate.partner_id, user.id, {
        failedSignIns: 0,
        lockedUntil: null,
        lastSignInAt: now,
      });
      const partner = await repo.getPartner(trx, candidate.partner_id);
      await insertSession(trx, {
        tokenHash: session.tokenHash,
        partnerId: candidate.partner_id,
        userId: user.id,
        kind,
        csrfHash: session.csrfHash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + session.ttlSeconds * 1000),
      });
      await recordAs(trx, candidate.partner_id, actor, signInRecord('succeeded'), ids);
      return {
        result: 'ok',
        userName: user.user_name,
        roles: user.roles.filter(isRole),
        mustChangePassword: user.must_change_password,
        instance: partner!.instance,
      };
    });
    if (outcome.result === 'locked') throw accountLockedError(outcome.until, clock.now());
    if (outcome.result !== 'ok') throw new AppError('invalidCredentials');
    return {
      ...outcome,
      partnerId: candidate.partner_id,
      userId: candidate.id,
      expiresAt: new Date(clock.now().getTime() + session.ttlSeconds * 1000),
    };
  }

  /** OAuth2-style password grant: a bearer access token for the API. */
  async function signIn(
    userName: string,
    password: string,
    kind: 'bearer',
    ids?: RequestIds,
  ): Promise<AccessToken>;
  /** Console sign-in: a session for the cookie, a CSRF token and the profile. */
  async function signIn(
    userName: string,
    password: string,
    kind: 'console',
    ids?: RequestIds,
  ): Promise<ConsoleSession>;
  async function signIn(
    userName: string,
    password: string,
    kind: 'bearer' | 'console',
    ids: RequestIds = {},
  ): Promise<AccessToken | ConsoleSession> {
    const secret = newSecret('pds');
    if (kind === 'bearer') {
      const ttlSeconds = config.auth.accessTokenTtlSeconds;
      await authenticate(
        userName,
        password,
        kind,
        { tokenHash: hashSecret(secret), csrfHash: null, ttlSeconds },
        ids,
      );
      return { access_token: secret, token_type: 'Bearer', expires_in: ttlSeconds };
    }
    const ttlSeconds = config.auth.sessionTtlSeconds;
    const csrfToken = newSecret('pdc');
    const tokenHash = hashSecret(secret);
    const signedIn = await authenticate(
      userName,
      password,
      kind,
      { tokenHash, csrfHash: hashSecret(csrfToken), ttlSeconds },
      ids,
    );
    const profile = await profiles.me({
      partnerId: signedIn.partnerId,
      instance: signedIn.instance,
      userId: signedIn.userId,
      userName: signedIn.userName,
      roles: signedIn.roles,
      credential: { kind: 'console', id: tokenHash.toString('hex') },
      ...ids,
    });
    return {
      secret,
      maxAgeSeconds: ttlSeconds,
      csrfToken,
      mustChangePassword: signedIn.mustChangePassword,
      expiresAt: signedIn.expiresAt.toISOString(),
      profile,
    };
  }

  /** Ends the session or access token the caller used. An API token is revoked through its own resource. */
  async function signOut(ctx: CallerContext): Promise<void> {
    if (ctx.credential.kind === 'apiToken') return;
    const tokenHash = Buffer.from(ctx.credential.id, 'hex');
    await inPartnerTransaction(db, ctx.partnerId, async (trx) => {
      if (!(await deleteSession(trx, ctx.partnerId, tokenHash))) return;
      await record(trx, ctx, {
        action: 'partnerUser.signOut',
        resourceType: 'PartnerUser',
        resourceId: ctx.userId,
        details: { kind: ctx.credential.kind },
      });
    });
  }

  /**
   * Replaces the caller's password. The temporary-password flag clears, and every other session of the user
   * ends (a changed password is often a response to a leak); the session making the change stays.
   */
  async function changePassword(
    ctx: CallerContext,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const stored = await inPartnerTransaction(db, ctx.partnerId, (trx) =>
      repo.getPasswordHash(trx, ctx.partnerId, ctx.userId),
    );
    if (!stored) throw new AppError('unauthenticated');
    if (!(await verifyPassword(stored, currentPassword)))
      throw new AppError('currentPasswordIncorrect', {
        details: [{ field: 'currentPassword', reason: 'is not your current password' }],
      });
    const issues = passwordIssues(newPassword, 'newPassword', ctx.userName);
    if (newPassword === currentPassword)
      issues.push({ field: 'newPassword', reason: 'must differ from the current password' });
    if (issues.length) throw new AppError('passwordTooWeak', { details: issues });
    const passwordHash = await hashPassword(newPassword);
    const keep = ctx.credential.kind === 'apiToken' ? undefined : Buffer.from(ctx.credential.id, 'hex');

    await inPartnerTransaction(db, ctx.partnerId, async (trx) => {
      // Hashing is slow, so it ran outside; a concurrent change in between would be silently overwritten.
      if ((await repo.getPasswordHash(trx, ctx.partnerId, ctx.userId)) !== stored)
        throw new AppError('currentPasswordIncorrect', {
          details: [{ field: 'currentPassword', reason: 'the password was changed meanwhile' }],
        });
      const now = clock.now();
      await repo.updateUser(
        trx,
        ctx.partnerId,
        ctx.userId,
        undefined,
        { passwordHash, mustChangePassword: false, passwordChangedAt: now },
        now,
      );
      const sessionsEnded = await repo.revokeUserSessions(trx, ctx.partnerId, ctx.userId, keep);
      await record(trx, ctx, {
        action: 'partnerUser.changePassword',
        resourceType: 'PartnerUser',
        resourceId: ctx.userId,
        details: { userName: ctx.userName, sessionsEnded },
      });
    });
  }

  return { signIn, signOut, changePassword };
}

export type AuthService = ReturnType<typeof createAuthService>;
