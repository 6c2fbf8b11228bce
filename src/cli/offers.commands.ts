// Operator tasks on the offer catalog: `partnerdesk offers import <file.json>` and `offers list`. They run
// against the store directly on the owner connection, like the partner commands: the catalog is the
// operator's, and the request-path role may not write it.
import fs from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { systemClock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import type { CatalogAdmin, CatalogOfferView, PriceView } from '../modules/offers/offers.service.ts';
import { flagValue } from './api.ts';
import type { StoreOptions } from './common.ts';
import { fail, note, out, storeOptions, table, withCliStore } from './common.ts';

function withCatalog(opts: StoreOptions, fn: (catalog: CatalogAdmin) => Promise<void>): Promise<void> {
  return withCliStore(opts, async (store) => {
    const { createCatalogAdmin } = await import('../modules/offers/offers.service.ts');
    return fn(createCatalogAdmin({ owner: store.owner, clock: systemClock }));
  });
}

/** Minor units as a decimal amount of the currency (JPY and the like have no minor unit). */
const ZERO_DECIMALS = new Set(['JPY', 'KRW', 'CLP', 'ISK', 'VND', 'XAF', 'XOF', 'HUF']);
export function formatMoney(minor: number, currency: string): string {
  const digits = ZERO_DECIMALS.has(currency) ? 0 : 2;
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
}

/** The price an order gets by default (first term, first billing cycle), e.g. "12.50 USD P1Y/monthly". */
function defaultPrice(o: CatalogOfferView): string {
  if (o.billingType === 'usage') return 'usage-based';
  const term = o.terms[0] ?? 'none';
  const cycle = o.billingCycles[0];
  const p: PriceView | undefined = o.prices.find((x) => x.term === term && x.billingCycle === cycle);
  if (!p) return '—';
  return `${formatMoney(p.unitPrice, p.currency)} ${term === 'none' ? '' : `${term}/`}${cycle}`;
}

export function registerOfferCommands(program: Command): void {
  const offers = program
    .command('offers')
    .description('operator tasks: the offer catalog partners sell from (markets, offers, prices)');

  storeOptions(
    offers
      .command('import')
      .description(
        'replace the catalog with a catalog file: new offers added, changed ones updated, offers missing ' +
          'from the file retired (never deleted); nothing is written if the file has any problem',
      )
      .argument('<file.json>', 'the catalog file (- : stdin); see src/demo/catalog.json for the format'),
  ).action(async (file: string, opts: StoreOptions) => {
    let input: unknown;
    try {
      input = JSON.parse(file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8'));
    } catch (err) {
      fail(
        new Error(
          err instanceof SyntaxError
            ? `${file} is not JSON: ${err.message}`
            : `cannot read ${file}: ${(err as Error).message}`,
        ),
      );
    }
    await withCatalog(opts, async (catalog) => {
      try {
        const r = await catalog.importCatalog(input);
        out(`Catalog imported from ${file}: ${r.markets} market${r.markets === 1 ? '' : 's'}.`);
        out(`Offers added: ${r.added}`);
        out(`Offers updated: ${r.updated}`);
        out(`Offers unchanged: ${r.unchanged}`);
        out(`Offers retired: ${r.retired}`);
      } catch (err) {
        if (err instanceof AppError && err.errorName === 'validationFailed') {
          // Every problem on its own line (stderr), then the one-line failure.
          const details = err.extra.details ?? [];
          for (const d of details) note(`${d.field}: ${d.reason}`);
          throw new Error(
            `${file} has ${details.length} problem${details.length === 1 ? '' : 's'}; nothing was imported`,
            { cause: err },
          );
        }
        throw err;
      }
    });
  });

  storeOptions(
    offers
      .command('list')
      .description('list the offers of the catalog that are for sale (every instance)')
      .addOption(
        new Option('--country <cc>', 'only offers sold in this country, priced in its currency').env(
          'PARTNERDESK_OFFERS_COUNTRY',
        ),
      )
      .addOption(new Option('--json', 'print the offers as JSON (variable: 1 or 0)').env('PARTNERDESK_JSON')),
  ).action(async (opts: StoreOptions & { country?: string }, cmd: Command) => {
    const json = flagValue(cmd, 'json', 'PARTNERDESK_JSON');
    await withCatalog(opts, async (catalog) => {
      const list = await catalog.list(opts.country?.trim() ? { country: opts.country } : {});
      if (json) {
        out(JSON.stringify(list, null, 2));
        return;
      }
      if (list.length === 0) {
        out(
          opts.country
            ? `No offers for sale in ${opts.country.trim().toUpperCase()}.`
            : 'The catalog is empty. Import one with `partnerdesk offers import <file.json>`.',
        );
        return;
      }
      table([
        [
          'ID',
          'NAME',
          'KIND',
          'BILLING',
          'TERMS',
          'QUANTITY',
          'INSTANCES',
          ...(opts.country ? ['PRICE'] : []),
        ],
        ...list.map((o) => [
          o.id,
          o.isAddOn ? `${o.name} (add-on)` : o.name,
          o.productKind,
          o.billingType,
          o.terms.join(',') || '—',
          o.minimumQuantity === o.maximumQuantity
            ? String(o.minimumQuantity)
            : `${o.minimumQuantity}–${o.maximumQuantity}`,
          o.instances.join(','),
          ...(opts.country ? [defaultPrice(o)] : []),
        ]),
      ]);
      out(`${list.length} offer${list.length === 1 ? '' : 's'}`);
    });
  });
}
