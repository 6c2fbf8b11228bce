// The web console (built by `npm run build:web` into dist/web) at /, from the same process as the API.
//   /assets/*  Vite's content-hashed files: cached for a year, immutable.
//   other files (favicon.svg, index.html): no-cache, so a new build is picked up at once.
//   any other GET outside the API: index.html, so that console URLs (/activity, /settings/users) load the app,
//   whose router shows the page (or its own "not found"). API paths (/v1…) keep the JSON 404 envelope.
// One ordinary route (`GET /*`, marked public and hidden from the OpenAPI document) registered after the auth
// plugin: it goes through auth's check like every route, appears in the route catalog, and so is walked by
// the role, isolation and bad-input matrices. @fastify/static only lends reply.sendFile (serve: false), which
// brings content types, ETags, ranges and path-traversal safety; it registers no routes of its own.
// Console files are exempt from the per-partner rate limit: loading a page is not API use.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { toAppError } from './errors.plugin.ts';

/** dist/web of this checkout (the server runs from its TypeScript sources: src/http → ../../dist/web). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Paths that belong to the API and its documentation: never answered with the console. */
const API_PATHS = /^\/(v1|docs|openapi\.json|healthz|readyz)(\/|$)/;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Partnerdesk</title></head>
<body><h1>The Partnerdesk console is not built</h1>
<p>Run <code>npm run build:web</code> (or <code>npm install</code>) in the Partnerdesk folder, then reload this page.
The API is available under <a href="/docs">/docs</a>.</p></body></html>
`;

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

export const consoleRoutes: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  await app.register(fastifyStatic, { serve: false, cacheControl: false, dotfiles: 'deny' });
  const indexFile = path.join(root, 'index.html');
  const maxParamLength = app.initialConfig.routerOptions?.maxParamLength ?? 100;

  app.get(
    '/*',
    { config: { operation: 'public', rateLimit: false }, schema: { hide: true } },
    async (request, reply) => {
      const pathname = request.url.split('?')[0] ?? '/';
      if (API_PATHS.test(pathname)) {
        // This route catches every GET the others do not, including API URLs the router would have refused
        // outright (its frameworkErrors): a bad percent-encoding, or a path parameter longer than allowed
        // (the router then falls back here instead). Those keep their 400; the rest the JSON 404.
        const tooLong = pathname.split('/').some((segment) => segment.length > maxParamLength);
        const badEncoding = !decodes(pathname);
        if (badEncoding || tooLong)
          throw (
            toAppError({ code: badEncoding ? 'FST_ERR_BAD_URL' : 'FST_ERR_MAX_PARAM_LENGTH' }) ??
            new AppError('validationFailed')
          );
        return reply.callNotFound();
      }
      if (!(await isFile(indexFile)))
        return reply
          .code(503)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(NOT_BUILT);

      // normalize() under a leading "/" cannot climb above root; sendFile refuses traversal again.
      const relative = path.posix.normalize(`/${(request.params as { '*'?: string })['*'] ?? ''}`).slice(1);
      if (relative && relative !== 'index.html' && (await isFile(path.join(root, relative)))) {
        reply.header(
          'cache-control',
          relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        return reply.sendFile(relative, root);
      }
      // A hashed file that is not there is a stale reference, not a console page: a 404, not the app.
      if (relative.startsWith('assets/')) return reply.callNotFound();
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(await fs.readFile(indexFile));
    },
  );
};
