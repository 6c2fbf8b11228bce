// The offer catalog (PRODUCT.md feature 9): what partners sell, in which countries and cloud instances, at
// which price per currency. Partners read it (GET /v1/offers); the operator replaces it from a catalog file
// (`partnerdesk offers import`): every problem of the file reported at once, nothing written unless the whole
// file is sound, then one transaction that adds, updates and retires offers. An offer is never deleted: one
// absent from the file becomes unavailable, so the subscriptions sold from it keep their offer.
import type { Db, Trx } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { systemClock } from '../../lib/clock.ts';
import type { CallerContext } from '../../lib/context.ts';
import type { FieldIssue } from '../../lib/errors.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import { groupBy } from '../../lib/group.ts';
import type { Page, PageRequest } from '../../lib/paging.ts';
import { decodeCursor, pageOf } from '../../lib/paging.ts';
import { foldForSearch } from '../../lib/text.ts';
import { isCountry } from '../countries/countries.data.ts';
import * as repo from './offers.repository.ts';
import type {
  MarketRow,
  MeterPriceRow,
  MeterRow,
  OfferPriceRow,
  OfferValues,
  OfferWithPrices,
} from './offers.repository.ts';

export const PRODUCT_KINDS = ['onlineService', 'azure', 'azurePlan', 'reservation', 'software'] as const;
export const BILLING_TYPES = ['license', 'usage'] as const;
export const TERMS = ['P1M', 'P1Y', 'P3Y'] as const;
export const BILLING_CYCLES = ['monthly', 'annual', 'triennial', 'oneTime', 'none'] as const;
export const CLOUD_INSTANCES = ['global', 'usgov', 'germany'] as const;

type ProductKind = (typeof PRODUCT_KINDS)[number];
type BillingType = (typeof BILLING_TYPES)[number];
type Term = (typeof TERMS)[number];
type BillingCycle = (typeof BILLING_CYCLES)[number];
type PriceTerm = Term | 'none';

/** Offer ids as the offers table allows them. */
export const OFFER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;
export const MAX_QUANTITY = 1_000_000;
/** In minor units: far above any real seat price, far below where a bigint sum could overflow. */
export const MAX_UNIT_PRICE = 1_000_000_000_000;
export const MAX_OFFERS = 10_000;
export const MAX_METERS = 500;
export const MAX_METER_PRICES = 1000;
/** The kinds whose subscriptions are cancelled rather than suspended. */
const CANCELLABLE_KINDS: readonly ProductKind[] = ['reservation', 'software'];
const USAGE_KINDS: readonly ProductKind[] = ['azure', 'azurePlan'];

// ── API shapes ──

export interface PriceView {
  currency: string;
  term: PriceTerm;
  billingCycle: BillingCycle;
  unitPrice: number;
}

export interface OfferView {
  id: string;
  name: string;
  description: string;
  productKind: ProductKind;
  billingType: BillingType;
  unitType: string;
  terms: Term[];
  billingCycles: BillingCycle[];
  minimumQuantity: number;
  maximumQuantity: number;
  isAddOn: boolean;
  prerequisiteOffers: string[];
  countries: string[];
  cancellable: boolean;
  currency: string | null;
  prices: PriceView[];
  attributes: { objectType: 'Offer' };
}

/** What the operator sees: an offer with the instances it is sold in and whether it is still sold. */
export interface CatalogOfferView extends OfferView {
  instances: string[];
  isAvailable: boolean;
}

/** A usage meter of an offer with its prices, each valid from its date until the next one's. */
export interface MeterView {
  meterId: string;
  name: string;
  category: string;
  unit: string;
  prices: { currencyCode: string; effectiveFrom: string; unitPrice: string }[];
  attributes: { objectType: 'OfferMeter' };
}

export interface OfferFilters {
  country?: string;
  q?: string;
  productKind?: ProductKind;
  billingType?: BillingType;
  parentOfferId?: string;
}

export interface ImportResult {
  markets: number;
  added: number;
  updated: number;
  unchanged: number;
  retired: number;
}

function priceView(p: OfferPriceRow): PriceView {
  return {
    currency: p.currency,
    term: p.term,
    billingCycle: p.billing_cycle,
    unitPrice: Number(p.unit_price),
  };
}

export function offerView(o: OfferWithPrices, currency: string | null): OfferView {
  return {
    id: o.id,
    name: o.name,
    description: o.description,
    productKind: o.product_kind,
    billingType: o.billing_type,
    unitType: o.unit_type,
    terms: [...o.terms],
    billingCycles: [...o.billing_cycles],
    minimumQuantity: o.min_quantity,
    maximumQuantity: o.max_quantity,
    isAddOn: o.parent_offer_ids.length > 0,
    prerequisiteOffers: [...o.parent_offer_ids],
    countries: [...o.countries],
    cancellable: o.cancellable,
    currency,
    prices: o.prices.map(priceView),
    attributes: { objectType: 'Offer' },
  };
}

/** The market of `raw` (an ISO 3166 alpha-2 code), or a 400 on field `country` naming what is wrong. */
async function marketFor(db: Db, raw: string | undefined): Promise<MarketRow | undefined> {
  if (raw === undefined) return undefined;
  const country = raw.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw invalid({ field: 'country', reason: 'must be a two-letter ISO 3166 country code, e.g. US' });
  const market = await repo.marketOf(db, country);
  if (!market) throw invalid({ field: 'country', reason: `${country} is not a market of the catalog` });
  return market;
}

/** The currency customers of a country buy in (its market's), or undefined where the catalog does not sell. */
export async function marketCurrency(db: Db | Trx, country: string): Promise<string | undefined> {
  return (await repo.marketOf(db, country))?.currency;
}

// ── the partner-facing catalog ──

export interface OffersService {
  /** Offers of the caller's instance, by name; with `country`, those sold there at that market's prices. */
  list(ctx: CallerContext, filters: OfferFilters, page: PageRequest): Promise<Page<OfferView>>;
  /** One offer of the caller's instance (sold in `country` when given), or offerNotFound. */
  get(ctx: CallerContext, offerId: string, country?: string): Promise<OfferView>;
  /**
   * The usage meters of an offer of the caller's instance (retired ones too: their subscriptions are still
   * rated) with their dated prices, in `currencyCode` only when given; offerNotFound otherwise.
   */
  meters(ctx: CallerContext, offerId: string, currencyCode?: string): Promise<MeterView[]>;
}

export function createOffersService(deps: { db: Db }): OffersService {
  const { db } = deps;
  return {
    async list(ctx, filters, page) {
      const market = await marketFor(db, filters.country);
      const text = filters.q === undefined ? undefined : foldForSearch(filters.q);
      const query: repo.OfferQuery = {
        instance: ctx.instance,
        ...(market ? { country: market.country } : {}),
        ...(text ? { text } : {}),
        ...(filters.productKind ? { productKind: filters.productKind } : {}),
        ...(filters.billingType ? { billingType: filters.billingType } : {}),
        ...(filters.parentOfferId !== undefined ? { parentOfferId: filters.parentOfferId.trim() } : {}),
      };
      // The catalog is the same for every partner of an instance: the token is bound to the query, not to them.
      const scope = { list: 'offers', ...query };
      const cursor = decodeCursor(page.cursor, scope, 2);
      let position: repo.OfferPosition | undefined;
      if (cursor) {
        const [name, id] = cursor;
        if (typeof name !== 'string' || name.length > 200 || typeof id !== 'string' || !OFFER_ID.test(id))
          throw new AppError('invalidContinuationToken');
        position = { name, id };
      }
      const currency = market?.currency ?? null;
      return pageOf(
        page.size,
        scope,
        (limit) => repo.listOffers(db, query, currency ?? undefined, position, limit),
        (o) => [o.name, o.id],
        (o) => offerView(o, currency),
        () => repo.countOffers(db, query),
      );
    },

    async get(ctx, offerId, country) {
      const market = await marketFor(db, country);
      if (!OFFER_ID.test(offerId)) throw new AppError('offerNotFound');
      const [found] = await repo.listOffers(
        db,
        { instance: ctx.instance, offerId, ...(market ? { country: market.country } : {}) },
        market?.currency,
        undefined,
        1,
      );
      if (!found) throw new AppError('offerNotFound');
      return offerView(found, market?.currency ?? null);
    },

    async meters(ctx, offerId, currencyCode) {
      const currency = currencyCode?.trim().toUpperCase();
      if (currency !== undefined && !/^[A-Z]{3}$/.test(currency))
        throw invalid({ field: 'currencyCode', reason: 'must be an ISO 4217 currency code, e.g. USD' });
      if (!OFFER_ID.test(offerId)) throw new AppError('offerNotFound');
      const offer = await repo.offerInInstance(db, offerId, ctx.instance);
      if (!offer) throw new AppError('offerNotFound');
      const [meters, prices] = await Promise.all([
        repo.findMeters(db, [offer.id]),
        repo.findMeterPrices(db, [offer.id], currency === undefined ? undefined : [currency]),
      ]);
      const byMeter = groupBy(prices, (p) => p.meter_id);
      return meters.map((m) => ({
        meterId: m.meter_id,
        name: m.name,
        category: m.category,
        unit: m.unit,
        prices: (byMeter.get(m.meter_id) ?? []).map((p) => ({
          currencyCode: p.currency,
          effectiveFrom: p.effective_from,
          unitPrice: decimalText(p.unit_price) ?? p.unit_price,
        })),
        attributes: { objectType: 'OfferMeter' as const },
      }));
    },
  };
}

// ── the operator's catalog: listing and import (owner connection) ──

/** Every available offer of every instance (those sold in `country`, at its prices, when given). */
export async function listCatalog(owner: Db, opts: { country?: string } = {}): Promise<CatalogOfferView[]> {
  const market = await marketFor(owner, opts.country);
  const all = await repo.allOffers(owner);
  return all
    .filter((o) => o.is_available)
    .filter((o) => !market || o.countries.includes('*') || o.countries.includes(market.country))
    .map((o) => ({
      ...offerView(
        { ...o, prices: market ? o.prices.filter((p) => p.currency === market.currency) : o.prices },
        market?.currency ?? null,
      ),
      instances: [...o.instances],
      isAvailable: o.is_available,
    }));
}

/** The operator's catalog tasks, on the owner connection (the only one that may write the catalog). */
export interface CatalogAdmin {
  /** No offer at all, available or retired: nothing was ever imported. */
  isEmpty(): Promise<boolean>;
  importCatalog(input: unknown): Promise<ImportResult>;
  list(opts?: { country?: string }): Promise<CatalogOfferView[]>;
  markets(): Promise<MarketRow[]>;
}

export function createCatalogAdmin(deps: { owner: Db; clock?: Clock }): CatalogAdmin {
  const { owner } = deps;
  const clock = deps.clock ?? systemClock;
  return {
    isEmpty: async () => !(await repo.anyOffer(owner)),
    importCatalog: (input) => importCatalog(owner, input, clock),
    list: (opts) => listCatalog(owner, opts),
    markets: () => repo.listMarkets(owner),
  };
}

/** A catalog file, checked: what the import writes. */
export interface ValidCatalog {
  markets: MarketRow[];
  offers: OfferValues[];
  prices: OfferPriceRow[];
  meters: MeterRow[];
  meterPrices: MeterPriceRow[];
}

const OFFER_FIELDS = new Set([
  'id',
  'name',
  'description',
  'productKind',
  'billingType',
  'unitType',
  'terms',
  'billingCycles',
  'minimumQuantity',
  'maximumQuantity',
  'prerequisiteOffers',
  'countries',
  'instances',
  'cancellable',
  'prices',
  'meters',
]);
const METER_FIELDS = new Set(['meterId', 'name', 'category', 'unit', 'prices']);
const METER_PRICE_FIELDS = new Set(['currency', 'effectiveFrom', 'unitPrice']);
const PRICE_FIELDS = new Set(['currency', 'term', 'billingCycle', 'unitPrice']);
const MARKET_FIELDS = new Set(['country', 'currency']);
const MONTHS: Record<Term, number> = { P1M: 1, P1Y: 12, P3Y: 36 };

/**
 * Can a subscription of this term be billed on this cycle? Monthly always; annual and triennial only within a
 * term at least that long; one-time (paid upfront) for any term or none; "none" only without a term.
 */
export function cycleFitsTerm(cycle: BillingCycle, term: PriceTerm): boolean {
  switch (cycle) {
    case 'monthly':
    case 'oneTime':
      return true;
    case 'annual':
      return term !== 'none' && MONTHS[term] >= 12;
    case 'triennial':
      return term !== 'none' && MONTHS[term] >= 36;
    case 'none':
      return term === 'none';
  }
}

/** An exact decimal as written: up to 14 digits before the point and 6 after (numeric(20, 6)). */
const DECIMAL = /^(\d{1,14})(?:\.(\d{1,6}))?$/;

/**
 * A non-negative decimal (a JSON number or a string) with at most 6 decimals, in its shortest form ('0.520' →
 * '0.52', '007' → '7'); undefined when it is not one. Binary fractions a number cannot hold exactly (0.1 + 0.2)
 * show more than 6 decimals and are refused rather than silently rounded.
 */
export function decimalText(value: unknown): string | undefined {
  const text =
    typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : typeof value === 'string'
        ? value.trim()
        : '';
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

const DAY_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Is `value` a calendar day written YYYY-MM-DD that exists (no 2026-02-30)? */
export function isDayText(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DAY_TEXT.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value && value >= '2000-01-01';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;

/**
 * Checks a catalog file (the parsed JSON) and answers it normalised, or throws validationFailed with every
 * problem: `field` names the offer by its id (`offers[M365-E3].prices[2].unitPrice`; by position when it has
 * no usable id) or the market by position (`markets[3].currency`).
 */
export function validateCatalog(input: unknown): ValidCatalog {
  const issues: FieldIssue[] = [];
  const issue = (field: string, reason: string) => issues.push({ field, reason });
  if (!isObject(input))
    throw invalid({ field: 'catalog', reason: 'must be a JSON object with markets and offers' });
  for (const key of Object.keys(input))
    if (key !== 'markets' && key !== 'offers' && key !== '$schema')
      issue(key, 'is not a catalog field (markets, offers)');

  // Markets: where the catalog sells and in which currency.
  const markets: MarketRow[] = [];
  const marketIndex = new Map<string, number>();
  if (!Array.isArray(input.markets) || input.markets.length === 0)
    issue('markets', 'must be a non-empty list of { "country", "currency" }');
  else
    input.markets.forEach((m: unknown, i: number) => {
      const at = `markets[${i}]`;
      if (!isObject(m)) return issue(at, 'must be an object { "country", "currency" }');
      for (const key of Object.keys(m))
        if (!MARKET_FIELDS.has(key)) issue(`${at}.${key}`, 'is not a market field');
      const country = typeof m.country === 'string' ? m.country.trim().toUpperCase() : '';
      const currency = typeof m.currency === 'string' ? m.currency.trim().toUpperCase() : '';
      let ok = true;
      if (!isCountry(country)) {
        issue(`${at}.country`, 'must be an ISO 3166 alpha-2 country code, e.g. US');
        ok = false;
      } else if (marketIndex.has(country)) {
        issue(`${at}.country`, `${country} is already markets[${marketIndex.get(country)}]`);
        ok = false;
      }
      if (!/^[A-Z]{3}$/.test(currency)) {
        issue(`${at}.currency`, 'must be an ISO 4217 currency code, e.g. USD');
        ok = false;
      }
      if (ok) {
        marketIndex.set(country, i);
        markets.push({ country, currency });
      }
    });
  const currencyOf = new Map(markets.map((m) => [m.country, m.currency]));
  const allCurrencies = [...new Set(markets.map((m) => m.currency))].sort();

  // Offers: first their ids, so that add-ons can name their prerequisites in any order.
  const rawOffers: unknown[] = Array.isArray(input.offers) ? input.offers : [];
  if (!Array.isArray(input.offers)) issue('offers', 'must be a list of offers');
  else if (rawOffers.length > MAX_OFFERS) issue('offers', `must hold at most ${MAX_OFFERS} offers`);
  const firstIndex = new Map<string, number>();
  rawOffers.forEach((o, i) => {
    if (isObject(o) && typeof o.id === 'string' && OFFER_ID.test(o.id) && !firstIndex.has(o.id))
      firstIndex.set(o.id, i);
  });
  const offers: OfferValues[] = [];
  const prices: OfferPriceRow[] = [];
  const meters: MeterRow[] = [];
  const meterPrices: MeterPriceRow[] = [];

  rawOffers.slice(0, MAX_OFFERS).forEach((o, i) => {
    // Named by its id, unless it has none usable or repeats an earlier offer's (then by position).
    const rawId = isObject(o) && typeof o.id === 'string' ? o.id : '';
    const named = rawId.trim() !== '' && rawId.length <= 80 && (firstIndex.get(rawId) ?? i) === i;
    const at = named ? `offers[${rawId}]` : `offers[#${i}]`;
    if (!isObject(o)) return issue(at, 'must be an object');
    const before = issues.length;
    for (const key of Object.keys(o))
      if (!OFFER_FIELDS.has(key)) issue(`${at}.${key}`, 'is not an offer field');

    const id = typeof o.id === 'string' ? o.id : '';
    if (!OFFER_ID.test(id))
      issue(
        `${at}.id`,
        'must be 1–80 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
      );
    else if (firstIndex.get(id) !== i)
      issue(`${at}.id`, `${id} appears more than once (first at position ${firstIndex.get(id)})`);

    const text = (field: string, max: number, required: boolean): string => {
      const v = o[field];
      if (v === undefined && !required) return '';
      if (typeof v !== 'string') {
        issue(`${at}.${field}`, required ? 'is required (text)' : 'must be text');
        return '';
      }
      const t = v.trim();
      if ((required && t === '') || t.length > max)
        issue(
          `${at}.${field}`,
          required ? `must be 1–${max} characters` : `must be at most ${max} characters`,
        );
      return t;
    };
    const name = text('name', 200, true);
    const description = text('description', 2000, false);
    const unitType = text('unitType', 50, true);

    const choice = <T extends string>(field: string, values: readonly T[]): T | undefined => {
      const v = o[field];
      if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
      issue(`${at}.${field}`, oneOf(values));
      return undefined;
    };
    const productKind = choice('productKind', PRODUCT_KINDS);
    const billingType = choice('billingType', BILLING_TYPES);

    /** A list of distinct values from `values`; undefined when it is not a list at all. */
    const list = <T extends string>(field: string, values: readonly T[] | undefined, min: number): T[] => {
      const v = o[field];
      if (!Array.isArray(v)) {
        issue(`${at}.${field}`, min > 0 ? 'must be a non-empty list' : 'must be a list (may be empty)');
        return [];
      }
      if (v.length < min) issue(`${at}.${field}`, 'must not be empty');
      const seen = new Set<string>();
      const out: T[] = [];
      v.forEach((item: unknown, j: number) => {
        if (typeof item !== 'string' || (values && !(values as readonly string[]).includes(item)))
          return issue(`${at}.${field}[${j}]`, values ? oneOf(values) : 'must be text');
        if (seen.has(item)) return issue(`${at}.${field}[${j}]`, `${item} is listed twice`);
        seen.add(item);
        out.push(item as T);
      });
      return out;
    };
    const terms = list('terms', TERMS, 0).sort((a, b) => MONTHS[a] - MONTHS[b]);
    const billingCycles = list('billingCycles', BILLING_CYCLES, 1);
    const instances = list('instances', CLOUD_INSTANCES, 1);

    const quantity = (field: string): number | undefined => {
      const v = o[field];
      if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_QUANTITY) return v;
      issue(`${at}.${field}`, `must be a whole number from 1 to ${MAX_QUANTITY}`);
      return undefined;
    };
    const min = quantity('minimumQuantity');
    const max = quantity('maximumQuantity');
    if (min !== undefined && max !== undefined && max < min)
      issue(`${at}.maximumQuantity`, `must be at least minimumQuantity (${min})`);

    const parents = o.prerequisiteOffers === undefined ? [] : list('prerequisiteOffers', undefined, 0);
    parents.forEach((p, j) => {
      if (p === id) issue(`${at}.prerequisiteOffers[${j}]`, 'an offer cannot be its own prerequisite');
      else if (!firstIndex.has(p))
        issue(`${at}.prerequisiteOffers[${j}]`, `${p} is not an offer of this catalog`);
    });

    // Countries: "*" (every market) alone, or markets of this catalog (each needs a currency).
    const countries = list('countries', undefined, 1).map((c) => (c === '*' ? c : c.trim().toUpperCase()));
    if (countries.includes('*') && countries.length > 1)
      issue(`${at}.countries`, '"*" (every market) cannot be combined with countries');
    countries.forEach((c, j) => {
      if (c !== '*' && !currencyOf.has(c))
        issue(
          `${at}.countries[${j}]`,
          isCountry(c)
            ? `${c} is not a market of this catalog (add it to markets)`
            : 'must be an ISO 3166 alpha-2 country code or "*"',
        );
    });
    const currencies = countries.includes('*')
      ? allCurrencies
      : [
          ...new Set(countries.map((c) => currencyOf.get(c)).filter((c): c is string => c !== undefined)),
        ].sort();
    // A price's currency, licence or meter price alike: one of the offer's markets' ('' when not text).
    const priceCurrency = (p: Record<string, unknown>, pat: string): string => {
      const currency = typeof p.currency === 'string' ? p.currency.trim().toUpperCase() : '';
      if (!currencies.includes(currency))
        issue(
          `${pat}.currency`,
          currencies.length > 0
            ? `must be the currency of a market the offer is sold in: ${currencies.join(', ')}`
            : 'must be the currency of a market the offer is sold in',
        );
      return currency;
    };

    if (typeof o.cancellable !== 'boolean') issue(`${at}.cancellable`, 'must be true or false');
    else if (productKind && o.cancellable !== CANCELLABLE_KINDS.includes(productKind))
      issue(
        `${at}.cancellable`,
        o.cancellable
          ? 'must be false: only reservations and software are cancelled (other subscriptions are suspended)'
          : `must be true for ${productKind}: its subscriptions are cancelled, never suspended`,
      );

    // Billing type against the kind: Azure and Azure plan are usage-based, everything else per license.
    if (productKind && billingType) {
      const usageKind = USAGE_KINDS.includes(productKind);
      if (usageKind !== (billingType === 'usage'))
        issue(
          `${at}.billingType`,
          usageKind ? `must be usage for ${productKind}` : `must be license for ${productKind}`,
        );
    }
    if (billingType === 'usage') {
      if (terms.length > 0) issue(`${at}.terms`, 'must be empty: usage-based offers have no commitment term');
      if (min !== undefined && min !== 1) issue(`${at}.minimumQuantity`, 'must be 1 for a usage-based offer');
      if (max !== undefined && max !== 1) issue(`${at}.maximumQuantity`, 'must be 1 for a usage-based offer');
    }
    const priceTerms: PriceTerm[] = terms.length > 0 ? terms : ['none'];
    billingCycles.forEach((c, j) => {
      if (!priceTerms.some((t) => cycleFitsTerm(c, t)))
        issue(`${at}.billingCycles[${j}]`, `${c} billing fits none of the terms (${priceTerms.join(', ')})`);
    });

    // Prices: none for usage (rated usage is charged instead); for licenses exactly one per currency of the
    // offer's markets, term and billing cycle that fits it, so that every order finds its price.
    const offerPrices: OfferPriceRow[] = [];
    if (!Array.isArray(o.prices)) issue(`${at}.prices`, 'must be a list (empty for usage-based offers)');
    else if (billingType === 'usage' && o.prices.length > 0)
      issue(`${at}.prices`, 'must be empty: usage-based offers are charged from rated usage');
    else {
      const seen = new Set<string>();
      o.prices.forEach((p: unknown, j: number) => {
        const pat = `${at}.prices[${j}]`;
        if (!isObject(p))
          return issue(pat, 'must be an object { "currency", "term", "billingCycle", "unitPrice" }');
        for (const key of Object.keys(p))
          if (!PRICE_FIELDS.has(key)) issue(`${pat}.${key}`, 'is not a price field');
        const n0 = issues.length;
        const currency = priceCurrency(p, pat);
        const term = p.term === undefined && terms.length === 0 ? 'none' : p.term;
        if (typeof term !== 'string' || !(priceTerms as string[]).includes(term))
          issue(`${pat}.term`, terms.length > 0 ? oneOf(terms) : 'must be "none": the offer has no terms');
        const cycle = p.billingCycle;
        if (typeof cycle !== 'string' || !(billingCycles as string[]).includes(cycle))
          issue(
            `${pat}.billingCycle`,
            billingCycles.length > 0 ? oneOf(billingCycles) : 'must be one of the offer’s billingCycles',
          );
        else if (
          typeof term === 'string' &&
          (priceTerms as string[]).includes(term) &&
          !cycleFitsTerm(cycle as BillingCycle, term as PriceTerm)
        )
          issue(`${pat}.billingCycle`, `${cycle} billing does not fit the term ${term}`);
        const unitPrice = p.unitPrice;
        if (
          typeof unitPrice !== 'number' ||
          !Number.isInteger(unitPrice) ||
          unitPrice < 0 ||
          unitPrice > MAX_UNIT_PRICE
        )
          issue(`${pat}.unitPrice`, 'must be a whole number of minor units (cents), 0 or more');
        if (issues.length > n0) return;
        const key = `${currency}/${String(term)}/${String(cycle)}`;
        if (seen.has(key))
          return issue(pat, `a second price for ${currency}, ${String(term)}, ${String(cycle)}`);
        seen.add(key);
        offerPrices.push({
          offer_id: id,
          currency,
          term: term as PriceTerm,
          billing_cycle: cycle as BillingCycle,
          unit_price: unitPrice as number,
        });
      });
      if (billingType === 'license')
        for (const currency of currencies)
          for (const term of priceTerms)
            for (const cycle of billingCycles)
              if (cycleFitsTerm(cycle, term) && !seen.has(`${currency}/${term}/${cycle}`))
                issue(`${at}.prices`, `no price for ${currency}, term ${term}, ${cycle} billing`);
    }

    // Meters: what a usage-based offer's usage is measured and rated in (none for licences). Each is priced in
    // every currency of the offer's markets, each price valid from its date until the next one, so usage is
    // rated with the price of its own day. An import adds and updates meters and prices, never deletes one.
    const offerMeters: MeterRow[] = [];
    const offerMeterPrices: MeterPriceRow[] = [];
    if (o.meters !== undefined) {
      if (!Array.isArray(o.meters)) issue(`${at}.meters`, 'must be a list of meters');
      else if (billingType === 'license' && o.meters.length > 0)
        issue(`${at}.meters`, 'must be empty: licence-based offers are charged per seat, not metered');
      else if (o.meters.length > MAX_METERS) issue(`${at}.meters`, `must hold at most ${MAX_METERS} meters`);
      else {
        const meterIndex = new Map<string, number>();
        o.meters.forEach((m: unknown, j: number) => {
          const mat = `${at}.meters[${j}]`;
          if (!isObject(m))
            return issue(mat, 'must be an object { "meterId", "name", "category", "unit", "prices" }');
          for (const key of Object.keys(m))
            if (!METER_FIELDS.has(key)) issue(`${mat}.${key}`, 'is not a meter field');
          const n0 = issues.length;
          const meterId = typeof m.meterId === 'string' ? m.meterId : '';
          if (!OFFER_ID.test(meterId))
            issue(
              `${mat}.meterId`,
              'must be 1–80 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
            );
          else if (meterIndex.has(meterId))
            issue(`${mat}.meterId`, `${meterId} is already meters[${meterIndex.get(meterId)}]`);
          else meterIndex.set(meterId, j);
          const meterText = (field: string, max: number, required: boolean): string => {
            const v = m[field];
            if (v === undefined && !required) return '';
            const t = typeof v === 'string' ? v.trim() : undefined;
            if (t === undefined || (required && t === '') || t.length > max)
              issue(
                `${mat}.${field}`,
                required
                  ? `must be 1–${max} characters of text`
                  : `must be text of at most ${max} characters`,
              );
            return t ?? '';
          };
          const name = meterText('name', 200, true);
          const category = meterText('category', 100, false);
          const unit = meterText('unit', 50, true);

          const seen = new Set<string>();
          const priced = new Set<string>();
          const rows: MeterPriceRow[] = [];
          if (!Array.isArray(m.prices) || m.prices.length === 0)
            issue(
              `${mat}.prices`,
              'must be a non-empty list of { "currency", "effectiveFrom", "unitPrice" }',
            );
          else if (m.prices.length > MAX_METER_PRICES)
            issue(`${mat}.prices`, `must hold at most ${MAX_METER_PRICES} prices`);
          else
            m.prices.forEach((p: unknown, k: number) => {
              const pat = `${mat}.prices[${k}]`;
              if (!isObject(p))
                return issue(pat, 'must be an object { "currency", "effectiveFrom", "unitPrice" }');
              for (const key of Object.keys(p))
                if (!METER_PRICE_FIELDS.has(key)) issue(`${pat}.${key}`, 'is not a meter price field');
              const p0 = issues.length;
              const currency = priceCurrency(p, pat);
              if (!isDayText(p.effectiveFrom))
                issue(`${pat}.effectiveFrom`, 'must be a date as YYYY-MM-DD, on or after 2000-01-01');
              const unitPrice = decimalText(p.unitPrice);
              if (unitPrice === undefined || Number(unitPrice) > MAX_UNIT_PRICE)
                issue(
                  `${pat}.unitPrice`,
                  `must be minor units (cents) per unit, from 0 to ${MAX_UNIT_PRICE}, with at most 6 decimals ` +
                    '(e.g. 0.52)',
                );
              if (issues.length > p0) return;
              const key = `${currency}/${p.effectiveFrom as string}`;
              if (seen.has(key))
                return issue(pat, `a second price for ${currency} from ${p.effectiveFrom as string}`);
              seen.add(key);
              priced.add(currency);
              rows.push({
                offer_id: id,
                meter_id: meterId,
                currency,
                effective_from: p.effectiveFrom as string,
                unit_price: unitPrice!,
              });
            });
          if (Array.isArray(m.prices) && m.prices.length > 0)
            for (const currency of currencies)
              if (!priced.has(currency)) issue(`${mat}.prices`, `no price for ${currency}`);
          if (issues.length > n0) return;
          offerMeters.push({ offer_id: id, meter_id: meterId, name, category, unit });
          offerMeterPrices.push(...rows);
        });
      }
    }

    if (issues.length > before || !productKind || !billingType || min === undefined || max === undefined)
      return;
    offers.push({
      id,
      name,
      description,
      product_kind: productKind,
      billing_type: billingType,
      unit_type: unitType,
      terms,
      billing_cycles: billingCycles,
      min_quantity: min,
      max_quantity: max,
      parent_offer_ids: parents,
      countries: countries.includes('*') ? ['*'] : [...countries].sort(),
      instances: CLOUD_INSTANCES.filter((x) => instances.includes(x)),
      cancellable: o.cancellable as boolean,
      search_key: foldForSearch(`${id} ${name}`),
    });
    prices.push(...offerPrices);
    meters.push(...offerMeters);
    meterPrices.push(...offerMeterPrices);
  });

  if (issues.length > 0) throw invalid(...issues);
  return { markets, offers, prices, meters, meterPrices };
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);
const priceKey = (p: OfferPriceRow) => `${p.currency}/${p.term}/${p.billing_cycle}/${Number(p.unit_price)}`;

/** The file's meters and meter prices of one offer, and what the store has of them. */
interface OfferMeters {
  meters: MeterRow[];
  prices: MeterPriceRow[];
}

const meterKey = (m: MeterRow) => `${m.meter_id}\u0000${m.name}\u0000${m.category}\u0000${m.unit}`;
const meterPriceKey = (p: MeterPriceRow) =>
  `${p.meter_id}/${p.currency}/${p.effective_from}/${decimalText(p.unit_price) ?? p.unit_price}`;

/** Does the store already hold every meter and meter price of the file, as the file has them? */
function metersHeld(file: OfferMeters, stored: OfferMeters): boolean {
  const meters = new Set(stored.meters.map(meterKey));
  const prices = new Set(stored.prices.map(meterPriceKey));
  return (
    file.meters.every((m) => meters.has(meterKey(m))) &&
    file.prices.every((p) => prices.has(meterPriceKey(p)))
  );
}

function unchanged(
  row: OfferWithPrices,
  next: OfferValues,
  nextPrices: OfferPriceRow[],
  nextMeters: OfferMeters,
  storedMeters: OfferMeters,
): boolean {
  return (
    metersHeld(nextMeters, storedMeters) &&
    row.is_available &&
    row.name === next.name &&
    row.description === next.description &&
    row.product_kind === next.product_kind &&
    row.billing_type === next.billing_type &&
    row.unit_type === next.unit_type &&
    sameList(row.terms, next.terms) &&
    sameList(row.billing_cycles, next.billing_cycles) &&
    row.min_quantity === next.min_quantity &&
    row.max_quantity === next.max_quantity &&
    sameList(row.parent_offer_ids, next.parent_offer_ids) &&
    sameList(row.countries, next.countries) &&
    sameList(row.instances, next.instances) &&
    row.cancellable === next.cancellable &&
    row.search_key === next.search_key &&
    sameList(row.prices.map(priceKey).sort(), nextPrices.map(priceKey).sort())
  );
}

/**
 * Replaces the catalog with a catalog file (parsed JSON), on the owner connection: checked whole first
 * (validationFailed with every problem, nothing written), then in one transaction markets replaced, new
 * offers added, changed ones updated with their prices, offers absent from the file retired. Importing the
 * same file again changes nothing.
 */
export async function importCatalog(
  owner: Db,
  input: unknown,
  clock: Clock = systemClock,
): Promise<ImportResult> {
  const catalog = validateCatalog(input);
  const now = clock.now();
  return owner.transaction().execute(async (trx) => {
    await repo.lockCatalog(trx);
    await repo.replaceMarkets(trx, catalog.markets);
    const existing = new Map((await repo.allOffers(trx)).map((o) => [o.id, o]));
    const pricesOf = groupBy(catalog.prices, (p) => p.offer_id);
    const metersOf = (meters: MeterRow[], meterPrices: MeterPriceRow[]) => {
      const byMeter = groupBy(meters, (m) => m.offer_id);
      const byPrice = groupBy(meterPrices, (p) => p.offer_id);
      return (offerId: string): OfferMeters => ({
        meters: byMeter.get(offerId) ?? [],
        prices: byPrice.get(offerId) ?? [],
      });
    };
    const fileMeters = metersOf(catalog.meters, catalog.meterPrices);
    const storedMeters = metersOf(await repo.findMeters(trx), await repo.findMeterPrices(trx));
    const added: OfferValues[] = [];
    const changed: OfferValues[] = [];
    let same = 0;
    for (const offer of catalog.offers) {
      const row = existing.get(offer.id);
      if (!row) added.push(offer);
      else if (
        unchanged(row, offer, pricesOf.get(offer.id) ?? [], fileMeters(offer.id), storedMeters(offer.id))
      )
        same++;
      else changed.push(offer);
    }
    const inFile = new Set(catalog.offers.map((o) => o.id));
    const retired = [...existing.values()]
      .filter((o) => o.is_available && !inFile.has(o.id))
      .map((o) => o.id);

    await repo.insertOffers(trx, added, now);
    for (const offer of changed) await repo.updateOffer(trx, offer, now);
    await repo.retireOffers(trx, retired, now);
    const written = new Set([...added, ...changed].map((o) => o.id));
    await repo.replacePrices(
      trx,
      [...written],
      catalog.prices.filter((p) => written.has(p.offer_id)),
    );
    await repo.upsertMeters(
      trx,
      catalog.meters.filter((m) => written.has(m.offer_id)),
    );
    await repo.upsertMeterPrices(
      trx,
      catalog.meterPrices.filter((p) => written.has(p.offer_id)),
    );
    return {
      markets: catalog.markets.length,
      added: added.length,
      updated: changed.length,
      unchanged: same,
      retired: retired.length,
    };
  });
}
