// SQL for the offer catalog: markets, offers and their prices. The catalog is the operator's and no partner's:
// the request-path role reads it (these reads), and only the owner connection writes it (the import).
import type { ExpressionBuilder, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type {
  CatalogMarketsTable,
  DB,
  MeterPricesTable,
  OfferMetersTable,
  OfferPricesTable,
  OffersTable,
} from '../../db/schema.ts';
import { escapeLike } from '../../lib/text.ts';

export type OfferRow = Selectable<OffersTable>;
export type OfferPriceRow = Selectable<OfferPricesTable>;
export type MarketRow = Selectable<CatalogMarketsTable>;
export type OfferWithPrices = OfferRow & { prices: OfferPriceRow[] };
export type MeterRow = Selectable<OfferMetersTable>;
export type MeterPriceRow = Selectable<MeterPricesTable>;

/** The offers with these ids (available or retired: a subscription keeps its offer), with every price. */
export async function findOffers(
  trx: Trx | Db,
  ids: readonly string[],
): Promise<Map<string, OfferWithPrices>> {
  const found = new Map<string, OfferWithPrices>();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return found;
  const offers = await trx.selectFrom('offers').selectAll().where('id', 'in', unique).execute();
  if (offers.length === 0) return found;
  const prices = await trx
    .selectFrom('offer_prices')
    .selectAll()
    .where(
      'offer_id',
      'in',
      offers.map((o) => o.id),
    )
    .orderBy('offer_id')
    .orderBy('currency')
    .orderBy('term')
    .orderBy('billing_cycle')
    .execute();
  for (const offer of offers) found.set(offer.id, { ...offer, prices: [] });
  for (const price of prices) found.get(price.offer_id)!.prices.push(price);
  return found;
}

/** The market a country buys in (its currency), or undefined where the catalog does not sell. */
export function marketOf(trx: Trx | Db, country: string): Promise<MarketRow | undefined> {
  return trx
    .selectFrom('catalog_markets')
    .selectAll()
    .where('country', '=', country.toUpperCase())
    .executeTakeFirst();
}

// ── the partner-facing catalog: what a caller of an instance may buy ──

export interface OfferQuery {
  instance: string;
  /** Offers sold in this country (or everywhere: countries ["*"]). */
  country?: string;
  /** Folded search text, matched anywhere in the folded "id name". */
  text?: string;
  productKind?: string;
  billingType?: string;
  parentOfferId?: string;
  offerId?: string;
}

/** Where a page starts: after this name and id. */
export interface OfferPosition {
  name: string;
  id: string;
}

type OfferEb = ExpressionBuilder<DB, 'offers'>;

function where(eb: OfferEb, q: OfferQuery) {
  const and = [
    eb('is_available', '=', true),
    eb('instances', '@>', sql<InstanceList>`array[${q.instance}]::text[]`),
  ];
  if (q.offerId !== undefined) and.push(eb('id', '=', q.offerId));
  if (q.country !== undefined)
    and.push(eb('countries', '&&', sql<string[]>`array['*', ${q.country}]::text[]`));
  if (q.text !== undefined && q.text !== '')
    and.push(eb('search_key', 'like', sql<string>`${`%${escapeLike(q.text)}%`}::text collate "C"`));
  if (q.productKind !== undefined)
    and.push(eb('product_kind', '=', q.productKind as OfferRow['product_kind']));
  if (q.billingType !== undefined)
    and.push(eb('billing_type', '=', q.billingType as OfferRow['billing_type']));
  if (q.parentOfferId !== undefined)
    and.push(eb('parent_offer_ids', '@>', sql<string[]>`array[${q.parentOfferId}]::text[]`));
  return eb.and(and);
}

type InstanceList = OfferRow['instances'];

/** Up to `limit` offers matching `q` in (name, id) order after `position`, with their prices in `currency`. */
export async function listOffers(
  db: Trx | Db,
  q: OfferQuery,
  currency: string | undefined,
  position: OfferPosition | undefined,
  limit: number,
): Promise<OfferWithPrices[]> {
  const offers = await db
    .selectFrom('offers')
    .selectAll()
    .where((eb) => where(eb, q))
    .$if(position !== undefined, (qb) =>
      qb.where(
        sql<boolean>`(lower(name) collate "C", id collate "C") > (lower(${position!.name}::text) collate "C", ${position!.id}::text collate "C")`,
      ),
    )
    // Lower-cased names in code point order: the same on every server, whatever its locale.
    .orderBy(sql`lower(name) collate "C"`)
    .orderBy(sql`id collate "C"`)
    .limit(limit)
    .execute();
  return withPrices(db, offers, currency);
}

export async function countOffers(db: Trx | Db, q: OfferQuery): Promise<number> {
  const r = await db
    .selectFrom('offers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => where(eb, q))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The offers' prices (in `currency` only, when given), attached in one query. */
async function withPrices(
  db: Trx | Db,
  offers: OfferRow[],
  currency: string | undefined,
): Promise<OfferWithPrices[]> {
  if (offers.length === 0) return [];
  const prices = await db
    .selectFrom('offer_prices')
    .selectAll()
    .where(
      'offer_id',
      'in',
      offers.map((o) => o.id),
    )
    .$if(currency !== undefined, (qb) => qb.where('currency', '=', currency!))
    .orderBy('offer_id')
    .orderBy('currency')
    .orderBy('term')
    .orderBy('billing_cycle')
    .execute();
  const byId = new Map(offers.map((o) => [o.id, { ...o, prices: [] as OfferPriceRow[] }]));
  for (const p of prices) byId.get(p.offer_id)?.prices.push(p);
  return offers.map((o) => byId.get(o.id)!);
}

// ── the operator's side: every offer, and the import's writes (owner connection only) ──

export function listMarkets(db: Trx | Db): Promise<MarketRow[]> {
  return db.selectFrom('catalog_markets').selectAll().orderBy('country').execute();
}

/** Every offer, available or retired, with every price (what an import compares the file with). */
export async function allOffers(db: Trx | Db): Promise<OfferWithPrices[]> {
  const offers = await db
    .selectFrom('offers')
    .selectAll()
    .orderBy(sql`lower(name) collate "C"`)
    .orderBy(sql`id collate "C"`)
    .execute();
  return withPrices(db, offers, undefined);
}

/** Serialises imports: a second one waits for the first to commit and then compares against its result. */
export async function lockCatalog(trx: Trx): Promise<void> {
  await sql`lock table catalog_markets, offers, offer_prices, offer_meters, meter_prices in share row exclusive mode`.execute(
    trx,
  );
}

export async function replaceMarkets(trx: Trx, markets: MarketRow[]): Promise<void> {
  const keep = markets.map((m) => m.country);
  await trx
    .deleteFrom('catalog_markets')
    .$if(keep.length > 0, (qb) => qb.where('country', 'not in', keep))
    .execute();
  if (markets.length === 0) return;
  await trx
    .insertInto('catalog_markets')
    .values(markets)
    .onConflict((oc) => oc.column('country').doUpdateSet((eb) => ({ currency: eb.ref('excluded.currency') })))
    .execute();
}

/** The columns an import writes; the rest (created_at, version, is_available) it manages itself. */
export type OfferValues = Omit<OfferRow, 'created_at' | 'updated_at' | 'version' | 'is_available'>;

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export async function insertOffers(trx: Trx, offers: readonly OfferValues[], now: Date): Promise<void> {
  for (const chunk of chunks(offers))
    await trx
      .insertInto('offers')
      .values(chunk.map((o) => ({ ...o, is_available: true, created_at: now, updated_at: now })))
      .execute();
}

export async function updateOffer(trx: Trx, offer: OfferValues, now: Date): Promise<void> {
  const { id, ...values } = offer;
  await trx
    .updateTable('offers')
    .set((eb) => ({ ...values, is_available: true, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

/** Marks offers unavailable; never deletes them (subscriptions keep their offer). */
export async function retireOffers(trx: Trx, ids: readonly string[], now: Date): Promise<void> {
  for (const chunk of chunks(ids))
    await trx
      .updateTable('offers')
      .set((eb) => ({ is_available: false, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', 'in', chunk)
      .execute();
}

export async function replacePrices(
  trx: Trx,
  offerIds: readonly string[],
  prices: readonly OfferPriceRow[],
): Promise<void> {
  for (const chunk of chunks(offerIds))
    await trx.deleteFrom('offer_prices').where('offer_id', 'in', chunk).execute();
  for (const chunk of chunks(prices)) await trx.insertInto('offer_prices').values(chunk).execute();
}

export async function anyOffer(db: Trx | Db): Promise<boolean> {
  return (await db.selectFrom('offers').select('id').limit(1).executeTakeFirst()) !== undefined;
}

// ── usage meters and their dated prices ──

/** The meters of these offers (every offer when none is named), by offer and meter id. */
export function findMeters(db: Trx | Db, offerIds?: readonly string[]): Promise<MeterRow[]> {
  if (offerIds && offerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('offer_meters')
    .selectAll()
    .$if(offerIds !== undefined, (qb) => qb.where('offer_id', 'in', [...new Set(offerIds)]))
    .orderBy('offer_id')
    .orderBy(sql`meter_id collate "C"`)
    .execute();
}

/** The meter prices of these offers (in these currencies when given), oldest first per meter and currency. */
export function findMeterPrices(
  db: Trx | Db,
  offerIds?: readonly string[],
  currencies?: readonly string[],
): Promise<MeterPriceRow[]> {
  if ((offerIds && offerIds.length === 0) || (currencies && currencies.length === 0))
    return Promise.resolve([]);
  return db
    .selectFrom('meter_prices')
    .selectAll()
    .$if(offerIds !== undefined, (qb) => qb.where('offer_id', 'in', [...new Set(offerIds)]))
    .$if(currencies !== undefined, (qb) => qb.where('currency', 'in', [...new Set(currencies)]))
    .orderBy('offer_id')
    .orderBy(sql`meter_id collate "C"`)
    .orderBy('currency')
    .orderBy('effective_from')
    .execute();
}

/** Adds meters and updates the name, category and unit of those that exist; never deletes one. */
export async function upsertMeters(trx: Trx, meters: readonly MeterRow[]): Promise<void> {
  for (const chunk of chunks(meters))
    await trx
      .insertInto('offer_meters')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['offer_id', 'meter_id']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          category: eb.ref('excluded.category'),
          unit: eb.ref('excluded.unit'),
        })),
      )
      .execute();
}

/**
 * Adds meter prices and updates those of the same meter, currency and date; never deletes one (usage already
 * rated keeps the price it was rated with: it is stored on the record).
 */
export async function upsertMeterPrices(trx: Trx, prices: readonly MeterPriceRow[]): Promise<void> {
  for (const chunk of chunks(prices))
    await trx
      .insertInto('meter_prices')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['offer_id', 'meter_id', 'currency', 'effective_from'])
          .doUpdateSet((eb) => ({ unit_price: eb.ref('excluded.unit_price') })),
      )
      .execute();
}

/** An offer of the caller's instance, available or retired (its subscriptions are still rated). */
export function offerInInstance(
  db: Trx | Db,
  offerId: string,
  instance: string,
): Promise<OfferRow | undefined> {
  return db
    .selectFrom('offers')
    .selectAll()
    .where('id', '=', offerId)
    .where('instances', '@>', sql<InstanceList>`array[${instance}]::text[]`)
    .executeTakeFirst();
}
