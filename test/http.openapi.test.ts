// The OpenAPI document at /openapi.json and the Swagger UI page at /docs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EchoApp } from './helpers/echo-app.ts';
import { createEchoApp } from './helpers/echo-app.ts';

type Json = Record<string, unknown>;
interface OperationObject {
  tags?: string[];
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Json[];
  responses?: Json;
  'x-operation'?: string;
  'x-roles'?: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

let t: EchoApp;
let doc: {
  openapi: string;
  info: Json;
  paths: Record<string, Record<string, OperationObject>>;
  components: Json & { securitySchemes: Record<string, Json> };
};

beforeAll(async () => {
  t = await createEchoApp();
  const r = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(r.statusCode).toBe(200);
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  doc = r.json();
});
afterAll(() => t.close());

/** Every `$ref` in the document, with where it was found. */
function refsOf(node: unknown, at = '#', out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) node.forEach((v, i) => refsOf(v, `${at}/${i}`, out));
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push([v, at]);
      else refsOf(v, `${at}/${k}`, out);
    }
  return out;
}

function resolvePointer(pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
}

describe('OpenAPI document', () => {
  it('is an OpenAPI 3.1 document for Partnerdesk with the bearer scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Partnerdesk', version: expect.any(String) });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('is structurally valid: operations have responses, refs resolve, security names exist, path params declared', () => {
    const schemes = Object.keys(doc.components.securitySchemes);
    const operationIds = new Set<string>();
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith('/'), path).toBe(true);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        expect(op.responses && Object.keys(op.responses).length, `${method} ${path} responses`).toBeTruthy();
        for (const requirement of op.security ?? [])
          for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
        const id = (op as Json).operationId;
        if (typeof id === 'string') {
          expect(operationIds.has(id), id).toBe(false);
          operationIds.add(id);
        }
        const declared = (op.parameters ?? [])
          .map((p) => (p.$ref ? resolvePointer(p.$ref as string) : p) as Json)
          .filter((p) => p.in === 'path')
          .map((p) => p.name);
        for (const name of templated)
          expect(declared, `${method} ${path} declares {${name}}`).toContain(name);
      }
    }
    for (const [ref, at] of refsOf(doc)) {
      expect(ref.startsWith('#/'), `${ref} at ${at}`).toBe(true);
      expect(resolvePointer(ref), `${ref} at ${at}`).toBeDefined();
    }
  });

  it('applies bearer security to every operation that is not public, and none to public ones', () => {
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        expect(op['x-operation'], `${method} ${path}`).toBeDefined();
        if (op['x-operation'] === 'public') expect(op.security, `${method} ${path}`).toBeUndefined();
        else expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      }
  });

  it('describes the roles, idempotency and rate limit of an operation, tagged by its first path segment', () => {
    const echo = doc.paths['/v1/test/echo']!.post!;
    expect(echo.tags).toEqual(['test']);
    expect(echo['x-operation']).toBe('self');
    expect(echo.description).toContain('Any signed-in partner user');
    expect(echo.description).toContain('MS-RequestId');
    expect(echo.description).toMatch(/Rate limit: \d+ requests a minute per partner/);
    expect(echo.parameters).toContainEqual({ $ref: '#/components/parameters/MSRequestId' });

    const query = doc.paths['/v1/test/query']!.get!;
    expect(query.parameters).not.toContainEqual({ $ref: '#/components/parameters/MSRequestId' });
    expect(query.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['size', 'continuationToken']),
    );

    const publicWrite = doc.paths['/v1/test/public']!.post!;
    expect(publicWrite.description).toContain('No sign-in needed');
    expect(publicWrite.parameters ?? []).not.toContainEqual({ $ref: '#/components/parameters/MSRequestId' });
  });

  it('names the roles of role-restricted operations', () => {
    const restricted = Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .filter((op) => op['x-roles'] && op['x-roles'].length > 0);
    for (const op of restricted) {
      expect(op.description).toMatch(/Requires one of the roles: /);
      expect(op.description).toContain(`operation \`${op['x-operation']}\``);
    }
  });

  it('documents the sign-in limit per client address', () => {
    const signIn = doc.paths['/v1/auth/token']?.post;
    if (!signIn) return; // the sign-in module is not registered in this build
    expect(signIn.security).toBeUndefined();
    expect(signIn.description).toMatch(/Rate limit: \d+ requests a minute per client address/);
  });

  it('leaves hidden routes, the docs and the document itself out', () => {
    const paths = Object.keys(doc.paths);
    expect(paths).not.toContain('/healthz');
    expect(paths).not.toContain('/readyz');
    expect(paths).not.toContain('/openapi.json');
    expect(paths.filter((p) => p.startsWith('/docs'))).toEqual([]);
  });
});

describe('Swagger UI at /docs', () => {
  it('serves the page and every script and stylesheet it loads, under our CSP', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    // No inline scripts: every <script> has a src, so script-src 'self' lets them all run.
    const scripts = [...page.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toMatch(/src="/);

    const base = new URL('http://localhost/docs/');
    const sources = scripts.map((attrs) => /src="([^"]+)"/.exec(attrs)![1]!);
    const styles = [...page.body.matchAll(/<link rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
    expect(styles.length).toBeGreaterThan(0);
    for (const src of sources) {
      const url = new URL(src, base);
      expect(url.origin).toBe(base.origin);
      const r = await t.app.inject({ method: 'GET', url: url.pathname });
      expect(r.statusCode, url.pathname).toBe(200);
      expect(r.headers['content-type'], url.pathname).toMatch(/^(application|text)\/javascript/);
    }
    for (const href of styles) {
      const url = new URL(href, base);
      expect(url.origin).toBe(base.origin);
      const r = await t.app.inject({ method: 'GET', url: url.pathname });
      expect(r.statusCode, url.pathname).toBe(200);
      expect(r.headers['content-type'], url.pathname).toMatch(/^text\/css/);
    }
  });

  it('serves the page without the trailing slash too, and the document it loads', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    const json = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    expect(json.json().openapi).toBe('3.1.0');
  });
});
