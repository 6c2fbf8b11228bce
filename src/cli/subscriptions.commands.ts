// A customer's subscriptions over the API: `partnerdesk subscriptions list|show|order|suspend|reactivate|
// set-quantity|cancel|export`, against a running Partnerdesk (--url) as a partner user (--token, or --user and
// --password). A customer is named by its id or by any of its domains. Answers go to stdout; notices and
// errors to stderr, an error as one line with the API's code.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Api, ApiOptions } from './api.ts';
import { ApiError, apiOptions, flagValue } from './api.ts';
import type { Customer } from './customer.ts';
import { UUID, customerLabel, printCount, readList, resolveCustomer, withApi } from './customer.ts';
import type { SubscriptionView } from '../modules/subscriptions/subscriptions.service.ts';
import { collectWords, day, env, fail, note, out, table } from './common.ts';
import { saveCsvExport } from './export.ts';

// ── API shapes the commands read (a subset of the API's) ──

/** The API's Subscription (the service's view, as it travels in JSON). */
type Subscription = SubscriptionView;

interface Order {
  id: string;
  customerId: string;
  currencyCode: string;
  lineItems: {
    lineItemNumber: number;
    offerId: string;
    subscriptionId: string;
    friendlyName: string;
    quantity: number;
    termDuration: string | null;
    billingCycle: string;
  }[];
}

// ── helpers ──

const SUSPENSION_REASONS = ['partnerInitiated', 'customerRequest', 'nonPayment', 'fraud', 'other'];
const STATUSES = ['active', 'suspended', 'deleted', 'cancelled'];

function subscriptionId(raw: string): string {
  if (!UUID.test(raw.trim())) throw new Error(`"${raw}" is not a subscription id (a GUID)`);
  return raw.trim().toLowerCase();
}

const subscriptionPath = (customer: Customer, id: string) =>
  `/v1/customers/${customer.id}/subscriptions/${subscriptionId(id)}`;

export interface OrderLine {
  offerId: string;
  quantity: number;
  termDuration?: string;
  billingCycle?: string;
}

/**
 * OFFER:QTY[:TERM[:CYCLE]]. Offer ids may themselves hold ":", so the quantity is found from the right: the
 * last whole number followed by at most a term (P1M, P1Y, P3Y, none) and a billing cycle.
 */
export function parseLine(raw: string): OrderLine {
  const parts = raw.trim().split(':');
  for (let k = parts.length - 1; k >= Math.max(1, parts.length - 3); k--) {
    if (!/^\d+$/.test(parts[k]!)) continue;
    const [term, cycle, ...rest] = parts.slice(k + 1);
    if (rest.length > 0 || (term !== undefined && !/^(P\d+[MY]|none)$/i.test(term))) continue;
    if (cycle !== undefined && !/^[A-Za-z]+$/.test(cycle)) continue;
    const offerId = parts.slice(0, k).join(':');
    if (offerId === '') break;
    return {
      offerId,
      quantity: Number(parts[k]),
      ...(term ? { termDuration: term.toUpperCase() === 'NONE' ? 'none' : term.toUpperCase() } : {}),
      ...(cycle ? { billingCycle: cycle } : {}),
    };
  }
  throw new Error(
    `--line "${raw}" must be OFFER:QUANTITY[:TERM[:CYCLE]], e.g. M365-E3:25 or M365-E3:25:P1Y:annual`,
  );
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function printSubscription(s: Subscription): void {
  const lines: [string, string][] = [
    ['Subscription', s.friendlyName],
    ['Subscription ID', s.id],
    ['Offer', `${s.offerName} (${s.offerId})${s.isAddOn ? ', add-on' : ''}`],
    ['Status', s.status],
    ['Quantity', `${s.quantity} ${s.unitType}`],
    ['Billing', `${s.billingType}, ${s.billingCycle}${s.termDuration ? `, term ${s.termDuration}` : ''}`],
    ['Unit price', s.unitPrice === null ? 'usage-based' : `${s.unitPrice} ${s.currency} (minor units)`],
    ['Auto-renew', s.autoRenewEnabled ? 'yes' : 'no'],
    ['Created', s.creationDate],
    ['Effective from', s.effectiveStartDate],
    ['Commitment ends', s.commitmentEndDate ?? '—'],
    ['Partner of record', s.partnerName],
    ['Order ID', s.orderId],
  ];
  if (s.parentSubscriptionId) lines.push(['Base subscription', s.parentSubscriptionId]);
  if (s.azureSubscriptionId) lines.push(['Azure subscription ID', s.azureSubscriptionId]);
  if (s.status === 'suspended') {
    lines.push(['Suspended', `${s.suspendedAt ?? '—'} (${s.suspensionReasons.join(', ') || '—'})`]);
    lines.push(['Deleted on', `${s.deletionDate ?? '—'} unless reactivated before`]);
  }
  if (s.cancellationDate) lines.push(['Cancelled', s.cancellationDate]);
  const w = Math.max(...lines.map(([k]) => k.length));
  for (const [k, v] of lines) out(`${`${k}:`.padEnd(w + 2)}${v}`);
}

/** GET then PATCH with the ETag just read: a concurrent change makes it fail (412) instead of being undone. */
async function patch(
  api: Api,
  customer: Customer,
  id: string,
  body: Record<string, unknown>,
): Promise<{ before: Subscription; after: Subscription }> {
  const url = subscriptionPath(customer, id);
  const before = await api.get<Subscription>(url);
  try {
    const res = await api.send<Subscription>('PATCH', url, body, {
      'if-match': before.attributes.etag,
      'ms-requestid': randomUUID(),
    });
    return { before, after: res.body };
  } catch (err) {
    if (err instanceof ApiError && err.status === 412)
      throw new Error('the subscription changed while this command ran; nothing was written, run it again', {
        cause: err,
      });
    throw err;
  }
}

// ── the commands ──

export function registerSubscriptionCommands(program: Command): void {
  const subscriptions = program
    .command('subscriptions')
    .description(
      "a customer's subscriptions, over the API of a running Partnerdesk (--url, --token or --user/--password)",
    );
  const customerArg = '<customer>';
  const customerHelp = 'the customer: its id (Microsoft ID) or one of its domains';

  apiOptions(
    subscriptions
      .command('list')
      .description("list a customer's subscriptions (yours: you are their partner of record), oldest first")
      .argument(customerArg, customerHelp)
      .addOption(new Option('--status <status>', STATUSES.join(', ')).env(env('SUBSCRIPTION_STATUS')))
      .addOption(new Option('--offer <offerId>', 'only subscriptions of this offer').env(env('OFFER')))
      .addOption(new Option('--all', 'every page, not just the first (variable: 1 or 0)').env(env('ALL')))
      .addOption(new Option('--json', 'print the API items as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (raw: string, opts: ApiOptions & { status?: string; offer?: string }, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    const all = flagValue(cmd, 'all', env('ALL'));
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const list = await readList<Subscription>(
        api,
        `/v1/customers/${customer.id}/subscriptions`,
        { status: opts.status?.trim() || undefined, offerId: opts.offer?.trim() || undefined },
        all,
      );
      const items = list.items;
      if (json) {
        out(JSON.stringify(items, null, 2));
        return;
      }
      out(`${customerLabel(customer)}`);
      if (items.length === 0) out('No subscriptions.');
      else
        table([
          ['SUBSCRIPTION ID', 'NAME', 'OFFER', 'QUANTITY', 'STATUS', 'TERM', 'CYCLE', 'COMMITMENT END'],
          ...items.map((s) => [
            s.id,
            s.friendlyName,
            s.offerId,
            String(s.quantity),
            s.status === 'suspended' ? `suspended (deleted ${day(s.deletionDate)})` : s.status,
            s.termDuration ?? '—',
            s.billingCycle,
            day(s.commitmentEndDate),
          ]),
        ]);
      printCount(list);
    });
  });

  apiOptions(
    subscriptions
      .command('show')
      .description('a subscription: offer, status, quantity, term, dates, partner of record')
      .argument(customerArg, customerHelp)
      .argument('<subscription>', 'the subscription id')
      .addOption(new Option('--json', 'print the API resource as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (raw: string, id: string, opts: ApiOptions, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const s = await api.get<Subscription>(subscriptionPath(customer, id));
      if (json) out(JSON.stringify(s, null, 2));
      else printSubscription(s);
    });
  });

  apiOptions(
    subscriptions
      .command('order')
      .description('order offers for a customer: one subscription per line; prints the new subscription ids')
      .argument(customerArg, customerHelp)
      .addOption(
        new Option(
          '--line <OFFER:QTY[:TERM[:CYCLE]]>',
          'a line item, repeatable, e.g. --line M365-E3:25 --line AUDIO-CONF:25:P1M:monthly (variable: lines separated by spaces)',
        )
          .env(env('ORDER_LINES'))
          .argParser(collectWords),
      )
      .addOption(
        new Option('--name <name>', 'friendly name of the line in the same position (repeatable)')
          .env(env('ORDER_NAME'))
          .argParser(collect),
      )
      .addOption(
        new Option(
          '--parent <subscription>',
          'for add-on lines: the active subscription of its base offer (else a base line of the same order)',
        ).env(env('PARENT_SUBSCRIPTION')),
      )
      .addOption(
        new Option(
          '--request-id <id>',
          'MS-RequestId: repeat a failed run with the same id to retry it safely (default: a new one)',
        ).env(env('REQUEST_ID')),
      ),
  ).action(
    async (
      raw: string,
      opts: ApiOptions & { line?: string[]; name?: string[]; parent?: string; requestId?: string },
    ) => {
      const lines = opts.line ?? [];
      const names = opts.name ?? [];
      try {
        if (lines.length === 0) throw new Error('give at least one --line OFFER:QUANTITY');
        if (names.length > lines.length)
          throw new Error(`${names.length} --name for ${lines.length} --line: one name per line at most`);
      } catch (err) {
        fail(err);
      }
      let items: OrderLine[] = [];
      try {
        items = lines.map(parseLine);
      } catch (err) {
        fail(err);
      }
      await withApi(opts, async (api) => {
        const customer = await resolveCustomer(api, raw);
        // The parent goes on the add-on lines only (a base offer line with a parent would be refused).
        const addOn = new Set<string>();
        if (opts.parent) {
          subscriptionId(opts.parent);
          for (const offerId of new Set(items.map((l) => l.offerId))) {
            const offer = await api
              .get<{ isAddOn: boolean }>(`/v1/offers/${encodeURIComponent(offerId)}`)
              .catch(() => undefined); // unknown offers: the order answers for them
            if (offer?.isAddOn) addOn.add(offerId);
          }
        }
        const body = {
          lineItems: items.map((l, i) => ({
            offerId: l.offerId,
            quantity: l.quantity,
            ...(l.termDuration ? { termDuration: l.termDuration } : {}),
            ...(l.billingCycle ? { billingCycle: l.billingCycle } : {}),
            ...(names[i] !== undefined ? { friendlyName: names[i] } : {}),
            ...(opts.parent && addOn.has(l.offerId)
              ? { parentSubscriptionId: opts.parent.trim().toLowerCase() }
              : {}),
          })),
        };
        const requestId = opts.requestId?.trim() || randomUUID();
        note(
          `Request id: ${requestId} (if this run fails without an answer, re-run with --request-id ${requestId})`,
        );
        const res = await api.send<Order>('POST', `/v1/customers/${customer.id}/orders`, body, {
          'ms-requestid': requestId,
        });
        if (res.headers.get('ms-idempotent-replay') === 'true')
          note('This request id had already placed the order: its first answer is shown again.');
        const order = res.body;
        out(`Order ${order.id} placed for ${customerLabel(customer)}:`);
        table(
          order.lineItems.map((l) => [
            l.subscriptionId,
            l.offerId,
            `× ${l.quantity}`,
            [l.termDuration, l.billingCycle].filter(Boolean).join(' '),
            l.friendlyName,
          ]),
        );
      });
    },
  );

  apiOptions(
    subscriptions
      .command('suspend')
      .description(
        'suspend a subscription (and its add-ons): users lose access; deleted after 90 days unless reactivated',
      )
      .argument(customerArg, customerHelp)
      .argument('<subscription>', 'the subscription id')
      .addOption(
        new Option(
          '--reason <reason>',
          `why (repeatable): ${SUSPENSION_REASONS.join(', ')} (variable: comma-separated)`,
        )
          .env(env('SUSPENSION_REASON'))
          .argParser(collectWords),
      ),
  ).action(async (raw: string, id: string, opts: ApiOptions & { reason?: string[] }) => {
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const { after } = await patch(api, customer, id, {
        status: 'suspended',
        ...(opts.reason?.length ? { suspensionReasons: opts.reason } : {}),
      });
      out(`Suspended: ${after.friendlyName} (${after.id})`);
      out(`Reasons: ${after.suspensionReasons.join(', ')}`);
      out(`It will be deleted on ${after.deletionDate ?? '—'} unless reactivated before.`);
    });
  });

  apiOptions(
    subscriptions
      .command('reactivate')
      .description('reactivate a suspended subscription (and the add-ons suspended with it)')
      .argument(customerArg, customerHelp)
      .argument('<subscription>', 'the subscription id'),
  ).action(async (raw: string, id: string, opts: ApiOptions) => {
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const { after } = await patch(api, customer, id, { status: 'active' });
      out(`Reactivated: ${after.friendlyName} (${after.id}), status ${after.status}`);
    });
  });

  apiOptions(
    subscriptions
      .command('set-quantity')
      .description('change the number of licences (within the offer’s limits; not while suspended)')
      .argument(customerArg, customerHelp)
      .argument('<subscription>', 'the subscription id')
      .argument('<quantity>', 'the new quantity'),
  ).action(async (raw: string, id: string, quantity: string, opts: ApiOptions) => {
    if (!/^\d+$/.test(quantity.trim()))
      fail(new Error(`<quantity> must be a whole number, not "${quantity}"`));
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const { before, after } = await patch(api, customer, id, { quantity: Number(quantity.trim()) });
      out(`Quantity of ${after.friendlyName} (${after.id}): ${before.quantity} → ${after.quantity}`);
    });
  });

  apiOptions(
    subscriptions
      .command('cancel')
      .description('cancel a reservation or software subscription (others are suspended instead)')
      .argument(customerArg, customerHelp)
      .argument('<subscription>', 'the subscription id'),
  ).action(async (raw: string, id: string, opts: ApiOptions) => {
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const url = subscriptionPath(customer, id);
      const before = await api.get<Subscription>(url);
      const res = await api.send<Subscription>('POST', `${url}/cancel`, undefined, {
        'if-match': before.attributes.etag,
        'ms-requestid': randomUUID(),
      });
      out(`Cancelled: ${res.body.friendlyName} (${res.body.id}) on ${res.body.cancellationDate ?? '—'}`);
    });
  });

  apiOptions(
    subscriptions
      .command('export')
      .description(
        "export a customer's subscriptions as CSV (Subscription ID,Subscription,Quantity,Status,Reseller)",
      )
      .argument(customerArg, customerHelp)
      .addOption(
        new Option('--status <status>', `only these: ${STATUSES.join(', ')}`).env(env('SUBSCRIPTION_STATUS')),
      )
      .addOption(
        new Option(
          '-o, --output <file.csv>',
          'where to write it (default: the name the API suggests; - : stdout)',
        ).env(env('EXPORT_OUTPUT')),
      ),
  ).action(async (raw: string, opts: ApiOptions & { status?: string; output?: string }) => {
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const res = await api.stream(`/v1/customers/${customer.id}/subscriptions/export.csv`, {
        status: opts.status?.trim() || undefined,
      });
      const { rows: n, file } = await saveCsvExport(res, {
        output: opts.output,
        fallbackName: `subscriptions-${customer.companyProfile.domain}.csv`,
        what: 'subscriptions',
      });
      if (!file) note(`${n} subscription${n === 1 ? '' : 's'} exported.`);
      else out(`${n} subscription${n === 1 ? '' : 's'} of ${customerLabel(customer)} exported to ${file}`);
    });
  });
}
