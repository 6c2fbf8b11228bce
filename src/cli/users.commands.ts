// A customer's directory over the API: `partnerdesk users list|create|delete|restore|reset-password|import`,
// against a running Partnerdesk (--url) as a partner user (--token, or --user and --password). A customer is
// named by its id or one of its domains; a user by its id or user name. Answers go to stdout; progress, notices
// and errors to stderr. A temporary password is printed once: the API does not show it again.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Api, ApiOptions } from './api.ts';
import { apiOptions, flagValue } from './api.ts';
import { collectWords, day, env, note, out, table } from './common.ts';
import type { Collection, Customer } from './customer.ts';
import { UUID, customerLabel, printCount, readList, resolveCustomer, withApi } from './customer.ts';
import { saveCsvExport } from './export.ts';

// ── API shapes the commands read (a subset of the API's) ──

interface CustomerUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  usageLocation: string | null;
  state: 'active' | 'inactive';
  softDeletionTime: string | null;
  restorableUntil: string | null;
  directoryRoles: string[];
  licenseCount: number;
  passwordProfile?: { password: string; forceChangePassword: boolean };
}

interface RestoreResult {
  items: {
    userId: string;
    status: 'restored' | 'failed';
    description?: string;
    licenses: { productSku: { id: string; name: string }; restored: boolean; reason?: string }[];
  }[];
}

interface Validation {
  totalRows: number;
  validRows: number;
  invalidRows: number;
  rows: { row: number; line: number; email: string; issues: { field: string; reason: string }[] }[];
}

interface UserImport {
  id: string;
  state: 'queued' | 'running' | 'completed' | 'failed';
  totalRows: number;
  rowsDone: number;
  created: number;
  failed: number;
  passwordsAvailable: boolean;
}

const DIRECTORY_ROLES = ['globalAdmin', 'helpdeskAdmin', 'userAdmin', 'billingAdmin'];

const usersPath = (customer: Customer) => `/v1/customers/${customer.id}/users`;

/** The user a command names: its id, or its user name (active users first, then deleted ones). */
async function resolveUser(api: Api, customer: Customer, raw: string): Promise<CustomerUser> {
  const text = raw.trim();
  if (UUID.test(text)) return api.get<CustomerUser>(`${usersPath(customer)}/${text.toLowerCase()}`);
  const name = text.toLowerCase();
  for (const state of ['active', 'inactive']) {
    const page = await api.get<Collection<CustomerUser>>(usersPath(customer), { q: name, state, size: 1000 });
    const found = page.items.find((u) => u.userPrincipalName.toLowerCase() === name);
    if (found) return found;
  }
  throw new Error(`${customerLabel(customer)} has no user ${name}`);
}

function printPassword(user: CustomerUser): void {
  if (!user.passwordProfile) return;
  out(`Temporary password: ${user.passwordProfile.password}`);
  note('It is shown this once: give it to the user, who must change it at first sign-in.');
}

/** Polls the import until it ends, with a progress bar on a terminal and a line per 10% elsewhere. */
async function follow(api: Api, url: string, first: UserImport): Promise<UserImport> {
  let current = first;
  const bar = process.stderr.isTTY
    ? new SingleBar({
        format:
          'Creating users [{bar}] {percentage}% | {value}/{total} rows | {created} created, {failed} failed',
        stream: process.stderr,
        hideCursor: true,
      })
    : undefined;
  bar?.start(current.totalRows, current.rowsDone, { created: current.created, failed: current.failed });
  let lastTenth = -1;
  try {
    for (;;) {
      const tenth = Math.floor((current.rowsDone / Math.max(current.totalRows, 1)) * 10);
      if (!bar && tenth !== lastTenth) {
        note(
          `${current.rowsDone}/${current.totalRows} rows (${current.created} created, ${current.failed} failed)`,
        );
        lastTenth = tenth;
      }
      bar?.update(current.rowsDone, { created: current.created, failed: current.failed });
      if (current.state === 'completed' || current.state === 'failed') return current;
      await sleep(500);
      current = await api.get<UserImport>(url);
    }
  } finally {
    bar?.stop();
  }
}

// ── the commands ──

export function registerUserCommands(program: Command): void {
  const users = program
    .command('users')
    .description(
      "a customer's users (its directory), over the API of a running Partnerdesk (--url, --token or --user/--password)",
    );
  const customerArg = '<customer>';
  const customerHelp = 'the customer: its id (Microsoft ID) or one of its domains';
  const userHelp = 'the user: its id or user name';

  apiOptions(
    users
      .command('list')
      .description("list a customer's users in display-name order (or its deleted users)")
      .argument(customerArg, customerHelp)
      .addOption(new Option('--search <text>', 'names or user names containing this').env(env('USER_SEARCH')))
      .addOption(
        new Option('--deleted', 'the deleted users, restorable for 30 days (variable: 1 or 0)').env(
          env('DELETED'),
        ),
      )
      .addOption(new Option('--all', 'every page, not just the first (variable: 1 or 0)').env(env('ALL')))
      .addOption(new Option('--json', 'print the API items as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (raw: string, opts: ApiOptions & { search?: string }, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    const all = flagValue(cmd, 'all', env('ALL'));
    const deleted = flagValue(cmd, 'deleted', env('DELETED'));
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const list = await readList<CustomerUser>(
        api,
        usersPath(customer),
        { state: deleted ? 'inactive' : 'active', q: opts.search?.trim() || undefined },
        all,
      );
      const items = list.items;
      if (json) {
        out(JSON.stringify(items, null, 2));
        return;
      }
      out(customerLabel(customer));
      if (items.length === 0) out(deleted ? 'No deleted users.' : 'No users.');
      else
        table([
          deleted
            ? ['USER ID', 'USER NAME', 'DISPLAY NAME', 'DELETED', 'RESTORABLE UNTIL']
            : ['USER ID', 'USER NAME', 'DISPLAY NAME', 'LOCATION', 'LICENSES', 'ROLES'],
          ...items.map((u) =>
            deleted
              ? [u.id, u.userPrincipalName, u.displayName, day(u.softDeletionTime), day(u.restorableUntil)]
              : [
                  u.id,
                  u.userPrincipalName,
                  u.displayName,
                  u.usageLocation ?? '—',
                  String(u.licenseCount),
                  u.directoryRoles.join(', ') || '—',
                ],
          ),
        ]);
      printCount(list);
    });
  });

  apiOptions(
    users
      .command('create')
      .description('add a user to the customer’s directory; prints its one-time temporary password')
      .argument(customerArg, customerHelp)
      .addOption(
        new Option(
          '--user-name <name>',
          'user name at one of the customer’s domains, e.g. ana@contoso.onpartnerdesk.com',
        )
          .env(env('CUSTOMER_USER_NAME'))
          .makeOptionMandatory(),
      )
      .addOption(
        new Option('--display-name <name>', 'name shown for the user (up to 50 characters)')
          .env(env('DISPLAY_NAME'))
          .makeOptionMandatory(),
      )
      .addOption(new Option('--first-name <name>').env(env('FIRST_NAME')))
      .addOption(new Option('--last-name <name>').env(env('LAST_NAME')))
      .addOption(
        new Option('--location <CC>', 'usage location: the country (ISO code) where licences are used').env(
          env('USAGE_LOCATION'),
        ),
      )
      .addOption(new Option('--phone <number>').env(env('PHONE')))
      .addOption(
        new Option(
          '--role <role>',
          `directory role, repeatable: ${DIRECTORY_ROLES.join(', ')} (variable: comma-separated)`,
        )
          .env(env('DIRECTORY_ROLES'))
          .argParser(collectWords),
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
      opts: ApiOptions & {
        userName: string;
        displayName: string;
        firstName?: string;
        lastName?: string;
        location?: string;
        phone?: string;
        role?: string[];
        requestId?: string;
      },
    ) => {
      await withApi(opts, async (api) => {
        const customer = await resolveCustomer(api, raw);
        const res = await api.send<CustomerUser>(
          'POST',
          usersPath(customer),
          {
            userPrincipalName: opts.userName.trim(),
            displayName: opts.displayName,
            ...(opts.firstName ? { firstName: opts.firstName } : {}),
            ...(opts.lastName ? { lastName: opts.lastName } : {}),
            ...(opts.location ? { usageLocation: opts.location.trim().toUpperCase() } : {}),
            ...(opts.phone ? { phoneNumber: opts.phone } : {}),
            ...(opts.role?.length ? { directoryRoles: opts.role } : {}),
          },
          { 'ms-requestid': opts.requestId?.trim() || randomUUID() },
        );
        if (res.headers.get('ms-idempotent-replay') === 'true')
          note('This request id had already created the user: its first answer is shown again.');
        const u = res.body;
        out(`Created ${u.userPrincipalName} (${u.id}) in ${customerLabel(customer)}`);
        printPassword(u);
      });
    },
  );

  apiOptions(
    users
      .command('delete')
      .description('delete a user: it can be restored, with its licences where seats remain, for 30 days')
      .argument(customerArg, customerHelp)
      .argument('<user>', userHelp),
  ).action(async (raw: string, userRaw: string, opts: ApiOptions) => {
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const user = await resolveUser(api, customer, userRaw);
      await api.send('DELETE', `${usersPath(customer)}/${user.id}`, undefined, {
        'ms-requestid': randomUUID(),
      });
      out(`Deleted ${user.userPrincipalName}; restorable for 30 days (partnerdesk users restore).`);
    });
  });

  apiOptions(
    users
      .command('restore')
      .description(
        'restore deleted users (within 30 days of deletion), with their licences where seats remain',
      )
      .argument(customerArg, customerHelp)
      .argument('<users...>', 'the deleted users: ids or user names'),
  ).action(async (raw: string, userRaws: string[], opts: ApiOptions) => {
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const found: CustomerUser[] = [];
      for (const u of userRaws) found.push(await resolveUser(api, customer, u));
      const res = await api.send<RestoreResult>(
        'POST',
        `${usersPath(customer)}/restore`,
        { userIds: found.map((u) => u.id) },
        { 'ms-requestid': randomUUID() },
      );
      const nameOf = new Map(found.map((u) => [u.id, u.userPrincipalName]));
      let failed = 0;
      for (const item of res.body.items) {
        const name = nameOf.get(item.userId) ?? item.userId;
        if (item.status === 'restored') out(`Restored ${name}`);
        else {
          failed++;
          out(`Not restored ${name}: ${item.description ?? 'refused'}`);
        }
        for (const l of item.licenses)
          out(
            `  ${l.restored ? 'licence back' : 'licence not back'}: ${l.productSku.name}${l.reason ? ` (${l.reason})` : ''}`,
          );
      }
      if (failed > 0) process.exitCode = 1;
    });
  });

  apiOptions(
    users
      .command('reset-password')
      .description('give a user a new temporary password (printed once); it must be changed at next sign-in')
      .argument(customerArg, customerHelp)
      .argument('<user>', userHelp),
  ).action(async (raw: string, userRaw: string, opts: ApiOptions) => {
    await withApi(opts, async (api) => {
      const customer = await resolveCustomer(api, raw);
      const user = await resolveUser(api, customer, userRaw);
      const res = await api.send<CustomerUser>(
        'PATCH',
        `${usersPath(customer)}/${user.id}`,
        { passwordProfile: { forceChangePassword: true } },
        { 'ms-requestid': randomUUID() },
      );
      out(`New temporary password for ${user.userPrincipalName}`);
      printPassword(res.body);
    });
  });

  apiOptions(
    users
      .command('import')
      .description(
        'add the users of a CSV file (the template’s columns) to a customer: validates, creates them as a job with ' +
          'a progress bar, then writes the results file and the one-time temporary passwords file',
      )
      .argument(customerArg, customerHelp)
      .argument('<file>', 'the users file (CSV: First name,Last name,Display name,Email,Status update)')
      .addOption(
        new Option('--location <CC>', 'usage location of every new user (ISO country code)').env(
          env('USAGE_LOCATION'),
        ),
      )
      .addOption(
        new Option('--validate-only', 'check every row and write nothing (variable: 1 or 0)').env(
          env('VALIDATE_ONLY'),
        ),
      )
      .addOption(
        new Option('--results <file>', 'where to write the results file (default: <file>.results.csv)').env(
          env('RESULTS_FILE'),
        ),
      )
      .addOption(
        new Option(
          '--passwords <file>',
          'where to write the temporary passwords (default: <file>.passwords.csv; downloadable once)',
        ).env(env('PASSWORDS_FILE')),
      ),
  ).action(
    async (
      raw: string,
      file: string,
      opts: ApiOptions & { location?: string; results?: string; passwords?: string },
      cmd: Command,
    ) => {
      const validateOnly = flagValue(cmd, 'validateOnly', env('VALIDATE_ONLY'));
      await withApi(opts, async (api) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new Error(`no such file: ${file}`);
        const location = opts.location?.trim().toUpperCase();
        if (!validateOnly && !location)
          throw new Error('give --location CC (the usage location of the new users), or --validate-only');
        const customer = await resolveCustomer(api, raw);
        const url = `${usersPath(customer)}/imports`;
        const fileName = path.basename(file);

        note(`Validating ${fileName}…`);
        const checked = await api.upload<Validation>(url, { mode: 'validate', fileName }, file, 'text/csv');
        const v = checked.body;
        out(`${v.totalRows} rows: ${v.validRows} valid, ${v.invalidRows} with problems`);
        if (v.rows.length > 0)
          table([
            ['ROW', 'LINE', 'EMAIL', 'PROBLEM'],
            ...v.rows.flatMap((r) =>
              r.issues.map((i) => [String(r.row), String(r.line), r.email || '—', `${i.field} ${i.reason}`]),
            ),
          ]);
        if (validateOnly) {
          if (v.invalidRows > 0) process.exitCode = 1;
          return;
        }
        // Rows already in the directory: perhaps this file was imported before (a run cut off while following
        // it). Sending it again answers that import — its results, and its passwords if not yet taken.
        const seenBefore = v.rows.some((r) => r.issues.some((i) => i.reason.includes('already a user')));
        if (v.validRows === 0 && !seenBefore)
          throw new Error('no row can be created: fix the file and run again');
        if (v.invalidRows > 0)
          note(`The ${v.invalidRows} rows with problems will be reported as failed; the others are created.`);

        const started = await api.upload<UserImport>(
          url,
          { mode: 'create', usageLocation: location, fileName },
          file,
          'text/csv',
          { 'ms-requestid': randomUUID() },
        );
        if (started.status === 200)
          note('This file was already imported for this location: following that import.');
        const importUrl = `${url}/${started.body.id}`;
        note(`Import ${started.body.id}`);
        const done = await follow(api, importUrl, started.body);
        out(`${done.state}: ${done.created} created, ${done.failed} failed of ${done.totalRows}`);

        const base = file.replace(/\.csv$/i, '');
        const results = await saveCsvExport(await api.stream(`${importUrl}/results.csv`), {
          output: opts.results ?? `${base}.results.csv`,
          fallbackName: `${base}.results.csv`,
          what: 'results',
        });
        out(`Results: ${results.file}`);
        if (done.passwordsAvailable) {
          const target = opts.passwords ?? `${base}.passwords.csv`;
          const saved = await saveCsvExport(await api.stream(`${importUrl}/passwords.csv`), {
            output: target,
            fallbackName: target,
            what: 'passwords',
            mode: 0o600,
          });
          out(`Temporary passwords: ${saved.file} (${saved.rows}); they cannot be downloaded again.`);
        } else note('The temporary passwords of this import were already downloaded.');
        if (done.state !== 'completed' || done.failed > 0) process.exitCode = 1;
      });
    },
  );
}
