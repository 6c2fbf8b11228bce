// Transfers of Azure subscriptions between partners over the API: `partnerdesk transfers eligibility|create|
// list|show|accept|reject|cancel`, against a running Partnerdesk (--url) as a partner user (--token, or --user
// and --password). The target partner (the one the customer moves to) checks eligibility and creates a request;
// the customer's Global admin consents through the link `create` prints; the source partner accepts (all or
// some subscriptions) or rejects; the target may cancel while it is pending. Answers go to stdout; progress,
// notices and errors to stderr, an error as one line with the API's code.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Api, ApiOptions } from './api.ts';
import { apiOptions, flagValue } from './api.ts';
import { collectWords, day, env, fail, minute, note, out, plural, table } from './common.ts';
import type { Collection } from './customer.ts';
import { UUID, customerLabel, printCount, readList, resolveCustomer, withApi } from './customer.ts';
import type {
  EligibilityView as Eligibility,
  TransferLineView as LineItem,
  TransferView as Transfer,
} from '../modules/transfers/transfers.service.ts';
import { TRANSFER_STATUSES } from '../modules/transfers/transfers.schemas.ts';

const STATUSES: readonly string[] = TRANSFER_STATUSES;

// ── helpers ──

const requestIdOption = () =>
  new Option(
    '--request-id <id>',
    'MS-RequestId: repeat a failed run with the same id to retry it safely (default: a new one)',
  ).env(env('REQUEST_ID'));

function guid(raw: string, what: string): string {
  const text = raw.trim();
  if (!UUID.test(text)) throw new Error(`"${raw}" is not ${what} (a GUID)`);
  return text.toLowerCase();
}

const customerTransfers = (customerId: string) => `/v1/customers/${customerId}/transfers`;

/** The request, with its timeline; its customer names the routes that change it. */
const getTransfer = (api: Api, id: string) => api.get<Transfer>(`/v1/transfers/${guid(id, 'a transfer id')}`);

/** The consent state in a few words. */
function consentLabel(t: Transfer): string {
  const c = t.customerConsent;
  if (c.status === 'given')
    return `given${c.consentedBy ? ` by ${c.consentedBy}` : ''} ${minute(c.consentedAt)}`;
  if (c.status === 'declined') return `declined${c.consentedBy ? ` by ${c.consentedBy}` : ''}`;
  return 'waiting for the customer';
}

function lineResult(l: LineItem, t: Transfer): string {
  // The new id is the target's; the source sees where the subscription went.
  if (l.status === 'completed')
    return l.newSubscriptionId
      ? `completed → new subscription ${l.newSubscriptionId}`
      : `completed → moved to ${t.targetPartnerName}`;
  if (l.status === 'failed' && l.transferError)
    return `failed: ${l.transferError.description} [${l.transferError.code}]`;
  return l.status;
}

function printLines(t: Transfer): void {
  table([
    ['#', 'SUBSCRIPTION ID', 'AZURE SUBSCRIPTION ID', 'NAME', 'OFFER', 'STATUS'],
    ...t.lineItems.map((l) => [
      String(l.id),
      l.subscriptionId,
      l.azureSubscriptionId ?? '—',
      l.friendlyName,
      l.offerId,
      lineResult(l, t),
    ]),
  ]);
}

function printTransfer(t: Transfer): void {
  const lines: [string, string][] = [
    ['Transfer', t.id],
    ['Status', t.status],
    ['Customer', `${t.customerName} (${t.customerTenantId})`],
    ['From (source)', `${t.sourcePartnerName} (${t.sourcePartnerTenantId})`],
    ['To (target)', `${t.targetPartnerName} (${t.targetPartnerTenantId})`],
    ['Direction', t.direction === 'sent' ? 'sent by you' : 'received by you'],
    ['Created', `${minute(t.createdTime)} by ${t.createdBy.name}`],
    ['Customer consent', consentLabel(t)],
  ];
  if (t.customerConsent.status === 'pending') lines.push(['Consent link', t.customerConsent.url]);
  if (t.note) lines.push(['Note', t.note]);
  if (t.expiresAt) lines.push(['Expires', minute(t.expiresAt)]);
  if (t.acceptedTime) lines.push(['Accepted', `${minute(t.acceptedTime)} by ${t.acceptedBy ?? '—'}`]);
  if (t.rejection)
    lines.push([
      'Rejected',
      `${minute(t.rejection.rejectedAt)} by the ${t.rejection.by === 'source' ? 'source partner' : 'customer'}: ${t.rejection.reason}`,
    ]);
  if (t.progress.total > 0)
    lines.push([
      'Progress',
      `${t.progress.completed} completed, ${t.progress.failed} failed of ${t.progress.total} (${t.progress.percent}%)`,
    ]);
  if (t.completedTime) lines.push(['Finished', minute(t.completedTime)]);
  const w = Math.max(...lines.map(([k]) => k.length));
  for (const [k, v] of lines) out(`${`${k}:`.padEnd(w + 2)}${v}`);
  out();
  printLines(t);
  if (t.timeline?.length) {
    out();
    out('Timeline:');
    table(
      t.timeline.map((e) => [
        `  ${minute(e.occurredAt)}`,
        e.event,
        `${e.actor.name} (${e.actor.side})`,
        typeof e.details.reason === 'string'
          ? e.details.reason
          : typeof e.details.subscriptionId === 'string'
            ? e.details.subscriptionId
            : '',
      ]),
    );
  }
}

/** What the request waits for, and who acts next. */
function nextStep(t: Transfer): string | undefined {
  if (t.status !== 'pending') return undefined;
  if (t.customerConsent.status !== 'given')
    return `Waiting for a Global admin of ${t.customerName} to consent: ${t.customerConsent.url}`;
  return t.direction === 'received'
    ? `The customer consented: accept with partnerdesk transfers accept ${t.id}, or reject with --reason.`
    : `The customer consented: waiting for ${t.sourcePartnerName} to accept or reject.`;
}

/** Polls the request until it is no longer in progress, with a progress bar on a terminal. */
async function follow(api: Api, first: Transfer): Promise<Transfer> {
  let current = first;
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format:
          'Transferring [{bar}] {percentage}% | {value}/{total} subscriptions | {completed} completed, {failed} failed',
        stream: process.stderr,
        hideCursor: true,
      })
    : undefined;
  const done = (t: Transfer) => t.progress.completed + t.progress.failed;
  bar?.start(Math.max(current.progress.total, 1), done(current), current.progress);
  let lastDone = -1;
  try {
    for (;;) {
      if (!bar && done(current) !== lastDone) {
        note(
          `${done(current)}/${current.progress.total} subscriptions (${current.progress.completed} completed, ${current.progress.failed} failed)`,
        );
        lastDone = done(current);
      }
      bar?.update(done(current), current.progress);
      if (current.status !== 'inProgress') return current;
      await sleep(500);
      current = await getTransfer(api, current.id);
    }
  } finally {
    bar?.stop();
  }
}

/**
 * The partner of record `--source` names: its id, or its name as the eligibility list shows it (one partner of
 * record of this customer).
 */
async function resolveSource(api: Api, customerId: string, raw: string): Promise<string> {
  const text = raw.trim();
  if (UUID.test(text)) return text.toLowerCase();
  const list = await api.get<Collection<Eligibility>>(`/v1/customers/${customerId}/transferseligibility`);
  const ids = new Set(
    list.items
      .filter((e) => e.partnerNameOnRecord.toLowerCase() === text.toLowerCase())
      .map((e) => e.partnerIdOnRecord),
  );
  if (ids.size === 1) return [...ids][0]!;
  const names = [...new Set(list.items.map((e) => e.partnerNameOnRecord))];
  throw new Error(
    ids.size === 0
      ? `--source "${raw}" is not a partner of record of this customer (${names.join(', ') || 'none'}); give its name or id`
      : `--source "${raw}" names several partners of record: give its id`,
  );
}

// ── the commands ──

export function registerTransferCommands(program: Command): void {
  const transfers = program
    .command('transfers')
    .description(
      'transfers of Azure subscriptions between partners, over the API of a running Partnerdesk (--url, --token or --user/--password)',
    );
  const customerArg = '<customer>';
  const customerHelp = 'the customer: its id (Microsoft ID) or one of its domains';
  const transferArg = '<transferId>';
  const transferHelp = 'the transfer request id';

  apiOptions(
    transfers
      .command('eligibility')
      .description(
        "which of a customer's subscriptions you could take over, and why the others cannot move (you: the target)",
      )
      .argument(customerArg, customerHelp)
      .addOption(
        new Option(
          '--source <partner>',
          'only the subscriptions of this partner of record (its id or name)',
        ).env(env('TRANSFER_SOURCE')),
      )
      .addOption(
        new Option('--eligible-only', 'only the subscriptions that can move (variable: 1 or 0)').env(
          env('ELIGIBLE_ONLY'),
        ),
      )
      .addOption(new Option('--json', 'print the API items as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (raw: string, opts: ApiOptions & { source?: string }, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    const eligibleOnly = flagValue(cmd, 'eligibleOnly', env('ELIGIBLE_ONLY'));
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const source = opts.source?.trim() ? await resolveSource(api, customer.id, opts.source) : undefined;
      const list = await readList<Eligibility>(
        api,
        `/v1/customers/${customer.id}/transferseligibility`,
        { sourcePartnerId: source, eligibleOnly: eligibleOnly ? 'true' : undefined },
        true,
      );
      if (json) {
        out(JSON.stringify(list.items, null, 2));
        return;
      }
      out(customerLabel(customer));
      if (list.items.length === 0) {
        out(eligibleOnly ? 'No subscription can move to you.' : 'No subscriptions.');
        return;
      }
      // Grouped by partner of record: a request takes the subscriptions of one source.
      const byPartner = new Map<string, Eligibility[]>();
      for (const e of list.items)
        byPartner.set(e.partnerIdOnRecord, [...(byPartner.get(e.partnerIdOnRecord) ?? []), e]);
      for (const [partnerId, items] of byPartner) {
        out();
        out(`Partner of record: ${items[0]!.partnerNameOnRecord} (${partnerId})`);
        table([
          ['SUBSCRIPTION ID', 'AZURE SUBSCRIPTION ID', 'NAME', 'OFFER', 'STATUS', 'ELIGIBLE'],
          ...items.map((e) => [
            e.subscriptionId,
            e.azureSubscriptionId ?? '—',
            e.friendlyName,
            e.offerId,
            e.status,
            e.isEligible
              ? 'yes'
              : `no: ${e.description ?? e.reason ?? 'not eligible'}${e.openTransferId ? ` (request ${e.openTransferId})` : ''}`,
          ]),
        ]);
      }
      out();
      const eligible = list.items.filter((e) => e.isEligible);
      out(`${eligible.length} of ${plural(list.items.length, 'subscription')} can move to you.`);
      const sources = new Set(eligible.map((e) => e.partnerIdOnRecord));
      if (sources.size > 0)
        note(
          `Request them: partnerdesk transfers create ${customer.companyProfile.domain} --all-eligible --source ${[...sources][0]}` +
            (sources.size > 1 ? ' (one request per partner of record)' : ''),
        );
    });
  });

  apiOptions(
    transfers
      .command('create')
      .description(
        'request subscriptions of one partner of record for yourself; prints the link the customer consents with',
      )
      .argument(customerArg, customerHelp)
      .addOption(
        new Option(
          '--subscriptions <ids>',
          'the subscriptions to move, all of one partner of record (comma-separated or repeated)',
        )
          .env(env('TRANSFER_SUBSCRIPTIONS'))
          .argParser(collectWords),
      )
      .addOption(
        new Option(
          '--all-eligible',
          'every eligible subscription of the --source partner instead of a list (variable: 1 or 0)',
        ).env(env('ALL_ELIGIBLE')),
      )
      .addOption(
        new Option(
          '--source <partner>',
          'the partner of record to take them from (its id or name); required with --all-eligible',
        ).env(env('TRANSFER_SOURCE')),
      )
      .addOption(
        new Option('--note <text>', 'for the source partner and the customer (up to 1000 characters)').env(
          env('TRANSFER_NOTE'),
        ),
      )
      .addOption(requestIdOption()),
  ).action(
    async (
      raw: string,
      opts: ApiOptions & { subscriptions?: string[]; source?: string; note?: string; requestId?: string },
      cmd: Command,
    ) => {
      const allEligible = flagValue(cmd, 'allEligible', env('ALL_ELIGIBLE'));
      const ids = opts.subscriptions ?? [];
      let subscriptionIds: string[] = [];
      try {
        if (allEligible === ids.length > 0)
          throw new Error('give --subscriptions a,b or --all-eligible (with --source), one of the two');
        if (allEligible && !opts.source?.trim())
          throw new Error('--all-eligible takes the subscriptions of one partner of record: give --source');
        subscriptionIds = ids.map((id) => guid(id, 'a subscription id'));
      } catch (err) {
        fail(err);
      }
      await withApi(opts, async (api) => {
        const customer = await resolveCustomer(api, raw);
        const source = opts.source?.trim() ? await resolveSource(api, customer.id, opts.source) : undefined;
        const requestId = opts.requestId?.trim() || randomUUID();
        note(
          `Request id: ${requestId} (if this run fails without an answer, re-run with --request-id ${requestId})`,
        );
        const res = await api.send<Transfer>(
          'POST',
          customerTransfers(customer.id),
          {
            ...(source ? { sourcePartnerTenantId: source } : {}),
            ...(allEligible ? { allEligible: true } : { subscriptionIds }),
            ...(opts.note?.trim() ? { note: opts.note.trim() } : {}),
          },
          { 'ms-requestid': requestId },
        );
        if (res.headers.get('ms-idempotent-replay') === 'true')
          note('This request id had already created the request: its first answer is shown again.');
        const t = res.body;
        out(
          `Transfer request ${t.id} created: ${plural(t.lineItems.length, 'subscription')} of ${t.customerName} ` +
            `from ${t.sourcePartnerName} to ${t.targetPartnerName}.`,
        );
        printLines(t);
        out();
        out(`A Global admin of ${t.customerName} must consent first. Send them this link:`);
        out();
        out(`    ${t.customerConsent.url}`);
        out();
        out(
          `Then ${t.sourcePartnerName} accepts or rejects it. It expires on ${day(t.expiresAt)} unless answered; ` +
            `partnerdesk transfers show ${t.id} follows it.`,
        );
      });
    },
  );

  apiOptions(
    transfers
      .command('list')
      .description('your transfer requests, sent and received, newest first')
      .addOption(
        new Option(
          '--direction <direction>',
          'sent (you are the target) or received (you are the source)',
        ).env(env('TRANSFER_DIRECTION')),
      )
      .addOption(new Option('--status <status>', STATUSES.join(', ')).env(env('TRANSFER_STATUS')))
      .addOption(
        new Option('--customer <customer>', "only this customer's requests (its id or a domain)").env(
          env('TRANSFER_CUSTOMER'),
        ),
      )
      .addOption(new Option('--all', 'every page, not just the first (variable: 1 or 0)').env(env('ALL')))
      .addOption(new Option('--json', 'print the API items as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(
    async (opts: ApiOptions & { direction?: string; status?: string; customer?: string }, cmd: Command) => {
      const json = flagValue(cmd, 'json', env('JSON'));
      const all = flagValue(cmd, 'all', env('ALL'));
      const direction = opts.direction?.trim() || undefined;
      const status = opts.status?.trim() || undefined;
      if (direction && !['sent', 'received'].includes(direction))
        fail(new Error(`--direction must be sent or received, not "${direction}"`));
      if (status && !STATUSES.includes(status))
        fail(new Error(`--status must be one of ${STATUSES.join(', ')}, not "${status}"`));
      await withApi(opts, async (api) => {
        const customer = opts.customer?.trim() ? await resolveCustomer(api, opts.customer) : undefined;
        const list = await readList<Transfer>(
          api,
          '/v1/transfers',
          { direction, status, customerId: customer?.id },
          all,
        );
        if (json) {
          out(JSON.stringify(list.items, null, 2));
          return;
        }
        if (list.items.length === 0) out('No transfer requests.');
        else
          table([
            [
              'TRANSFER ID',
              'CREATED',
              'DIRECTION',
              'CUSTOMER',
              'FROM',
              'TO',
              'SUBSCRIPTIONS',
              'CONSENT',
              'STATUS',
            ],
            ...list.items.map((t) => [
              t.id,
              day(t.createdTime),
              t.direction,
              t.customerName,
              t.sourcePartnerName,
              t.targetPartnerName,
              String(t.lineItems.length),
              t.customerConsent.status,
              t.status,
            ]),
          ]);
        printCount(list);
      });
    },
  );

  apiOptions(
    transfers
      .command('show')
      .description('a transfer request: parties, consent, subscriptions with their results, and its timeline')
      .argument(transferArg, transferHelp)
      .addOption(new Option('--json', 'print the API resource as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (id: string, opts: ApiOptions, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    await withApi(opts, async (api) => {
      const t = await getTransfer(api, id);
      if (json) {
        out(JSON.stringify(t, null, 2));
        return;
      }
      printTransfer(t);
      const next = nextStep(t);
      if (next) note(next);
    });
  });

  apiOptions(
    transfers
      .command('accept')
      .description(
        'accept a request you received, after the customer consented: its subscriptions (or the ones named) move ' +
          'to the requesting partner; you lose access to them and stop billing them from the transfer time',
      )
      .argument(transferArg, transferHelp)
      .addOption(
        new Option(
          '--subscriptions <ids>',
          'only these of its subscriptions (comma-separated or repeated; default: all)',
        )
          .env(env('TRANSFER_SUBSCRIPTIONS'))
          .argParser(collectWords),
      )
      .addOption(
        new Option(
          '--wait',
          'follow the transfer with a progress bar until it finishes and print each subscription’s result; ' +
            'exit 1 if one failed (variable: 1 or 0)',
        ).env(env('WAIT')),
      )
      .addOption(requestIdOption()),
  ).action(
    async (id: string, opts: ApiOptions & { subscriptions?: string[]; requestId?: string }, cmd: Command) => {
      const wait = flagValue(cmd, 'wait', env('WAIT'));
      let chosen: string[] = [];
      try {
        chosen = (opts.subscriptions ?? []).map((s) => guid(s, 'a subscription id'));
      } catch (err) {
        fail(err);
      }
      await withApi(opts, async (api) => {
        const before = await getTransfer(api, id);
        const res = await api.send<Transfer>(
          'POST',
          `${customerTransfers(before.customerTenantId)}/${before.id}/accept`,
          chosen.length > 0 ? { subscriptionIds: chosen } : {},
          { 'ms-requestid': opts.requestId?.trim() || randomUUID() },
        );
        if (res.headers.get('ms-idempotent-replay') === 'true')
          note('This request id had already accepted the request: its first answer is shown again.');
        const t = res.body;
        const accepted = t.lineItems.filter((l) => l.status !== 'notAccepted').length;
        out(
          `Accepted: ${plural(accepted, 'subscription')} of ${t.customerName} move to ${t.targetPartnerName}` +
            (accepted < t.lineItems.length
              ? ` (${t.lineItems.length - accepted} not accepted stay yours)`
              : '') +
            '.',
        );
        if (!wait) {
          note(`It runs in the background: partnerdesk transfers show ${t.id} (or accept with --wait).`);
          return;
        }
        const done = await follow(api, t);
        out(`Transfer ${done.status}: ${done.progress.completed} completed, ${done.progress.failed} failed.`);
        printLines(done);
        if (done.lineItems.some((l) => l.status === 'failed')) process.exitCode = 1;
      });
    },
  );

  apiOptions(
    transfers
      .command('reject')
      .description(
        'reject a request you received (any time while it is pending); the reason goes to the requester',
      )
      .argument(transferArg, transferHelp)
      .addOption(
        new Option('--reason <text>', 'why (up to 1000 characters)')
          .env(env('REJECT_REASON'))
          .makeOptionMandatory(),
      )
      .addOption(requestIdOption()),
  ).action(async (id: string, opts: ApiOptions & { reason: string; requestId?: string }) => {
    await withApi(opts, async (api) => {
      const before = await getTransfer(api, id);
      const res = await api.send<Transfer>(
        'POST',
        `${customerTransfers(before.customerTenantId)}/${before.id}/reject`,
        { reason: opts.reason.trim() },
        { 'ms-requestid': opts.requestId?.trim() || randomUUID() },
      );
      const t = res.body;
      out(
        `Rejected: ${t.targetPartnerName}'s request for ${plural(t.lineItems.length, 'subscription')} of ${t.customerName}; ` +
          `they stay with ${t.sourcePartnerName}.`,
      );
    });
  });

  apiOptions(
    transfers
      .command('cancel')
      .description('cancel a request you sent, while it is pending')
      .argument(transferArg, transferHelp)
      .addOption(requestIdOption()),
  ).action(async (id: string, opts: ApiOptions & { requestId?: string }) => {
    await withApi(opts, async (api) => {
      const before = await getTransfer(api, id);
      const res = await api.send<Transfer>(
        'POST',
        `${customerTransfers(before.customerTenantId)}/${before.id}/cancel`,
        {},
        { 'ms-requestid': opts.requestId?.trim() || randomUUID() },
      );
      const t = res.body;
      out(
        `Cancelled: the request for ${plural(t.lineItems.length, 'subscription')} of ${t.customerName} (${t.id}).`,
      );
    });
  });
}
