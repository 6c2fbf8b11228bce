// Request and response shapes of the offer catalog (GET /v1/offers, GET /v1/offers/{offerId}).
import { Type } from 'typebox';
import { Collection, PageQuery } from '../../http/schemas.ts';
import { errors } from '../partners/partners.schemas.ts';
import { BILLING_CYCLES, BILLING_TYPES, PRODUCT_KINDS, TERMS } from './offers.service.ts';

export { errors };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const PriceSchema = Type.Object({
  currency: Type.String({ description: 'ISO 4217 currency code' }),
  term: Type.Enum([...TERMS, 'none'], { description: '"none" for offers without a commitment term' }),
  billingCycle: Type.Enum([...BILLING_CYCLES]),
  unitPrice: Type.Integer({
    minimum: 0,
    description:
      'Per unit and billing period (a month when monthly, a year when annual, the whole purchase when ' +
      'oneTime), in the currency’s minor units (cents; whole yen for JPY)',
  }),
});

export const OfferSchema = Type.Object({
  id: Type.String({ description: 'The offer id you order with' }),
  name: Type.String(),
  description: Type.String(),
  productKind: Type.Enum([...PRODUCT_KINDS]),
  billingType: Type.Enum([...BILLING_TYPES], {
    description: 'license: charged per seat; usage: charged from rated usage (quantity is always 1)',
  }),
  unitType: Type.String({ description: 'What a unit of quantity is, e.g. Licenses' }),
  terms: Type.Array(Type.Enum([...TERMS]), {
    description: 'Commitment terms (ISO 8601 durations); empty: no commitment',
  }),
  billingCycles: Type.Array(Type.Enum([...BILLING_CYCLES])),
  minimumQuantity: Type.Integer(),
  maximumQuantity: Type.Integer(),
  isAddOn: Type.Boolean({ description: 'Bought on top of a subscription to one of prerequisiteOffers' }),
  prerequisiteOffers: Type.Array(Type.String()),
  countries: Type.Array(Type.String(), { description: 'ISO 3166 alpha-2 codes, or ["*"]: every market' }),
  cancellable: Type.Boolean({
    description: 'Subscriptions are cancelled (reservations, software) rather than suspended',
  }),
  currency: Nullable(Type.String({ description: 'The market’s currency when `country` was given' })),
  prices: Type.Array(PriceSchema, {
    description: 'Per currency, term and billing cycle; only the market’s currency when `country` was given',
  }),
  attributes: Type.Object({ objectType: Type.Literal('Offer') }),
});

const CountryQuery = Type.Optional(
  Type.String({
    maxLength: 10,
    description: 'ISO 3166 alpha-2 country: only offers sold there, priced in its market’s currency',
  }),
);

export const OfferListQuery = Type.Object({
  ...PageQuery,
  country: CountryQuery,
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'Part of the offer name or id (case- and accent-insensitive)',
    }),
  ),
  productKind: Type.Optional(Type.Enum([...PRODUCT_KINDS])),
  billingType: Type.Optional(Type.Enum([...BILLING_TYPES])),
  parentOfferId: Type.Optional(
    Type.String({ maxLength: 200, description: 'Only the add-ons of this offer' }),
  ),
});

export const OfferQuery = Type.Object({ country: CountryQuery });

export const MeterSchema = Type.Object({
  meterId: Type.String({ description: 'What usage records name in meterId' }),
  name: Type.String(),
  category: Type.String({ description: 'e.g. Virtual Machines, Storage, Bandwidth' }),
  unit: Type.String({ description: 'What a unit of quantity is, e.g. 1 Hour, 1 GB/Month' }),
  prices: Type.Array(
    Type.Object({
      currencyCode: Type.String({ description: 'ISO 4217 currency code' }),
      effectiveFrom: Type.String({
        format: 'date',
        description: 'Usage of this day on is rated at this price, until the next price of the currency',
      }),
      unitPrice: Type.String({
        description: 'Minor units of the currency per unit, an exact decimal (e.g. "0.52": half a cent)',
      }),
    }),
    { description: 'Oldest first per currency; only `currencyCode`’s when given' },
  ),
  attributes: Type.Object({ objectType: Type.Literal('OfferMeter') }),
});
export const MeterQuery = Type.Object({
  currencyCode: Type.Optional(
    Type.String({ maxLength: 10, description: 'ISO 4217 currency code: only the prices in it' }),
  ),
});
export const MeterList = Collection(MeterSchema);
export const OfferParams = Type.Object({ offerId: Type.String({ minLength: 1, maxLength: 200 }) });
export const OfferList = Collection(OfferSchema);
