// Text PostgreSQL cannot store. A `text` or `jsonb` value may not contain U+0000 (NUL): PostgreSQL refuses
// it with "invalid byte sequence" or "unsupported Unicode escape sequence", which reached the caller as a 500
// from whichever query first met the value (a search, a sign-in, a display name). JSON allows "\u0000" and a
// URL allows %00, so the request is refused here, once for every route, as a 400 naming each field, before
// any handler or query sees it. Checked after case-insensitive property matching, so fields carry the
// schema's names. A route may leave some fields to its own check (`config.ownTextCheck`), which must refuse a
// NUL in them before any query meets the value.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { FieldIssue } from '../lib/errors.ts';
import { invalid } from '../lib/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Fields (`querystring.fileName`, `attachments[].fileName` for any index) whose NUL the handler refuses itself,
     * with a code that says more than validationFailed, before any query meets the value.
     */
    ownTextCheck?: readonly string[];
  }
}

const NUL = '\u0000';
const REASON = 'must not contain the NUL character (U+0000)';
/** Enough to show what is wrong; a body full of NULs need not produce a detail for each. */
const MAX_ISSUES = 20;

/**
 * Field paths (`a.b[0].c`, as services name them) under `prefix` whose string value or property name contains NUL,
 * but for string values at the paths `skipped` (`a.b[].c` for any index). Walks with its own stack, not
 * recursion, so a deeply nested body cannot overflow the call stack.
 */
export function nulFields(value: unknown, prefix = '', skipped: readonly string[] = []): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length > 0 && found.length < MAX_ISSUES) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes(NUL) && !skipped.includes(path.replace(/\[\d+\]/g, '[]'))) found.push(path);
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], `${path}[${i}]`]);
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, sub] = entries[i]!;
        const keyPath = join(path, key.replaceAll(NUL, '\\u0000'));
        if (key.includes(NUL)) found.push(keyPath);
        stack.push([sub, keyPath]);
      }
    }
  }
  return found;
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

export default fp(
  async function textInputPlugin(app: FastifyInstance) {
    app.addHook('preValidation', async (request) => {
      const { streamedBody, ownTextCheck } = request.routeOptions.config;
      const issues: FieldIssue[] = [
        // Same field names as validation errors: body fields bare, the others prefixed.
        // A streamed body (a file upload) is not parsed here: its handler reads and checks it.
        ...(streamedBody ? [] : nulFields(request.body, '', ownTextCheck)).map((field) => ({
          field: field || 'body',
          reason: REASON,
        })),
        ...nulFields(request.query, 'querystring', ownTextCheck).map((field) => ({ field, reason: REASON })),
        ...nulFields(request.params, 'params').map((field) => ({ field, reason: REASON })),
      ];
      if (issues.length > 0) throw invalid(...issues.slice(0, MAX_ISSUES));
    });
  },
  { name: 'text-input', dependencies: ['errors', 'case-insensitive'] },
);
