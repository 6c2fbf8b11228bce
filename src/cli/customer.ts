// What every command about one customer shares: naming the customer (its id or a domain), the API's collection
// shape and reading a list of it, and running a command's work so that any failure is one line with the API's error code.
import type { Api, ApiOptions } from './api.ts';
import { ApiError, connectApi } from './api.ts';
import { fail, note, out } from './common.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Customer {
  id: string;
  companyProfile: { domain: string };
  billingProfile: { companyName: string };
  customDomains: string[];
}

export interface Collection<T> {
  totalCount: number;
  items: T[];
  links: { next?: { uri: string } };
}

/**
 * A list command's items: the first page, or with `all` every page (following each next link). `more`: pages
 * remain that were not read.
 */
export async function readList<T>(
  api: Api,
  path: string,
  query: Record<string, string | undefined>,
  all: boolean,
): Promise<{ items: T[]; totalCount: number; more: boolean }> {
  let page = await api.get<Collection<T>>(path, query);
  const items = [...page.items];
  while (all && page.links.next) {
    page = await api.get<Collection<T>>(page.links.next.uri);
    items.push(...page.items);
  }
  return { items, totalCount: page.totalCount, more: Boolean(page.links.next) };
}

/** The line under a list: how many of how many, and how to see the rest. */
export function printCount(list: { items: unknown[]; totalCount: number; more: boolean }): void {
  out(`${list.items.length} of ${list.totalCount}`);
  if (list.more) note('More: add --all for every page.');
}

export const customerLabel = (c: Customer) => `${c.billingProfile.companyName} (${c.companyProfile.domain})`;

/** An API failure as one line with its code, e.g. "… (quantity: …) [subscriptionSuspended 100805]". */
export function withCode(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  const body = (err.body && typeof err.body === 'object' ? err.body : {}) as {
    code?: unknown;
    name?: unknown;
  };
  const code = [body.name, body.code].filter((v) => typeof v === 'string' || typeof v === 'number').join(' ');
  return code ? new Error(`${err.message} [${code}]`, { cause: err }) : err;
}

/** Runs a command's work with the API; any failure is one line on stderr and exit code 1. */
export async function withApi(opts: ApiOptions, fn: (api: Api) => Promise<void>): Promise<void> {
  try {
    await fn(await connectApi(opts));
  } catch (err) {
    fail(withCode(err));
  }
}

/** The customer a command names: its id, or one of its domains (the primary one or another). */
export async function resolveCustomer(api: Api, raw: string): Promise<Customer> {
  const text = raw.trim();
  if (UUID.test(text)) return api.get<Customer>(`/v1/customers/${text.toLowerCase()}`);
  const domain = text.toLowerCase();
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(domain))
    throw new Error(`"${raw}" is neither a customer id (a GUID) nor a domain like contoso.onpartnerdesk.com`);
  const page = await api.get<Collection<Customer>>('/v1/customers', {
    filter: JSON.stringify({ Field: 'Domain', Value: domain, Operator: 'starts_with' }),
    size: 1000,
  });
  const domains = (c: Customer) => [c.companyProfile.domain, ...c.customDomains].map((d) => d.toLowerCase());
  const exact = page.items.find((c) => domains(c).includes(domain));
  if (exact) return exact;
  // A bare prefix ("contoso") names the customer whose primary domain it starts, when only one does.
  if (!domain.includes('.')) {
    const byPrefix = page.items.filter((c) => c.companyProfile.domain.toLowerCase().startsWith(`${domain}.`));
    if (byPrefix.length === 1) return byPrefix[0]!;
  }
  throw new Error(`none of your customers has the domain ${domain}`);
}
