// SQL for the offer catalog: markets, offers and their prices. The catalog is the operator's and no partner's:
// the request-path role reads it (these reads), and only the owner connection writes it (the import).
import type { Selectable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { CatalogMarketsTable, OfferPricesTable, OffersTable } from '../../db/schema.ts';

export type OfferRow = Selectable<OffersTable>;
export type OfferPriceRow = Selectable<OfferPricesTable>;
export type MarketRow = Selectable<CatalogMarketsTable>;
export type OfferWithPrices = OfferRow & { prices: OfferPriceRow[] };

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
