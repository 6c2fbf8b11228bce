// Customer accounts (PRODUCT.md features 1–3): add a customer — its tenant, profiles, first Global admin, the
// reseller relationship with DAP, an optional customer-agreement confirmation and the activity record, in one
// transaction — the partner's customer list with search, sort, paging and CSV export, and the company and
// billing profiles and agreements of a customer the partner has an active relationship with. Another
// partner's customer is "not found", whether it exists or not.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import { etagOf } from '../../http/etag.ts';
import type { Clock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import type { CsvCell } from '../../lib/csv.ts';
import { csvStream } from '../../lib/csv.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import { invalidFilter, parseFilter } from '../../lib/filter.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCursor, isCursorInstant, keysetRows, pageOf } from '../../lib/paging.ts';
import { hashPassword, temporaryPassword } from '../../lib/passwords.ts';
import { foldForSearch, isEmail } from '../../lib/text.ts';
import { record } from '../activity/activity.record.ts';
import type { CountriesService } from '../countries/countries.service.ts';
import type { LineItemInput, OrderPlan, OrderView } from '../subscriptions/orders.service.ts';
import { placeOrder, planOrder } from '../subscriptions/orders.service.ts';
import type { InstanceService } from '../instances/instances.ts';
import * as repo from './customers.repository.ts';
import type {
  Address,
  AgreementRow,
  CustomerListRow,
  CustomerQuery,
  CustomerRow,
  CustomerSort,
} from './customers.repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A domain prefix: letters and digits, 1–27 characters, starting with a letter (PRODUCT.md feature 2). */
const DOMAIN_PREFIX = /^[a-z][a-z0-9]{0,26}$/;
export const CUSTOMER_CSV_COLUMNS = ['Microsoft ID', 'Company name', 'Primary domain name', 'Relationship'];

/** What the customers module needs of the country rules (src/modules/countries). */
export type CountryRules = Pick<
  CountriesService,
  'addressIssues' | 'normalizeAddress' | 'registrationNumberIssues' | 'normalizeCulture' | 'normalizeLanguage'
>;

// ── API shapes ──

export interface AddressView {
  country: string;
  region: string | null;
  city: string;
  state: string | null;
  addressLine1: string;
  addressLine2: string | null;
  addressLine3: string | null;
  postalCode: string | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  phoneNumber: string | null;
}

export interface CompanyProfileView {
  tenantId: string;
  domain: string;
  companyName: string;
  organizationRegistrationNumber: string | null;
  attributes: { objectType: 'CustomerCompanyProfile'; etag: string };
}

export interface BillingProfileView {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  culture: string;
  language: string;
  companyName: string;
  defaultAddress: AddressView;
  attributes: { objectType: 'CustomerBillingProfile'; etag: string };
}

export interface CustomerView {
  id: string;
  commerceId: string;
  companyProfile: CompanyProfileView;
  billingProfile: BillingProfileView;
  relationshipToPartner: 'reseller' | 'none';
  allowDelegatedAccess: boolean;
  customDomains: string[];
  instance: CustomerRow['instance'];
  customerAgreement: { confirmed: boolean; dateAgreed: string | null };
  createdAt: string;
  relationshipEstablishedAt: string;
  attributes: { objectType: 'Customer'; etag: string };
}

export interface CreatedCustomerView extends CustomerView {
  userCredentials: { userName: string; password: string };
  /** The order placed with the customer (its line items), or none. */
  orders: OrderView[];
}

export interface AgreementView {
  id: string;
  agreementType: 'customerAgreement';
  primaryContact: { firstName: string; lastName: string; email: string; phoneNumber: string | null };
  dateAgreed: string;
  confirmedBy: 'partner' | 'customer';
  createdAt: string;
  attributes: { objectType: 'Agreement' };
}

// ── inputs ──

type Nullable<T> = T | null | undefined;

export interface AddressInput {
  country: string;
  region?: Nullable<string>;
  city: string;
  state?: Nullable<string>;
  addressLine1: string;
  addressLine2?: Nullable<string>;
  addressLine3?: Nullable<string>;
  postalCode?: Nullable<string>;
  firstName?: Nullable<string>;
  middleName?: Nullable<string>;
  lastName?: Nullable<string>;
  phoneNumber?: Nullable<string>;
}

export interface BillingProfileInput {
  firstName?: Nullable<string>;
  lastName?: Nullable<string>;
  email: string;
  culture: string;
  language: string;
  companyName: string;
  defaultAddress: AddressInput;
}

export interface AgreementInput {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber?: Nullable<string>;
  dateAgreed: string;
}

export interface CreateCustomerInput {
  companyProfile: {
    domain: string;
    companyName?: Nullable<string>;
    organizationRegistrationNumber?: Nullable<string>;
  };
  billingProfile: BillingProfileInput;
  customerAgreement?: AgreementInput;
  /** Subscriptions to order with the customer, in the same transaction (the wizard's Subscriptions step). */
  lineItems?: LineItemInput[];
}

export interface CompanyProfileInput {
  companyName: string;
  organizationRegistrationNumber?: Nullable<string>;
}

export interface CustomerFilters {
  q?: string;
  match?: 'prefix' | 'contains';
  filter?: string;
  customerId?: string;
  relationship?: 'reseller';
  delegatedAdmin?: boolean;
  sort?: CustomerSort;
  order?: 'asc' | 'desc';
}

// ── helpers ──

const iso = (d: Date) => d.toISOString();
const clean = (v: Nullable<string>): string | null => {
  const t = typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : '';
  return t === '' ? null : t;
};

function cleanAddress(a: AddressInput): Address {
  return {
    country: (clean(a.country) ?? '').toUpperCase(),
    region: clean(a.region),
    city: clean(a.city) ?? '',
    state: clean(a.state),
    addressLine1: clean(a.addressLine1) ?? '',
    addressLine2: clean(a.addressLine2),
    addressLine3: clean(a.addressLine3),
    postalCode: clean(a.postalCode),
    firstName: clean(a.firstName),
    middleName: clean(a.middleName),
    lastName: clean(a.lastName),
    phoneNumber: clean(a.phoneNumber),
  };
}

function addressView(a: Record<string, unknown>): AddressView {
  const s = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : null);
  return {
    country: s('country') ?? '',
    region: s('region'),
    city: s('city') ?? '',
    state: s('state'),
    addressLine1: s('addressLine1') ?? '',
    addressLine2: s('addressLine2'),
    addressLine3: s('addressLine3'),
    postalCode: s('postalCode'),
    firstName: s('firstName'),
    middleName: s('middleName'),
    lastName: s('lastName'),
    phoneNumber: s('phoneNumber'),
  };
}

function lengthIssue(field: string, value: string | null, min: number, max: number): FieldIssue[] {
  const n = value?.length ?? 0;
  if (min > 0 && n === 0) return [{ field, reason: 'is required' }];
  if (n > max) return [{ field, reason: `must be at most ${max} characters (it has ${n})` }];
  return [];
}

/** The UTC calendar day `at` plus `hours`, as YYYY-MM-DD. */
function dayAt(at: Date, hours = 0): string {
  return new Date(at.getTime() + hours * 3_600_000).toISOString().slice(0, 10);
}

function isRealDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * A customer-agreement confirmation checked field by field (every broken rule at once, fields named under
 * `prefix`) and cleaned: names 1–50, an email, an optional phone of the customer's country, the day agreed as
 * YYYY-MM-DD and never in the future. Shared by the partner's attestation and the customer's own confirmation
 * on the invitation page (relationships module).
 */
export function checkAgreement(
  input: AgreementInput,
  prefix: string,
  country: string,
  deps: { now: Date; countries: Pick<CountryRules, 'addressIssues'> },
) {
  const { countries } = deps;
  const issues: FieldIssue[] = [];
  const firstName = clean(input.firstName) ?? '';
  const lastName = clean(input.lastName) ?? '';
  const email = clean(input.email) ?? '';
  const phone = clean(input.phoneNumber);
  issues.push(...lengthIssue(`${prefix}.firstName`, firstName, 1, 50));
  issues.push(...lengthIssue(`${prefix}.lastName`, lastName, 1, 50));
  if (email === '') issues.push({ field: `${prefix}.email`, reason: 'is required' });
  else if (!isEmail(email)) issues.push({ field: `${prefix}.email`, reason: 'is not an email address' });
  if (phone && phone.length > 50)
    issues.push({ field: `${prefix}.phoneNumber`, reason: 'must be at most 50 characters' });
  else if (phone && country) {
    // The signer's phone is checked against the customer's country, as an address phone is.
    const phoneIssues = countries
      .addressIssues(
        { country, city: 'x', addressLine1: 'x', phoneNumber: phone, postalCode: null, state: null },
        { fieldPrefix: prefix },
      )
      .filter((i) => i.field === `${prefix}.phoneNumber`);
    issues.push(...phoneIssues);
  }
  const date = input.dateAgreed.trim();
  // "Never in the future" by the calendar of the place furthest ahead (UTC+14): a signer whose day has begun
  // anywhere may enter it.
  if (date === '') issues.push({ field: `${prefix}.dateAgreed`, reason: 'is required' });
  else if (!isRealDay(date))
    issues.push({ field: `${prefix}.dateAgreed`, reason: 'must be a date as YYYY-MM-DD, like 2026-11-30' });
  else if (date > dayAt(deps.now, 14))
    issues.push({ field: `${prefix}.dateAgreed`, reason: 'must not be in the future' });
  else if (date < '2000-01-01')
    issues.push({ field: `${prefix}.dateAgreed`, reason: 'must be on or after 2000-01-01' });
  return {
    agreement: { firstName, lastName, email: email.toLowerCase(), phone, date },
    issues,
  };
}

export interface CustomersService {
  create(ctx: CallerContext, input: CreateCustomerInput): Promise<CreatedCustomerView>;
  list(ctx: CallerContext, filters: CustomerFilters, page: PageRequest): Promise<Page<CustomerView>>;
  exportCsv(ctx: CallerContext, filters: CustomerFilters): Promise<{ filename: string; stream: Readable }>;
  get(ctx: CallerContext, customerId: string): Promise<CustomerView>;
  /**
   * The customer as `ctx` sees it, read inside a transaction another module's service owns (removing a
   * relationship answers the customer as it was just before); customerNotFound without an active relationship.
   */
  getInTransaction(trx: Trx, ctx: CallerContext, customerId: string): Promise<CustomerView>;
  /** The caller's relationship with the customer, ended ones included (undefined: never had one). */
  relationshipState(
    trx: Trx,
    ctx: CallerContext,
    customerId: string,
  ): Promise<'active' | 'removed' | undefined>;
  getCompanyProfile(ctx: CallerContext, customerId: string): Promise<CompanyProfileView>;
  updateCompanyProfile(
    ctx: CallerContext,
    customerId: string,
    input: CompanyProfileInput,
    /** From If-Match; required (428 without), checked once the customer is known to be the caller's. */
    expectedVersion: number | undefined,
  ): Promise<CompanyProfileView>;
  getBillingProfile(ctx: CallerContext, customerId: string): Promise<BillingProfileView>;
  updateBillingProfile(
    ctx: CallerContext,
    customerId: string,
    input: BillingProfileInput,
    expectedVersion: number | undefined,
  ): Promise<BillingProfileView>;
  listAgreements(ctx: CallerContext, customerId: string): Promise<AgreementView[]>;
  createAgreement(ctx: CallerContext, customerId: string, input: AgreementInput): Promise<AgreementView>;
  /** Is the domain any tenant's? Its syntax is checked first (400 with the reason). */
  domainTaken(ctx: CallerContext, domain: string): Promise<boolean>;
}

export function createCustomersService(deps: {
  db: Db;
  clock: Clock;
  instances: Pick<InstanceService, 'get' | 'assert'>;
  countries: CountryRules;
}): CustomersService {
  const { db, clock, instances, countries } = deps;

  // ── validation: every broken rule as a field-level reason, all at once ──

  function domainIssues(
    ctx: CallerContext,
    field: string,
    raw: string,
  ): { domain: string; issues: FieldIssue[] } {
    const domain = raw.trim().toLowerCase();
    const suffix = instances.get(ctx.instance).domainSuffix;
    if (domain === '') return { domain, issues: [{ field, reason: 'is required' }] };
    if (!domain.endsWith(`.${suffix}`))
      return {
        domain,
        issues: [{ field, reason: `must be <prefix>.${suffix}, the domain suffix of your cloud instance` }],
      };
    const prefix = domain.slice(0, -suffix.length - 1);
    if (!DOMAIN_PREFIX.test(prefix))
      return {
        domain,
        issues: [
          {
            field,
            reason:
              prefix.length > 27
                ? `has a prefix of ${prefix.length} characters; it may have at most 27`
                : 'must have a prefix of letters and digits only (1–27), starting with a letter',
          },
        ],
      };
    return { domain, issues: [] };
  }

  function billingIssues(
    input: BillingProfileInput,
    prefix: string,
  ): { billing: repo.NewCustomer['billing']; issues: FieldIssue[] } {
    const issues: FieldIssue[] = [];
    const firstName = clean(input.firstName) ?? '';
    const lastName = clean(input.lastName) ?? '';
    issues.push(...lengthIssue(`${prefix}.firstName`, firstName, 0, 50));
    issues.push(...lengthIssue(`${prefix}.lastName`, lastName, 0, 50));
    const email = clean(input.email) ?? '';
    if (email === '') issues.push({ field: `${prefix}.email`, reason: 'is required' });
    else if (!isEmail(email))
      issues.push({ field: `${prefix}.email`, reason: 'is not an email address (like billing@contoso.com)' });
    const culture = countries.normalizeCulture(input.culture.trim());
    if (!culture)
      issues.push({
        field: `${prefix}.culture`,
        reason: 'must be a culture: a language and a country, like en-US or de-DE',
      });
    const language = countries.normalizeLanguage(input.language.trim());
    if (!language)
      issues.push({
        field: `${prefix}.language`,
        reason: 'must be a two-letter language code, like en or de',
      });
    const companyName = clean(input.companyName) ?? '';
    issues.push(...lengthIssue(`${prefix}.companyName`, companyName, 1, 200));
    // Checked as typed; stored normalised (codes in capitals, postal code and phone as the country writes them).
    const typed = cleanAddress(input.defaultAddress);
    issues.push(
      ...countries.addressIssues(typed, {
        fieldPrefix: `${prefix}.defaultAddress`,
        requireContactName: true,
      }),
    );
    const defaultAddress = countries.normalizeAddress(typed) as Address;
    return {
      billing: {
        firstName,
        lastName,
        email: email.toLowerCase(),
        culture: culture ?? '',
        language: language ?? '',
        companyName,
        defaultAddress,
      },
      issues,
    };
  }

  const agreementIssues = (input: AgreementInput, prefix: string, country: string) =>
    checkAgreement(input, prefix, country, { now: clock.now(), countries });

  // ── views ──

  function companyView(row: CustomerRow): CompanyProfileView {
    return {
      tenantId: row.id,
      domain: row.primary_domain,
      companyName: row.company_name,
      organizationRegistrationNumber: row.registration_number,
      attributes: { objectType: 'CustomerCompanyProfile', etag: etagOf(row.id, row.version) },
    };
  }

  function billingView(row: CustomerRow): BillingProfileView {
    return {
      id: row.id,
      firstName: row.billing_first_name,
      lastName: row.billing_last_name,
      email: row.billing_email,
      culture: row.culture,
      language: row.language,
      companyName: row.billing_company_name,
      defaultAddress: addressView(row.default_address),
      attributes: { objectType: 'CustomerBillingProfile', etag: etagOf(row.id, row.version) },
    };
  }

  function customerView(row: CustomerListRow): CustomerView {
    return {
      id: row.id,
      commerceId: row.commerce_id,
      companyProfile: companyView(row),
      billingProfile: billingView(row),
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: row.delegated_admin,
      customDomains: row.custom_domains,
      instance: row.instance,
      customerAgreement: { confirmed: row.agreement_date !== null, dateAgreed: row.agreement_date },
      createdAt: iso(row.created_at),
      relationshipEstablishedAt: iso(row.established_at),
      attributes: { objectType: 'Customer', etag: etagOf(row.id, row.version) },
    };
  }

  function agreementView(row: AgreementRow): AgreementView {
    return {
      id: row.id,
      agreementType: 'customerAgreement',
      primaryContact: {
        firstName: row.signer_first_name,
        lastName: row.signer_last_name,
        email: row.signer_email,
        phoneNumber: row.signer_phone,
      },
      dateAgreed: row.date_agreed,
      confirmedBy: row.confirmed_by,
      createdAt: iso(row.created_at),
      attributes: { objectType: 'Agreement' },
    };
  }

  const notFound = () => new AppError('customerNotFound');

  /** The customer as `ctx` sees it, inside `trx`; customerNotFound without an active relationship. */
  async function visible(trx: Trx, ctx: CallerContext, customerId: string): Promise<CustomerListRow> {
    const row = await repo.getCustomer(trx, ctx.partnerId, customerId);
    if (!row) throw notFound();
    return row;
  }

  /**
   * The customer row locked for a full update of one of its profiles: 404 unless the caller's customer, then
   * 428 without If-Match, 412 (carrying the profile as it is now, in `view`'s shape) when it is stale.
   */
  async function lockForUpdate(
    trx: Trx,
    ctx: CallerContext,
    customerId: string,
    expectedVersion: number | undefined,
    view: (row: CustomerRow) => unknown,
  ): Promise<CustomerRow> {
    await visible(trx, ctx, customerId);
    const current = await repo.lockCustomer(trx, customerId);
    if (!current) throw notFound();
    if (expectedVersion === undefined) throw new AppError('preconditionRequired');
    if (current.version !== expectedVersion)
      throw new AppError('preconditionFailed', { data: [view(current)] });
    return current;
  }

  // ── list filters ──

  const FILTER_FIELDS = ['CompanyName', 'Domain'] as const;
  const FILTER_OPERATORS = ['starts_with', 'substring'] as const;

  function parseCustomerFilter(raw: string): NonNullable<CustomerQuery['text']> {
    const { field, operator, value } = parseFilter(raw, FILTER_FIELDS, FILTER_OPERATORS);
    return {
      value: foldForSearch(value),
      match: operator === 'starts_with' ? 'prefix' : 'contains',
      fields: field === 'CompanyName' ? 'name' : 'domain',
    };
  }

  function toQuery(ctx: CallerContext, f: CustomerFilters): CustomerQuery {
    const q: CustomerQuery = { partnerId: ctx.partnerId };
    if (f.customerId) q.customerId = f.customerId.toLowerCase();
    if (f.delegatedAdmin !== undefined) q.delegatedAdmin = f.delegatedAdmin;
    const text = f.q === undefined ? '' : foldForSearch(f.q);
    if (text !== '') q.text = { value: text, match: f.match ?? 'prefix', fields: 'any' };
    if (f.filter) {
      if (q.text) throw invalidFilter({ field: 'filter', reason: 'use either q or filter, not both' });
      q.text = parseCustomerFilter(f.filter);
    }
    return q;
  }

  function scopeOf(ctx: CallerContext, f: CustomerFilters) {
    return {
      list: 'customers',
      partnerId: ctx.partnerId,
      q: f.q === undefined ? null : foldForSearch(f.q),
      match: f.match ?? 'prefix',
      filter: f.filter ?? null,
      customerId: f.customerId?.toLowerCase() ?? null,
      delegatedAdmin: f.delegatedAdmin ?? null,
      sort: f.sort ?? 'name',
      order: f.order ?? 'asc',
    };
  }

  function positionOf(row: Pick<CustomerListRow, 'id' | 'name_key' | 'position_at'>, sort: CustomerSort) {
    return { key: sort === 'name' ? row.name_key : row.position_at, id: row.id };
  }

  function toCsvRow(row: repo.CustomerExportRow): CsvCell[] {
    return [row.id, row.billing_company_name, row.primary_domain, 'Reseller'];
  }

  return {
    async create(ctx, input) {
      instances.assert(ctx.instance, 'customers.create');
      const lineItems = input.lineItems ?? [];
      // Orders are refused until the customer agreement is confirmed: here, until it is given with the customer.
      if (lineItems.length > 0 && !input.customerAgreement) throw new AppError('customerAgreementRequired');
      const customerId = randomUUID();
      const issues: FieldIssue[] = [];
      const { domain, issues: domainProblems } = domainIssues(
        ctx,
        'companyProfile.domain',
        input.companyProfile.domain,
      );
      issues.push(...domainProblems);
      const { billing, issues: billingProblems } = billingIssues(input.billingProfile, 'billingProfile');
      issues.push(...billingProblems);
      const companyName = clean(input.companyProfile.companyName) ?? billing.companyName;
      issues.push(...lengthIssue('companyProfile.companyName', companyName, 1, 200));
      const registrationNumber = clean(input.companyProfile.organizationRegistrationNumber);
      if (billing.defaultAddress.country)
        issues.push(
          ...countries.registrationNumberIssues(
            billing.defaultAddress.country,
            registrationNumber,
            'companyProfile',
          ),
        );
      const agreement = input.customerAgreement
        ? agreementIssues(input.customerAgreement, 'customerAgreement', billing.defaultAddress.country)
        : undefined;
      if (agreement) issues.push(...agreement.issues);
      // The line items are checked with the rest, so that every problem is answered at once.
      let plan: OrderPlan | undefined;
      if (lineItems.length > 0 && billing.defaultAddress.country) {
        const country = billing.defaultAddress.country;
        const checked = await inPartnerTransaction(db, ctx.partnerId, (trx) =>
          planOrder(trx, ctx, { id: customerId, country, exists: false }, lineItems),
        );
        issues.push(...checked.issues);
        plan = checked.plan;
      }
      if (issues.length > 0) throw invalid(...issues);

      // A taken domain is refused before the password is hashed; the unique key decides a race.
      const taken = await inPartnerTransaction(db, ctx.partnerId, (trx) => repo.domainTaken(trx, domain));
      if (taken) throw domainTakenError(domain);
      const password = temporaryPassword();
      const passwordHash = await hashPassword(password);
      const now = clock.now();
      const userName = `admin@${domain}`;
      try {
        return await inPartnerTransaction(db, ctx.partnerId, async (trx) => {
          await repo.insertCustomer(
            trx,
            ctx.partnerId,
            {
              id: customerId,
              instance: ctx.instance,
              primaryDomain: domain,
              companyName,
              registrationNumber,
              billing,
              nameKey: foldForSearch(billing.companyName),
              domainKey: domain,
              now,
            },
            true,
          );
          await repo.insertCustomerUser(trx, {
            customerId,
            userName,
            displayName: `${companyName} admin`.slice(0, 100),
            passwordHash,
            roles: ['globalAdmin'],
            usageLocation: billing.defaultAddress.country,
            now,
          });
          if (agreement)
            await repo.insertAgreement(trx, {
              customer_id: customerId,
              partner_id: ctx.partnerId,
              signer_first_name: agreement.agreement.firstName,
              signer_last_name: agreement.agreement.lastName,
              signer_email: agreement.agreement.email,
              signer_phone: agreement.agreement.phone,
              date_agreed: agreement.agreement.date,
              confirmed_by: 'partner',
              now,
            });
          await record(trx, ctx, {
            action: 'customer.create',
            resourceType: 'Customer',
            resourceId: customerId,
            customer: { id: customerId, name: billing.companyName },
            details: {
              domain,
              adminUserName: userName,
              delegatedAdmin: true,
              customerAgreement: agreement ? agreement.agreement.date : null,
            },
          });
          const orders = plan
            ? [await placeOrder(trx, ctx, { id: customerId, name: billing.companyName }, plan, now)]
            : [];
          const row = await visible(trx, ctx, customerId);
          return { ...customerView(row), userCredentials: { userName, password }, orders };
        });
      } catch (err) {
        if (repo.isUniqueViolation(err, repo.DOMAIN_KEY_CONSTRAINT)) throw domainTakenError(domain);
        throw err;
      }
    },

    async list(ctx, filters, page) {
      const scope = scopeOf(ctx, filters);
      const sort = filters.sort ?? 'name';
      const order = filters.order ?? 'asc';
      const query = toQuery(ctx, filters);
      const cursor = decodeCursor(page.cursor, scope, 2);
      let position: repo.CustomerPosition | undefined;
      if (cursor) {
        const [key, id] = cursor;
        const keyOk =
          sort === 'name' ? typeof key === 'string' && key.length <= 1000 : isCursorInstant(key, 6);
        if (!keyOk || typeof id !== 'string' || !UUID.test(id))
          throw new AppError('invalidContinuationToken');
        position = { key: key as string, id };
      }
      return inPartnerTransaction(db, ctx.partnerId, (trx) =>
        pageOf(
          page.size,
          scope,
          (limit) => repo.findCustomers(trx, query, sort, order, position, limit),
          (row) => {
            const p = positionOf(row, sort);
            return [p.key, p.id];
          },
          customerView,
          () => repo.countCustomers(trx, query),
        ),
      );
    },

    async exportCsv(ctx, filters) {
      const sort = filters.sort ?? 'name';
      const order = filters.order ?? 'asc';
      const query = toQuery(ctx, filters);
      const rows = await keysetRows(
        (last: repo.CustomerExportRow | undefined, limit) =>
          inPartnerTransaction(db, ctx.partnerId, (trx) =>
            repo.findCustomerExportRows(trx, query, sort, order, last && positionOf(last, sort), limit),
          ),
        toCsvRow,
      );
      return {
        filename: `customers-${dayAt(clock.now())}.csv`,
        stream: csvStream(CUSTOMER_CSV_COLUMNS, rows),
      };
    },

    get: (ctx, customerId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) =>
        customerView(await visible(trx, ctx, customerId)),
      ),

    getInTransaction: async (trx, ctx, customerId) => customerView(await visible(trx, ctx, customerId)),

    relationshipState: (trx, ctx, customerId) => repo.relationshipState(trx, ctx.partnerId, customerId),

    getCompanyProfile: (ctx, customerId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) =>
        companyView(await visible(trx, ctx, customerId)),
      ),

    getBillingProfile: (ctx, customerId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) =>
        billingView(await visible(trx, ctx, customerId)),
      ),

    async updateCompanyProfile(ctx, customerId, input, expectedVersion) {
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const current = await lockForUpdate(trx, ctx, customerId, expectedVersion, companyView);
        const companyName = clean(input.companyName) ?? '';
        const registrationNumber = clean(input.organizationRegistrationNumber);
        const issues = [
          ...lengthIssue('companyName', companyName, 1, 200),
          ...countries.registrationNumberIssues(
            String(current.default_address.country ?? ''),
            registrationNumber,
            '',
          ),
        ];
        if (issues.length > 0) throw invalid(...issues);
        const before = {
          companyName: current.company_name,
          organizationRegistrationNumber: current.registration_number,
        };
        const after = { companyName, organizationRegistrationNumber: registrationNumber };
        if (
          before.companyName === after.companyName &&
          before.organizationRegistrationNumber === after.organizationRegistrationNumber
        )
          return companyView(current);
        const now = clock.now();
        if (
          !(await repo.updateCompanyProfile(trx, customerId, current.version, {
            companyName,
            registrationNumber,
            now,
          }))
        )
          throw new AppError('preconditionFailed');
        await record(trx, ctx, {
          action: 'customer.updateCompanyProfile',
          resourceType: 'CustomerCompanyProfile',
          resourceId: customerId,
          customer: { id: customerId, name: current.billing_company_name },
          details: { before, after },
        });
        const updated = await repo.lockCustomer(trx, customerId);
        return companyView(updated!);
      });
    },

    async updateBillingProfile(ctx, customerId, input, expectedVersion) {
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const current = await lockForUpdate(trx, ctx, customerId, expectedVersion, billingView);
        const { billing, issues } = billingIssues(input, 'billingProfile');
        if (issues.length > 0)
          // The body is the billing profile itself: its fields are named without the prefix.
          throw invalid(...issues.map((i) => ({ ...i, field: i.field.replace(/^billingProfile\./, '') })));
        const before = billingView(current);
        const { attributes: _a, id: _i, ...beforeFields } = before;
        const afterFields = { ...billing, defaultAddress: addressView(billing.defaultAddress as never) };
        if (JSON.stringify(beforeFields) === JSON.stringify(afterFields)) return before;
        const now = clock.now();
        const ok = await repo.updateBillingProfile(trx, customerId, current.version, {
          ...billing,
          nameKey: foldForSearch(billing.companyName),
          now,
        });
        if (!ok) throw new AppError('preconditionFailed');
        await record(trx, ctx, {
          action: 'customer.updateBillingProfile',
          resourceType: 'CustomerBillingProfile',
          resourceId: customerId,
          customer: { id: customerId, name: billing.companyName },
          details: {
            before: changedOnly(beforeFields, afterFields),
            after: changedOnly(afterFields, beforeFields),
          },
        });
        const updated = await repo.lockCustomer(trx, customerId);
        return billingView(updated!);
      });
    },

    listAgreements: (ctx, customerId) =>
      inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        await visible(trx, ctx, customerId);
        return (await repo.listAgreements(trx, customerId)).map(agreementView);
      }),

    async createAgreement(ctx, customerId, input) {
      return inPartnerTransaction(db, ctx.partnerId, async (trx) => {
        const customer = await visible(trx, ctx, customerId);
        const country = String(customer.default_address.country ?? '');
        const { agreement, issues } = agreementIssues(input, '', country);
        if (issues.length > 0)
          throw invalid(...issues.map((i) => ({ ...i, field: i.field.replace(/^\./, '') })));
        const row = await repo.insertAgreement(trx, {
          customer_id: customerId,
          partner_id: ctx.partnerId,
          signer_first_name: agreement.firstName,
          signer_last_name: agreement.lastName,
          signer_email: agreement.email,
          signer_phone: agreement.phone,
          date_agreed: agreement.date,
          confirmed_by: 'partner',
          now: clock.now(),
        });
        await record(trx, ctx, {
          action: 'customer.confirmAgreement',
          resourceType: 'Agreement',
          resourceId: row.id,
          customer: { id: customerId, name: customer.billing_company_name },
          details: {
            signer: `${agreement.firstName} ${agreement.lastName} <${agreement.email}>`,
            dateAgreed: agreement.date,
          },
        });
        return agreementView(row);
      });
    },

    async domainTaken(ctx, raw) {
      const { domain, issues } = domainIssues(ctx, 'domain', raw);
      if (issues.length > 0) throw invalid(...issues);
      return inPartnerTransaction(db, ctx.partnerId, (trx) => repo.domainTaken(trx, domain));
    },
  };
}

function domainTakenError(domain: string): AppError {
  return new AppError('domainTaken', {
    details: [
      { field: 'companyProfile.domain', reason: `${domain} is already in use; choose another prefix` },
    ],
  });
}

/** The fields of `a` that differ from `b` (for before/after in the activity log). */
function changedOnly(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(a).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(b[k])));
}
