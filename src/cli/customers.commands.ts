// The partner's everyday customer tasks over the API: `partnerdesk customers list|show|create|export|invite|
// remove-relationship`, against a running Partnerdesk (--url) as a partner user (--token, or --user and
// --password). Every option can also come from the environment variable named in its help. Answers go to
// stdout; notices, progress and errors to stderr, so the output can be piped.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Api, ApiOptions } from './api.ts';
import { apiOptions, connectApi, flagValue } from './api.ts';
import { env, fail, note, out, table } from './common.ts';
import { saveCsvExport } from './export.ts';

// ── API shapes the commands read (a subset of the API's) ──

interface Address {
  country: string;
  city: string;
  state: string | null;
  addressLine1: string;
  addressLine2: string | null;
  postalCode: string | null;
  firstName: string | null;
  lastName: string | null;
  phoneNumber: string | null;
}

interface Customer {
  id: string;
  companyProfile: {
    tenantId: string;
    domain: string;
    companyName: string;
    organizationRegistrationNumber: string | null;
  };
  billingProfile: {
    firstName: string;
    lastName: string;
    email: string;
    culture: string;
    language: string;
    companyName: string;
    defaultAddress: Address;
  };
  relationshipToPartner: string;
  allowDelegatedAccess: boolean;
  customDomains: string[];
  instance: string;
  customerAgreement: { confirmed: boolean; dateAgreed: string | null };
  createdAt: string;
  relationshipEstablishedAt: string;
  attributes: { etag: string };
}

interface CreatedCustomer extends Customer {
  userCredentials: { userName: string; password: string };
}

interface Collection<T> {
  totalCount: number;
  items: T[];
  links: { next?: { uri: string } };
}

interface Agreement {
  primaryContact: { firstName: string; lastName: string; email: string; phoneNumber: string | null };
  dateAgreed: string;
  confirmedBy: string;
}

interface RelationshipRequest {
  id: string;
  url: string;
  includeDelegatedAdminPrivileges: boolean;
  expiresAt: string;
  emailText: { subject: string; body: string };
}

interface RemovalCheck {
  canRemove: boolean;
  blockers: { code: string | number; description: string; fix: string }[];
}

// ── helpers ──

const relationshipLabel = (c: Customer) => (c.relationshipToPartner === 'reseller' ? 'Reseller' : 'None');
const yesNo = (b: boolean) => (b ? 'yes' : 'no');
const LIST_HEADER = ['COMPANY NAME', 'DOMAIN', 'RELATIONSHIP', 'DAP', 'ID'];
const listRow = (c: Customer) => [
  c.billingProfile.companyName,
  c.companyProfile.domain,
  relationshipLabel(c),
  yesNo(c.allowDelegatedAccess),
  c.id,
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function customerId(raw: string): string {
  if (!UUID.test(raw.trim())) throw new Error(`"${raw}" is not a customer id (a GUID like 3f2b…-…)`);
  return raw.trim().toLowerCase();
}

/** One line of an answer from stdin (a confirmation); '' when stdin ends first. */
function readLine(): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl >= 0) done(text.slice(0, nl));
    };
    const onEnd = () => done(text);
    const done = (line: string) => {
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.pause();
      resolve(line.trim());
    };
    process.stdin.on('data', onData);
    process.stdin.on('end', onEnd);
    process.stdin.resume();
  });
}

// ── create: options → POST /v1/customers body ──

interface CreateOptions extends ApiOptions {
  file?: string;
  requestId?: string;
  company?: string;
  domainPrefix?: string;
  email?: string;
  culture?: string;
  language?: string;
  country?: string;
  city?: string;
  state?: string;
  addressLine1?: string;
  addressLine2?: string;
  postalCode?: string;
  contactFirstName?: string;
  contactLastName?: string;
  phone?: string;
  registrationNumber?: string;
  agreementSignerFirstName?: string;
  agreementSignerLastName?: string;
  agreementSignerEmail?: string;
  agreementDate?: string;
}

/** [flag, option key, description, environment variable suffix, required] */
const CREATE_FIELDS: [string, keyof CreateOptions, string, string, boolean][] = [
  ['--company <name>', 'company', 'registered company name (the name your list shows)', 'COMPANY', true],
  [
    '--domain-prefix <prefix>',
    'domainPrefix',
    'primary domain prefix: letters and digits, 1–27, starting with a letter (your instance suffix is added)',
    'DOMAIN_PREFIX',
    true,
  ],
  ['--email <email>', 'email', 'billing email', 'EMAIL', true],
  ['--culture <culture>', 'culture', 'culture, e.g. en-US', 'CULTURE', true],
  ['--language <code>', 'language', 'two-letter language, e.g. en', 'LANGUAGE', true],
  ['--country <cc>', 'country', 'country, ISO 3166 alpha-2 (e.g. US)', 'COUNTRY', true],
  ['--city <city>', 'city', 'city', 'CITY', true],
  ['--state <state>', 'state', 'state or province code (required in US, CA, MX, CN)', 'STATE', false],
  ['--address-line1 <text>', 'addressLine1', 'address line 1', 'ADDRESS_LINE1', true],
  ['--address-line2 <text>', 'addressLine2', 'address line 2', 'ADDRESS_LINE2', false],
  ['--postal-code <code>', 'postalCode', 'postal code in the country’s format', 'POSTAL_CODE', false],
  [
    '--contact-first-name <name>',
    'contactFirstName',
    'primary contact first name',
    'CONTACT_FIRST_NAME',
    true,
  ],
  ['--contact-last-name <name>', 'contactLastName', 'primary contact last name', 'CONTACT_LAST_NAME', true],
  [
    '--phone <number>',
    'phone',
    'phone (required in AM, AZ, BY, HU, KZ, KG, MD, RU, TJ, UZ, UA)',
    'PHONE',
    false,
  ],
  [
    '--registration-number <number>',
    'registrationNumber',
    'company registration number (required in AM, AZ, BY, HU, KZ, KG, MD, RU, TJ, UZ, UA; refused elsewhere)',
    'REGISTRATION_NUMBER',
    false,
  ],
  [
    '--agreement-signer-first-name <name>',
    'agreementSignerFirstName',
    'customer agreement: signer first name',
    'AGREEMENT_SIGNER_FIRST_NAME',
    false,
  ],
  [
    '--agreement-signer-last-name <name>',
    'agreementSignerLastName',
    'customer agreement: signer last name',
    'AGREEMENT_SIGNER_LAST_NAME',
    false,
  ],
  [
    '--agreement-signer-email <email>',
    'agreementSignerEmail',
    'customer agreement: signer email',
    'AGREEMENT_SIGNER_EMAIL',
    false,
  ],
  [
    '--agreement-date <YYYY-MM-DD>',
    'agreementDate',
    'customer agreement: date the customer accepted it',
    'AGREEMENT_DATE',
    false,
  ],
];

const flagOf = (spec: string) => spec.split(' ')[0]!;
const AGREEMENT_KEYS: (keyof CreateOptions)[] = [
  'agreementSignerFirstName',
  'agreementSignerLastName',
  'agreementSignerEmail',
  'agreementDate',
];

async function createBody(api: Api, opts: CreateOptions, cmd: Command): Promise<unknown> {
  const given = (k: keyof CreateOptions) => {
    const v = opts[k];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  if (opts.file) {
    const typed = CREATE_FIELDS.filter(([, k]) => cmd.getOptionValueSource(k) === 'cli').map(([f]) =>
      flagOf(f),
    );
    if (typed.length > 0) throw new Error(`--file is the whole customer: drop ${typed.join(', ')}`);
    let text: string;
    try {
      text = opts.file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(opts.file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read --file ${opts.file}: ${(err as Error).message}`, { cause: err });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`--file ${opts.file} is not JSON (a POST /v1/customers body)`);
    }
  }
  const missing = CREATE_FIELDS.filter(([, k, , , required]) => required && !given(k)).map(
    ([f, , , e]) => `${flagOf(f)} (${env(`CUSTOMER_${e}`)})`,
  );
  const agreementGiven = AGREEMENT_KEYS.some((k) => given(k));
  if (agreementGiven)
    for (const [f, k, , e] of CREATE_FIELDS)
      if (AGREEMENT_KEYS.includes(k) && !given(k)) missing.push(`${flagOf(f)} (${env(`CUSTOMER_${e}`)})`);
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}; or give --file customer.json`);

  const partner = await api.get<{ instance: { domainSuffix: string } }>('/v1/profiles/partner');
  const orNull = (k: keyof CreateOptions) => given(k) ?? null;
  return {
    companyProfile: {
      domain: `${given('domainPrefix')!.toLowerCase()}.${partner.instance.domainSuffix}`,
      organizationRegistrationNumber: orNull('registrationNumber'),
    },
    billingProfile: {
      firstName: given('contactFirstName'),
      lastName: given('contactLastName'),
      email: given('email'),
      culture: given('culture'),
      language: given('language'),
      companyName: given('company'),
      defaultAddress: {
        country: given('country'),
        city: given('city'),
        state: orNull('state'),
        addressLine1: given('addressLine1'),
        addressLine2: orNull('addressLine2'),
        postalCode: orNull('postalCode'),
        firstName: given('contactFirstName'),
        lastName: given('contactLastName'),
        phoneNumber: orNull('phone'),
      },
    },
    ...(agreementGiven
      ? {
          customerAgreement: {
            firstName: given('agreementSignerFirstName'),
            lastName: given('agreementSignerLastName'),
            email: given('agreementSignerEmail'),
            dateAgreed: given('agreementDate'),
          },
        }
      : {}),
  };
}

// ── the commands ──

/** Runs a command's work with the API; any failure is one line on stderr and exit code 1. */
async function withApi(opts: ApiOptions, fn: (api: Api) => Promise<void>): Promise<void> {
  try {
    await fn(await connectApi(opts));
  } catch (err) {
    fail(err);
  }
}

export function registerCustomerCommands(program: Command): void {
  const customers = program
    .command('customers')
    .description(
      'your customers, over the API of a running Partnerdesk (--url, --token or --user/--password)',
    );

  apiOptions(
    customers
      .command('list')
      .description('list your customers: company name, domain, relationship, DAP and id')
      .addOption(new Option('--search <text>', 'company name or domain, from the start').env(env('SEARCH')))
      .addOption(
        new Option('--contains', 'match --search anywhere in the name or domain (variable: 1 or 0)').env(
          env('SEARCH_CONTAINS'),
        ),
      )
      .addOption(new Option('--sort <field>', 'name or createdAt (default: name)').env(env('SORT')))
      .addOption(new Option('--desc', 'newest or Z first (variable: 1 or 0)').env(env('DESC')))
      .addOption(new Option('--size <n>', 'customers per page, 1–1000 (default 100)').env(env('PAGE_SIZE')))
      .addOption(new Option('--all', 'every page, not just the first (variable: 1 or 0)').env(env('ALL')))
      .addOption(new Option('--json', 'print the API items as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (opts: ApiOptions & { search?: string; sort?: string; size?: string }, cmd: Command) => {
    const contains = flagValue(cmd, 'contains', env('SEARCH_CONTAINS'));
    const desc = flagValue(cmd, 'desc', env('DESC'));
    const all = flagValue(cmd, 'all', env('ALL'));
    const json = flagValue(cmd, 'json', env('JSON'));
    if (opts.size !== undefined && !/^\d+$/.test(opts.size.trim()))
      fail(new Error(`--size must be a whole number from 1 to 1000, not "${opts.size}"`));
    await withApi(opts, async (api) => {
      let page = await api.get<Collection<Customer>>('/v1/customers', {
        q: opts.search,
        match: contains ? 'contains' : undefined,
        sort: opts.sort,
        order: desc ? 'desc' : undefined,
        size: opts.size?.trim(),
      });
      const total = page.totalCount;
      let shown = 0;
      let widths: number[] | undefined;
      // Page by page, so that --all on a long list holds one page at a time.
      if (json) process.stdout.write('[');
      for (;;) {
        if (json) {
          const text = page.items.map((c) => JSON.stringify(c, null, 2)).join(',\n');
          if (text) process.stdout.write(`${shown > 0 ? ',\n' : '\n'}${text}`);
        } else if (page.items.length > 0) {
          const rows = page.items.map(listRow);
          widths = table(widths ? rows : [LIST_HEADER, ...rows], widths);
        }
        shown += page.items.length;
        const next = page.links.next?.uri;
        if (!all || !next) {
          if (json) process.stdout.write(shown > 0 ? '\n]\n' : ']\n');
          else {
            if (total === 0) out('No customers.');
            out(`${shown} of ${total}`);
            if (next) note('More: add --all for every page, or --size (up to 1000).');
          }
          return;
        }
        page = await api.get<Collection<Customer>>(next);
      }
    });
  });

  apiOptions(
    customers
      .command('show')
      .description('a customer: company and billing profiles, relationship, DAP and customer agreement')
      .argument('<customerId>', 'the customer id (Microsoft ID)')
      .addOption(new Option('--json', 'print the API resource as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (id: string, opts: ApiOptions, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    await withApi(opts, async (api) => {
      const cid = customerId(id);
      const [c, agreements] = await Promise.all([
        api.get<Customer>(`/v1/customers/${cid}`),
        api.get<Collection<Agreement>>(`/v1/customers/${cid}/agreements`),
      ]);
      if (json) {
        out(JSON.stringify({ ...c, agreements: agreements.items }, null, 2));
        return;
      }
      const b = c.billingProfile;
      const a = b.defaultAddress;
      const lines: [string, string][] = [
        ['Company name', b.companyName],
        ['Customer ID', c.id],
        ['Primary domain', c.companyProfile.domain],
        ['Other domains', c.customDomains.join(', ') || '—'],
        ['Instance', c.instance],
        ['Relationship', relationshipLabel(c)],
        ['Delegated admin (DAP)', yesNo(c.allowDelegatedAccess)],
        ['Relationship since', c.relationshipEstablishedAt],
        ['Created', c.createdAt],
        ['Registration number', c.companyProfile.organizationRegistrationNumber ?? '—'],
        ['Billing contact', `${b.firstName} ${b.lastName}`.trim() || '—'],
        ['Billing email', b.email],
        ['Culture / language', `${b.culture} / ${b.language}`],
        [
          'Address',
          [
            a.addressLine1,
            a.addressLine2,
            a.city,
            [a.state, a.postalCode].filter(Boolean).join(' '),
            a.country,
          ]
            .filter((p) => p)
            .join(', '),
        ],
        ['Primary contact', `${a.firstName ?? ''} ${a.lastName ?? ''}`.trim() || '—'],
        ['Phone', a.phoneNumber ?? '—'],
      ];
      const latest = agreements.items[0];
      lines.push([
        'Customer agreement',
        latest
          ? `confirmed ${latest.dateAgreed} by ${latest.primaryContact.firstName} ${latest.primaryContact.lastName} <${latest.primaryContact.email}>`
          : 'not confirmed (orders are refused until it is)',
      ]);
      const w = Math.max(...lines.map(([k]) => k.length));
      for (const [k, v] of lines) out(`${`${k}:`.padEnd(w + 2)}${v}`);
    });
  });

  const create = customers
    .command('create')
    .description(
      'add a customer (its tenant, profiles, first Global admin, reseller relationship with DAP); prints the ' +
        "admin's one-time temporary password",
    )
    .addOption(
      new Option(
        '--file <customer.json>',
        'a POST /v1/customers body instead of the options below (- : stdin)',
      ).env(env('CUSTOMER_FILE')),
    );
  for (const [spec, , description, e] of CREATE_FIELDS)
    create.addOption(new Option(spec, description).env(env(`CUSTOMER_${e}`)));
  create.addOption(
    new Option(
      '--request-id <id>',
      'MS-RequestId: repeat a failed run with the same id to retry it safely (default: a new one)',
    ).env(env('REQUEST_ID')),
  );
  apiOptions(create).action(async (opts: CreateOptions, cmd: Command) => {
    await withApi(opts, async (api) => {
      const body = await createBody(api, opts, cmd);
      const requestId = opts.requestId?.trim() || randomUUID();
      // Before sending: if no answer ever comes, this id retries the same creation without a second customer.
      note(
        `Request id: ${requestId} (if this run fails without an answer, re-run with --request-id ${requestId})`,
      );
      const res = await api.send<CreatedCustomer>('POST', '/v1/customers', body, {
        'ms-requestid': requestId,
      });
      const c = res.body;
      if (res.headers.get('ms-idempotent-replay') === 'true')
        note('This request id had already created the customer: its first answer is shown again.');
      out(`Customer created: ${c.billingProfile.companyName}`);
      out(`Customer ID: ${c.id}`);
      out(`Domain: ${c.companyProfile.domain}`);
      out(`Admin user name: ${c.userCredentials.userName}`);
      out(`Temporary password: ${c.userCredentials.password}`);
      out(
        'Warning: the admin user name and temporary password are not shown again; hand them over now. ' +
          'The password must be changed at first sign-in.',
      );
    });
  });

  apiOptions(
    customers
      .command('export')
      .description('export your customers as CSV (streamed, any length): to a file or stdout')
      .addOption(
        new Option('--search <text>', 'only customers whose name or domain matches').env(env('SEARCH')),
      )
      .addOption(
        new Option('--contains', 'match --search anywhere in the name or domain (variable: 1 or 0)').env(
          env('SEARCH_CONTAINS'),
        ),
      )
      .addOption(
        new Option(
          '--output <file.csv>',
          'where to write it (default: customers-<date>.csv; - : stdout)',
        ).env(env('EXPORT_OUTPUT')),
      ),
  ).action(async (opts: ApiOptions & { search?: string; output?: string }, cmd: Command) => {
    const contains = flagValue(cmd, 'contains', env('SEARCH_CONTAINS'));
    await withApi(opts, async (api) => {
      const res = await api.stream('/v1/customers/export.csv', {
        q: opts.search,
        match: contains ? 'contains' : undefined,
      });
      const { rows, file } = await saveCsvExport(res, {
        output: opts.output,
        fallbackName: `customers-${new Date().toISOString().slice(0, 10)}.csv`,
        what: 'customers',
      });
      if (!file) note(`${rows} customer${rows === 1 ? '' : 's'} exported.`);
      else out(`${rows} customer${rows === 1 ? '' : 's'} exported to ${file}`);
    });
  });

  apiOptions(
    customers
      .command('invite')
      .description('a reseller relationship invitation for an existing customer: the link and a ready email')
      .addOption(
        new Option('--dap [on|off]', 'ask for delegated admin privileges too (default: on)').env(
          env('INVITE_DAP'),
        ),
      )
      .addOption(
        new Option('--no-dap', 'ask for the reseller relationship without delegated admin privileges'),
      )
      .addOption(new Option('--json', 'print the API answer as JSON (variable: 1 or 0)').env(env('JSON'))),
  ).action(async (opts: ApiOptions & { dap?: boolean | string }, cmd: Command) => {
    const json = flagValue(cmd, 'json', env('JSON'));
    const dap =
      typeof opts.dap === 'string' ? !/^(0|false|no|off)$/i.test(opts.dap.trim()) : opts.dap !== false;
    await withApi(opts, async (api) => {
      const r = await api.get<RelationshipRequest>('/v1/customers/relationshiprequests', {
        includeDelegatedAdminPrivileges: dap,
      });
      if (json) {
        out(JSON.stringify(r, null, 2));
        return;
      }
      out(`Invitation link: ${r.url}`);
      out(`Delegated admin privileges: ${r.includeDelegatedAdminPrivileges ? 'requested' : 'not requested'}`);
      out(`Expires: ${r.expiresAt}`);
      out('');
      out(`Subject: ${r.emailText.subject}`);
      out('');
      out(r.emailText.body);
    });
  });

  apiOptions(
    customers
      .command('remove-relationship')
      .description(
        'end your reseller relationship with a customer (checks first what blocks it, and asks to confirm)',
      )
      .argument('<customerId>', 'the customer id (Microsoft ID)')
      .addOption(new Option('--yes', 'do not ask for confirmation (variable: 1 or 0)').env(env('YES'))),
  ).action(async (id: string, opts: ApiOptions, cmd: Command) => {
    const yes = flagValue(cmd, 'yes', env('YES'));
    await withApi(opts, async (api) => {
      const cid = customerId(id);
      const [customer, check] = await Promise.all([
        api.get<Customer>(`/v1/customers/${cid}`),
        api.get<RemovalCheck>(`/v1/customers/${cid}/relationship/removal-check`),
      ]);
      const name = `${customer.billingProfile.companyName} (${customer.companyProfile.domain})`;
      if (!check.canRemove) {
        out(`The relationship with ${name} cannot be removed yet:`);
        for (const b of check.blockers) {
          out(`- ${b.description}`);
          out(`  Fix: ${b.fix}`);
        }
        throw new Error(
          `${check.blockers.length} blocker${check.blockers.length === 1 ? '' : 's'}; fix them first`,
        );
      }
      if (!yes) {
        process.stderr.write(
          `Remove your reseller relationship with ${name}? It leaves your list, DAP ends, and only a new ` +
            'invitation re-establishes it. Type "yes" to confirm: ',
        );
        if (!/^(y|yes)$/i.test(await readLine())) {
          note('Nothing changed.');
          process.exitCode = 1;
          return;
        }
      }
      await api.send(
        'PATCH',
        `/v1/customers/${cid}`,
        { relationshipToPartner: 'none' },
        { 'if-match': customer.attributes.etag, 'ms-requestid': randomUUID() },
      );
      out(`Relationship removed: ${name} is no longer your customer.`);
    });
  });
}
