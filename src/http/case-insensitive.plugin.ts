// Request property names are matched case-insensitively (PRODUCT.md "API conventions"): Partner Center
// clients send PascalCase (`CompanyProfile`, `Domain`). Before validation, body and querystring keys are
// renamed to the route schema's own property names when they match ignoring case, so validation, handlers
// and the idempotency fingerprint only ever see the schema's camelCase. The walk follows the schema
// (`properties`, `items`, and the branches of anyOf/oneOf/allOf), never the data alone, so its depth is
// bounded by the schema's. Exact matches stay as they are; a key whose camelCase twin is also present is left
// alone for validation to judge; keys the schema does not know are left for validation too.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

type Schema = Record<string, unknown>;
type Resolve = (ref: string) => unknown;

const MAX_DEPTH = 32;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The schema and the branches it combines (anyOf/oneOf/allOf), with $ref resolved where possible. */
function alternatives(schema: unknown, resolve: Resolve | undefined, depth: number, out: Schema[] = []) {
  if (!isObject(schema) || depth > MAX_DEPTH) return out;
  if (typeof schema.$ref === 'string' && resolve) alternatives(resolve(schema.$ref), resolve, depth + 1, out);
  out.push(schema);
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    if (Array.isArray(schema[key]))
      for (const branch of schema[key] as unknown[]) alternatives(branch, resolve, depth + 1, out);
  return out;
}

/** lower-case name → [schema's name, its schema], per object schema. */
const propertyCache = new WeakMap<Schema, Map<string, [string, unknown]>>();

function propertiesOf(schemas: Schema[]): Map<string, [string, unknown]> {
  const merged = new Map<string, [string, unknown]>();
  for (const schema of schemas) {
    let own = propertyCache.get(schema);
    if (!own) {
      own = new Map();
      if (isObject(schema.properties))
        for (const [name, sub] of Object.entries(schema.properties))
          if (!own.has(name.toLowerCase())) own.set(name.toLowerCase(), [name, sub]);
      propertyCache.set(schema, own);
    }
    for (const [lower, entry] of own) if (!merged.has(lower)) merged.set(lower, entry);
  }
  return merged;
}

function assign(target: Record<string, unknown>, key: string, value: unknown) {
  // Plain assignment of "__proto__" would replace the prototype instead of adding a property.
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Returns `value` with object keys renamed to the property names of `schema` that they match ignoring case,
 * recursively. Returns the same value (not a copy) where nothing changes.
 */
export function matchPropertyNames(value: unknown, schema: unknown, resolve?: Resolve, depth = 0): unknown {
  if (depth > MAX_DEPTH || schema === undefined) return value;
  const schemas = alternatives(schema, resolve, 0);
  if (schemas.length === 0) return value;

  if (Array.isArray(value)) {
    const items = schemas.map((s) => s.items).find(isObject);
    if (!items) return value;
    let changed = false;
    const out = value.map((item) => {
      const next = matchPropertyNames(item, items, resolve, depth + 1);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }

  if (!isObject(value)) return value;
  const properties = propertiesOf(schemas);
  if (properties.size === 0) return value;
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const entry = properties.get(key.toLowerCase());
    // Unknown keys, and keys whose exact spelling is also present (`Domain` beside `domain`, or a second
    // `DOMAIN`), stay as they are for validation to judge.
    if (!entry || (entry[0] !== key && (has(value, entry[0]) || has(out, entry[0])))) {
      assign(out, key, item);
      continue;
    }
    const [name, sub] = entry;
    const next = matchPropertyNames(item, sub, resolve, depth + 1);
    if (name !== key || next !== item) changed = true;
    assign(out, name, next);
  }
  return changed ? out : value;
}

export default fp(
  async function caseInsensitivePlugin(app: FastifyInstance) {
    app.addHook('preValidation', async (request) => {
      const schema = request.routeOptions.schema;
      if (!schema) return;
      const resolve: Resolve = (ref) => request.server.getSchema(ref);
      if (schema.body && request.body !== undefined && request.body !== null)
        request.body = matchPropertyNames(request.body, schema.body, resolve);
      if (schema.querystring && isObject(request.query))
        request.query = matchPropertyNames(request.query, schema.querystring, resolve);
    });
  },
  { name: 'case-insensitive' },
);
