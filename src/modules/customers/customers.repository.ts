// SQL for customers, their domains, first admin, agreements and each partner's customer list. Every function
// runs in a transaction opened by inPartnerTransaction: row-level security shows a customer only to partners
// with an active relationship, and list queries also filter by the partner explicitly (the first wall).
import type { ExpressionBuilder, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import type { CustomerAgreementsTable, CustomersTable, DB } from '../../db/schema.ts';
import { escapeLike } from '../../lib/text.ts';
import { searchKeyOf } from '../customerUsers/customerUsers.directory.ts';

export type CustomerRow = Selectable<CustomersTable>;
export type AgreementRow = Selectable<CustomerAgreementsTable>;

/** A customer as one partner sees it: the customer's row with that partner's relationship. */
export type CustomerListRow = CustomerRow & {
  delegated_admin: boolean;
  established_at: Date;
  /** customer_created_at at microsecond precision, for keyset paging by creation time. */
  position_at: string;
  agreement_date: string | null;
  custom_domains: string[];
};

export interface Address {
  country: string;
  region?: string | null;
  city: string;
  state?: string | null;
  addressLine1: string;
  addressLine2?: string | null;
  addressLine3?: string | null;
  postalCode?: string | null;
  firstName?: string | null;
  middleName?: string | null;
  lastName?: string | null;
  phoneNumber?: string | null;
}

export interface NewCustomer {
  id: string;
  instance: CustomerRow['instance'];
  primaryDomain: string;
  companyName: string;
  registrationNumber: string | null;
  billing: {
    firstName: string;
    lastName: string;
    email: string;
    culture: string;
    language: string;
    companyName: string;
    defaultAddress: Address;
  };
  nameKey: string;
  domainKey: string;
  now: Date;
}

/** A unique violation of this constraint means the domain is taken (by a concurrent creation, say). */
export const DOMAIN_KEY_CONSTRAINT = 'customer_domains_pkey';

export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === constraint;
}

/** Is the domain any tenant's (across all partners and instances)? */
export async function domainTaken(trx: Trx, domain: string): Promise<boolean> {
  const r = await sql<{ taken: boolean }>`select customer_domain_taken(${domain}) as taken`.execute(trx);
  return r.rows[0]?.taken === true;
}

/**
 * The tenant, its primary domain and the partner's reseller relationship, in the order row-level security
 * needs (a domain becomes visible through the relationship). A taken domain fails on DOMAIN_KEY_CONSTRAINT.
 */
export async function insertCustomer(
  trx: Trx,
  partnerId: string,
  c: NewCustomer,
  delegatedAdmin: boolean,
): Promise<void> {
  await trx
    .insertInto('customers')
    .values({
      id: c.id,
      instance: c.instance,
      primary_domain: c.primaryDomain,
      company_name: c.companyName,
      registration_number: c.registrationNumber,
      billing_first_name: c.billing.firstName,
      billing_last_name: c.billing.lastName,
      billing_email: c.billing.email,
      culture: c.billing.culture,
      language: c.billing.language,
      billing_company_name: c.billing.companyName,
      default_address: JSON.stringify(c.billing.defaultAddress),
      name_key: c.nameKey,
      domain_key: c.domainKey,
      created_at: c.now,
      updated_at: c.now,
    })
    .execute();
  await trx
    .insertInto('customer_relationships')
    .values({
      partner_id: partnerId,
      customer_id: c.id,
      delegated_admin: delegatedAdmin,
      removed_at: null,
      established_at: c.now,
      company_name: c.billing.companyName,
      name_key: c.nameKey,
      primary_domain: c.primaryDomain,
      domain_key: c.domainKey,
      customer_created_at: c.now,
    })
    .execute();
  await trx
    .insertInto('customer_domains')
    .values({ domain: c.primaryDomain, customer_id: c.id, is_primary: true })
    .execute();
}

export async function insertCustomerUser(
  trx: Trx,
  values: {
    customerId: string;
    userName: string;
    displayName: string;
    passwordHash: string;
    roles: string[];
    usageLocation: string | null;
    now: Date;
  },
): Promise<{ id: string }> {
  return trx
    .insertInto('customer_users')
    .values({
      customer_id: values.customerId,
      user_name: values.userName,
      first_name: null,
      last_name: null,
      display_name: values.displayName,
      password_hash: values.passwordHash,
      must_change_password: true,
      roles: values.roles,
      usage_location: values.usageLocation,
      // What the directory's search (q) compares, as for every other user.
      search_key: searchKeyOf({ ...values, firstName: null, lastName: null }),
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function insertAgreement(
  trx: Trx,
  values: Omit<AgreementRow, 'id' | 'created_at' | 'agreement_type'> & { now: Date },
): Promise<AgreementRow> {
  const { now, ...rest } = values;
  return trx
    .insertInto('customer_agreements')
    .values({ ...rest, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listAgreements(trx: Trx, customerId: string): Promise<AgreementRow[]> {
  return trx
    .selectFrom('customer_agreements')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

// ── one partner's view of customers ──

export interface CustomerQuery {
  partnerId: string;
  customerId?: string;
  /** Folded search text and how it matches names and domains. */
  text?: { value: string; match: 'prefix' | 'contains'; fields: 'any' | 'name' | 'domain' };
  delegatedAdmin?: boolean;
}

export type CustomerSort = 'name' | 'createdAt';

type ListEb = ExpressionBuilder<DB & { r: DB['customer_list'] }, 'r'>;

// List queries read customer_list (the partner's active relationships, tenant rule built in) rather than the
// table: under the table's row-level security LIKE could not use an index (see migration 20261203T0900).
function where(eb: ListEb, q: CustomerQuery) {
  const and = [eb('r.partner_id', '=', q.partnerId)];
  if (q.customerId) and.push(eb('r.customer_id', '=', q.customerId));
  if (q.delegatedAdmin !== undefined) and.push(eb('r.delegated_admin', '=', q.delegatedAdmin));
  if (q.text) {
    const v = escapeLike(q.text.value);
    const or = [];
    if (q.text.match === 'prefix') {
      // A prefix as a range of the "C"-collated key: only the btrees serve it (the planner would otherwise
      // take the trigram index, which reads the partner's whole posting list first).
      const upper = prefixUpperBound(q.text.value);
      const startsWith = (column: 'r.name_key' | 'r.domain_key') =>
        upper === undefined
          ? eb(column, 'like', `${v}%`)
          : eb.and([
              eb(column, '>=', sql<string>`${q.text!.value}::text collate "C"`),
              eb(column, '<', sql<string>`${upper}::text collate "C"`),
            ]);
      if (q.text.fields !== 'domain') or.push(startsWith('r.name_key'));
      // domain_key lists every domain separated by spaces, the primary one first: a prefix of any of them. The
      // literal '% %' lets the planner use the small index of customers with more than one domain.
      if (q.text.fields !== 'name')
        or.push(
          startsWith('r.domain_key'),
          eb.and([sql<boolean>`r.domain_key like '% %'`, eb('r.domain_key', 'like', `% ${v}%`)]),
        );
    } else {
      if (q.text.fields !== 'domain') or.push(eb('r.name_key', 'like', `%${v}%`));
      if (q.text.fields !== 'name') or.push(eb('r.domain_key', 'like', `%${v}%`));
    }
    and.push(eb.or(or));
  }
  return eb.and(and);
}

/**
 * The least text above every text that starts with `prefix`, in code point order ("C" collation of UTF-8): the
 * prefix with its last character's code point plus one (past the surrogates). Undefined when there is none.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const chars = [...prefix];
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return chars.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

const POSITION_AT = sql<string>`to_char(r.customer_created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Where a page starts: after this row's sort key (name_key or creation time) and customer id. */
export interface CustomerPosition {
  key: string;
  id: string;
}

/**
 * Up to `limit` customers of the partner matching `q` in `sort` order (ties by customer id), after
 * `position`. Keys come from the partner's own relationship rows, so the partner-scoped index serves the
 * order and the range; the customers' full rows are joined only for the page.
 */
export async function findCustomers(
  trx: Trx,
  q: CustomerQuery,
  sort: CustomerSort,
  order: 'asc' | 'desc',
  position: CustomerPosition | undefined,
  limit: number,
): Promise<CustomerListRow[]> {
  const query = trx
    .selectFrom('customer_list as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .selectAll('c')
    .select([
      'r.delegated_admin',
      'r.established_at',
      POSITION_AT.as('position_at'),
      (eb) =>
        eb
          .selectFrom('customer_agreements as a')
          .select('a.date_agreed')
          .whereRef('a.customer_id', '=', 'r.customer_id')
          .orderBy('a.created_at', 'desc')
          .limit(1)
          .as('agreement_date'),
      (eb) =>
        eb.fn
          .coalesce(
            eb
              .selectFrom('customer_domains as d')
              .select(sql<string[]>`array_agg(d.domain order by d.domain)`.as('domains'))
              .whereRef('d.customer_id', '=', 'r.customer_id')
              .where('d.is_primary', '=', false),
            sql<string[]>`'{}'::text[]`,
          )
          .as('custom_domains'),
    ])
    .where((eb) => where(eb, q))
    .$if(position !== undefined, (qb) => qb.where((eb) => after(eb, sort, order, position!)));
  const rows = await query
    .orderBy(orderKey(sort, q), order)
    .orderBy('r.customer_id', order)
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, custom_domains: r.custom_domains ?? [] }) as CustomerListRow);
}

/** What an export line needs, from the list's own copies (no customer row, no per-row look-ups). */
export interface CustomerExportRow {
  id: string;
  billing_company_name: string;
  primary_domain: string;
  name_key: string;
  position_at: string;
}

/** Like findCustomers, for CSV exports: the same order and keyset, only the exported columns. */
export function findCustomerExportRows(
  trx: Trx,
  q: CustomerQuery,
  sort: CustomerSort,
  order: 'asc' | 'desc',
  position: CustomerPosition | undefined,
  limit: number,
): Promise<CustomerExportRow[]> {
  const query = trx
    .selectFrom('customer_list as r')
    .select([
      'r.customer_id as id',
      'r.company_name as billing_company_name',
      'r.primary_domain',
      'r.name_key',
      POSITION_AT.as('position_at'),
    ])
    .where((eb) => where(eb, q))
    .$if(position !== undefined, (qb) => qb.where((eb) => after(eb, sort, order, position!)));
  return query.orderBy(orderKey(sort, q), order).orderBy('r.customer_id', order).limit(limit).execute();
}

const keyColumn = (sort: CustomerSort) => (sort === 'name' ? 'r.name_key' : 'r.customer_created_at');

/**
 * The ORDER BY key. A search orders by an expression of the same value that no index provides, so the planner
 * collects the matches through the search indexes and sorts them (cost in proportion to the matches, like the
 * count's) instead of walking the partner's whole list in order and filtering it, which it prefers when it
 * guesses matches are spread evenly: a rare or late-sorting term then read all 200,000 rows of a big partner.
 */
function orderKey(sort: CustomerSort, q: CustomerQuery) {
  if (!q.text) return keyColumn(sort);
  return sort === 'name'
    ? sql<string>`(r.name_key || '') collate "C"`
    : sql<Date>`(r.customer_created_at + interval '0 seconds')`;
}

/** Rows after `position` in `sort` order (ties by customer id), on the list's partner-scoped indexes. */
function after(eb: ListEb, sort: CustomerSort, order: 'asc' | 'desc', position: CustomerPosition) {
  const key =
    sort === 'name'
      ? sql<string>`${position.key}::text collate "C"`
      : sql<Date>`${position.key}::timestamptz`;
  return eb(
    eb.refTuple(keyColumn(sort), 'r.customer_id'),
    order === 'asc' ? '>' : '<',
    eb.tuple(key, position.id),
  );
}

export async function countCustomers(trx: Trx, q: CustomerQuery): Promise<number> {
  // The whole list's total is kept by triggers: counting 200,000 index entries per page would dominate it.
  if (!q.customerId && !q.text && q.delegatedAdmin === undefined) {
    const kept = await trx
      .selectFrom('partner_customer_counts')
      .select('active_customers')
      .where('partner_id', '=', q.partnerId)
      .executeTakeFirst();
    return kept?.active_customers ?? 0;
  }
  const r = await trx
    .selectFrom('customer_list as r')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => where(eb, q))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One customer as the partner sees it, or undefined without an active relationship. */
export async function getCustomer(trx: Trx, partnerId: string, customerId: string) {
  const rows = await findCustomers(trx, { partnerId, customerId }, 'name', 'asc', undefined, 1);
  return rows[0];
}

/** Locks the customer row for an update of its profiles; undefined when the partner cannot see it. */
export function lockCustomer(trx: Trx, customerId: string): Promise<CustomerRow | undefined> {
  return trx.selectFrom('customers').selectAll().where('id', '=', customerId).forUpdate().executeTakeFirst();
}

export async function updateBillingProfile(
  trx: Trx,
  customerId: string,
  expectedVersion: number,
  values: NewCustomer['billing'] & { nameKey: string; now: Date },
): Promise<boolean> {
  const r = await trx
    .updateTable('customers')
    .set((eb) => ({
      billing_first_name: values.firstName,
      billing_last_name: values.lastName,
      billing_email: values.email,
      culture: values.culture,
      language: values.language,
      billing_company_name: values.companyName,
      default_address: JSON.stringify(values.defaultAddress),
      name_key: values.nameKey,
      updated_at: values.now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', customerId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateCompanyProfile(
  trx: Trx,
  customerId: string,
  expectedVersion: number,
  values: { companyName: string; registrationNumber: string | null; now: Date },
): Promise<boolean> {
  const r = await trx
    .updateTable('customers')
    .set((eb) => ({
      company_name: values.companyName,
      registration_number: values.registrationNumber,
      updated_at: values.now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', customerId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The state of the partner's relationship with the customer (the partner's own row), or undefined if none. */
export async function relationshipState(
  trx: Trx,
  partnerId: string,
  customerId: string,
): Promise<'active' | 'removed' | undefined> {
  const row = await trx
    .selectFrom('customer_relationships')
    .select('state')
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row?.state;
}
