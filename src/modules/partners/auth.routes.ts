// Sign-in (API access tokens and console sessions), sign-out and password change.
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../../config.ts';
import { SESSION_COOKIE } from '../../http/auth.plugin.ts';
import { AppError } from '../../lib/errors.ts';
import type { AuthService } from './auth.service.ts';
import { AccessToken, ChangePasswordBody, ConsoleSession, SignInBody, errors } from './partners.schemas.ts';

const TAGS = ['Sign-in'];

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; config: Config }> = async (
  app,
  { auth, config },
) => {
  // OAuth2 clients send the password grant as a form; only this route accepts one. The console's session
  // route stays JSON-only, so a cross-site HTML form cannot sign a victim in to the attacker's account.
  await app.register(async (scope) => {
    const tokenScope = scope.withTypeProvider<TypeBoxTypeProvider>();
    tokenScope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        const form = new URLSearchParams(String(body));
        const grant = form.get('grant_type');
        if (grant !== null && grant !== 'password') {
          done(
            new AppError('validationFailed', {
              details: [{ field: 'grant_type', reason: 'only the "password" grant is supported' }],
            }),
          );
          return;
        }
        const userName = form.get('username') ?? form.get('userName');
        const password = form.get('password');
        done(null, {
          ...(userName !== null ? { userName } : {}),
          ...(password !== null ? { password } : {}),
        });
      },
    );

    tokenScope.post(
      '/v1/auth/token',
      {
        config: { operation: 'public' },
        schema: {
          tags: TAGS,
          summary: 'Sign in for an access token',
          description:
            'Answers an OAuth2-style bearer access token. Accepts JSON {userName, password} or a form with ' +
            'grant_type=password&username=…&password=…. Repeated failures lock the account for a while ' +
            '(403 accountLocked with Retry-After).',
          body: SignInBody,
          response: { 200: AccessToken, ...errors(400, 401, 403, 415) },
        },
      },
      async (request) =>
        auth.signIn(request.body.userName, request.body.password, 'bearer', {
          requestId: String(request.id),
          correlationId: request.correlationId,
        }),
    );
  });

  app.post(
    '/v1/auth/sessions',
    {
      config: { operation: 'public' },
      schema: {
        tags: TAGS,
        summary: 'Sign in to the console',
        description:
          'Sets the HttpOnly session cookie and answers the CSRF token to send as X-CSRF-Token on writes.',
        body: SignInBody,
        response: { 200: ConsoleSession, ...errors(400, 401, 403, 415) },
      },
    },
    async (request, reply) => {
      const { secret, maxAgeSeconds, ...session } = await auth.signIn(
        request.body.userName,
        request.body.password,
        'console',
        { requestId: String(request.id), correlationId: request.correlationId },
      );
      reply.setCookie(SESSION_COOKIE, secret, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: config.auth.cookieSecure,
        maxAge: maxAgeSeconds,
      });
      return session;
    },
  );

  app.delete(
    '/v1/auth/sessions/current',
    {
      config: { operation: 'self', allowDuringPasswordChange: true },
      schema: {
        tags: TAGS,
        summary: 'Sign out',
        description: 'Ends the console session or the bearer access token used for this call.',
        response: { 204: Type.Null(), ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      await auth.signOut(request.ctx);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/profiles/me/password',
    {
      config: { operation: 'self', allowDuringPasswordChange: true },
      schema: {
        tags: ['Profile'],
        summary: 'Change your password',
        description:
          'Checks the current password and the password rules; ends your other sessions. Required after ' +
          'signing in with a temporary password.',
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await auth.changePassword(request.ctx, request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send(null);
    },
  );
};
