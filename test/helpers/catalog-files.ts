// Small catalog files for tests: markets US (USD), DE (EUR), JP (JPY) and offers built with every price the
// import requires (each currency of the offer's markets × term × billing cycle that fits it).
import type { Store } from '../../src/db/database.ts';
import type { ImportResult } from '../../src/modules/offers/offers.service.ts';
import { cycleFitsTerm, importCatalog } from '../../src/modules/offers/offers.service.ts';

export const TEST_MARKETS = [
  { country: 'US', currency: 'USD' },
  { country: 'DE', currency: 'EUR' },
  { country: 'JP', currency: 'JPY' },
];

export interface TestOffer {
  id: string;
  name: string;
  description?: string;
  productKind: string;
  billingType: string;
  unitType: string;
  terms: string[];
  billingCycles: string[];
  minimumQuantity: number;
  maximumQuantity: number;
  prerequisiteOffers: string[];
  countries: string[];
  instances: string[];
  cancellable: boolean;
  prices: { currency: string; term: string; billingCycle: string; unitPrice: number }[];
}

type Cycle = Parameters<typeof cycleFitsTerm>[0];
type Term = Parameters<typeof cycleFitsTerm>[1];

/** Every price a licence-based offer needs, `base` minor units scaled per currency and term. */
export function pricesFor(
  o: Pick<TestOffer, 'countries' | 'terms' | 'billingCycles'>,
  base: number,
  markets = TEST_MARKETS,
): TestOffer['prices'] {
  const currencies = [
    ...new Set(
      markets
        .filter((m) => o.countries.includes('*') || o.countries.includes(m.country))
        .map((m) => m.currency),
    ),
  ];
  const terms = o.terms.length > 0 ? o.terms : ['none'];
  const prices: TestOffer['prices'] = [];
  for (const currency of currencies)
    for (const term of terms)
      for (const billingCycle of o.billingCycles)
        if (cycleFitsTerm(billingCycle as Cycle, term as Term))
          prices.push({
            currency,
            term,
            billingCycle,
            unitPrice: base * (currency === 'JPY' ? 150 : 1) * (billingCycle === 'annual' ? 12 : 1),
          });
  return prices;
}

/** A per-seat monthly/annual online service (override anything; prices follow countries and terms). */
export function licenseOffer(id: string, name: string, over: Partial<TestOffer> & { price?: number } = {}) {
  const { price = 1000, ...rest } = over;
  const o: TestOffer = {
    id,
    name,
    description: `${name} for tests`,
    productKind: 'onlineService',
    billingType: 'license',
    unitType: 'Licenses',
    terms: ['P1M', 'P1Y'],
    billingCycles: ['monthly', 'annual'],
    minimumQuantity: 1,
    maximumQuantity: 300,
    prerequisiteOffers: [],
    countries: ['*'],
    instances: ['global', 'usgov'],
    cancellable: false,
    prices: [],
    ...rest,
  };
  if (!rest.prices) o.prices = pricesFor(o, price);
  return o;
}

export function usageOffer(id: string, name: string, over: Partial<TestOffer> = {}): TestOffer {
  return {
    id,
    name,
    description: '',
    productKind: 'azure',
    billingType: 'usage',
    unitType: 'Azure subscription',
    terms: [],
    billingCycles: ['monthly'],
    minimumQuantity: 1,
    maximumQuantity: 1,
    prerequisiteOffers: [],
    countries: ['*'],
    instances: ['global', 'usgov', 'germany'],
    cancellable: false,
    prices: [],
    ...over,
  };
}

export function softwareOffer(id: string, name: string, over: Partial<TestOffer> & { price?: number } = {}) {
  return licenseOffer(id, name, {
    productKind: 'software',
    terms: [],
    billingCycles: ['oneTime'],
    cancellable: true,
    maximumQuantity: 100,
    ...over,
  });
}

export function reservationOffer(
  id: string,
  name: string,
  over: Partial<TestOffer> & { price?: number } = {},
) {
  return licenseOffer(id, name, {
    productKind: 'reservation',
    unitType: 'Instance',
    terms: ['P1Y', 'P3Y'],
    billingCycles: ['monthly', 'oneTime'],
    cancellable: true,
    maximumQuantity: 1000,
    ...over,
  });
}

export const catalogOf = (offers: TestOffer[], markets = TEST_MARKETS) => ({ markets, offers });

export function importTestCatalog(
  store: Store,
  offers: TestOffer[],
  markets = TEST_MARKETS,
): Promise<ImportResult> {
  return importCatalog(store.owner, catalogOf(offers, markets));
}
