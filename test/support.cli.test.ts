// `partnerdesk support …` run as a child process against a real Partnerdesk listening on a free port (its clock
// a test clock, so a request can be made overdue and a closed one too old to reopen). A Helpdesk agent lists the
// topics, opens requests (a description from a file, log and image files attached; a file that cannot be
// attached refused before anything is sent, one the API refuses named by its file), lists them (filters,
// OVERDUE, every page), shows one with its files and timeline, adds a note (the first response), closes and
// reopens it, attaches and downloads files. Refusals are one line with the API's code, exit code 1; a Sales agent
// only reads, and another partner sees nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { buildApp } from '../src/app.ts';
import { testClock } from './helpers/app.ts';
import { runApiCli } from './helpers/child.ts';
import { createTestStore } from './helpers/db.ts';
import type { TestPartner, TestUser } from './helpers/factories.ts';
import { createPartnerWithAdmin, createUser } from './helpers/factories.ts';
import type { TestCatalog } from './helpers/offers.ts';
import { insertReadyCustomer, insertTestCatalog, subscribe } from './helpers/offers.ts';

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const HOUR = 3600_000;
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('a tiny image, as far as the check can tell'),
]);
/** The most bytes a file may have here (SUPPORT_ATTACHMENT_MAX_BYTES), so a larger one is cheap to make. */
const MAX_BYTES = 4096;

// Each run is a fresh node process: a test of several runs takes a while on a busy machine.
describe('partnerdesk support (CLI over the API)', { timeout: 120_000 }, () => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let app: App;
  let url: string;
  let tmp: string;
  let catalog: TestCatalog;
  let partner: { partner: TestPartner; admin: TestUser };
  let other: { partner: TestPartner; admin: TestUser };
  let helpdesk: TestUser;
  let sales: TestUser;
  let customer: { id: string; name: string; domain: string };
  let second: { id: string; name: string; domain: string };
  let suite: string;
  const clock = testClock();

  const asHelpdesk = (args: string[], env: Record<string, string> = {}, input?: string) =>
    runApiCli(['support', ...args], { cwd: tmp, url, token: helpdesk.token, env, input });
  const asSales = (args: string[]) => runApiCli(['support', ...args], { cwd: tmp, url, token: sales.token });
  const asOther = (args: string[]) =>
    runApiCli(['support', ...args], { cwd: tmp, url, token: other.admin.token });
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const requestCount = async () =>
    Number(
      (
        await t.store.owner
          .selectFrom('service_requests')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('partner_id', '=', partner.partner.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const contact = [
    '--contact-first-name',
    'Avery',
    '--contact-last-name',
    'Chen',
    '--contact-email',
    'avery.chen@adatum.example',
  ];
  /** A request made with the fewest options; answers its reference number. */
  async function create(args: string[]): Promise<string> {
    const run = await asHelpdesk([
      'create',
      '--customer',
      customer.id,
      '--topic',
      'other',
      ...contact,
      ...args,
    ]);
    expect(run.code, run.stderr).toBe(0);
    return /Service request (SR-\d{6}) created/.exec(run.stdout)![1]!;
  }
  const rowOf = (stdout: string, reference: string) =>
    stdout.split('\n').find((l) => l.startsWith(`${reference} `)) ?? '';

  beforeAll(async () => {
    t = await createTestStore({ SUPPORT_ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
    app = await buildApp({ config: t.config, store: t.store, clock, logger: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    catalog = await insertTestCatalog(t.store);
    partner = await createPartnerWithAdmin(t.store, { name: `Support Reseller ${Date.now()}` });
    other = await createPartnerWithAdmin(t.store, { name: `Other Reseller ${Date.now()}` });
    helpdesk = await createUser(t.store, partner.partner.id, {
      roles: ['helpdeskAgent'],
      displayName: 'Harper Helpdesk',
    });
    sales = await createUser(t.store, partner.partner.id, { roles: ['salesAgent'] });
    customer = await insertReadyCustomer(t.store, partner.partner.id, { name: 'Adatum Corporation' });
    second = await insertReadyCustomer(t.store, partner.partner.id, { name: 'Fourth Coffee' });
    suite = await subscribe(app, partner.admin.token, customer.id, catalog.suite, 10);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerdesk-support-'));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('topics: what a request can be about, with the ids create takes', async () => {
    const run = await asHelpdesk(['topics']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^TOPIC\s+NAME\s+DESCRIPTION\n/);
    expect(run.stdout).toMatch(/\nazure\s+Azure services\s+Problems with an Azure subscription/);
    const json = await asHelpdesk(['topics', '--json']);
    const topics = JSON.parse(json.stdout) as { id: string }[];
    expect(topics.map((x) => x.id)).toContain('identity');
    expect(topics).toHaveLength(9);
  });

  let first: string;
  let firstId: string;

  it('create: a critical request with a description file and two files; prints its number, id and due time', async () => {
    const description = write('problem.txt', 'Since 9:00 no till accepts a password.\nAll three shops.\n');
    const log = write('till.log', '09:00:12 ERROR sign-in refused for till-1\n');
    const image = write('screen.png', PNG);
    const run = await asHelpdesk([
      'create',
      '--customer',
      customer.domain,
      '--title',
      'Tills cannot sign in',
      '--description-file',
      description,
      '--severity',
      'critical',
      '--topic',
      'Identity and access',
      '--subscription',
      suite,
      ...contact,
      '--contact-phone',
      '+1 425 555 0100',
      '--attach',
      log,
      '--attach',
      image,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const m = new RegExp(
      `^Service request (SR-\\d{6}) created \\(id (${GUID})\\): Tills cannot sign in\\n`,
    ).exec(run.stdout);
    expect(m, run.stdout).not.toBeNull();
    first = m![1]!;
    firstId = m![2]!;
    expect(first).toBe('SR-000001');
    const due = new Date(clock.now().getTime() + 2 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
    expect(run.stdout).toContain(`Adatum Corporation, critical: first response due ${due} UTC (within 2 h).`);
    expect(run.stdout).toMatch(new RegExp(`\\nAttached till\\.log \\(42 bytes\\): ${GUID}\\n`));
    expect(run.stdout).toMatch(new RegExp(`\\nAttached screen\\.png \\(50 bytes\\): ${GUID}\\n`));
    expect(run.stderr).toMatch(
      /^Request id: \S+ \(if this run fails without an answer, re-run with --request-id/,
    );

    const json = JSON.parse((await asHelpdesk(['show', firstId, '--json'])).stdout) as {
      description: string;
      supportTopicId: string;
      subscriptionId: string;
      primaryContact: { phoneNumber: string };
      fileLinks: { fileName: string; contentType: string }[];
    };
    // The file's last line break is no part of the text.
    expect(json.description).toBe('Since 9:00 no till accepts a password.\nAll three shops.');
    expect(json.supportTopicId).toBe('identity');
    expect(json.subscriptionId).toBe(suite);
    expect(json.primaryContact.phoneNumber).toBe('+1 425 555 0100');
    expect(json.fileLinks.map((f) => [f.fileName, f.contentType]).sort()).toEqual([
      ['screen.png', 'image/png'],
      ['till.log', 'text/plain'],
    ]);
  });

  it('create: what is missing, a file that cannot be attached, an unknown topic — refused before sending', async () => {
    const before = await requestCount();
    const missing = await asHelpdesk(['create', '--customer', customer.id]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'partnerdesk: missing --title, --severity, --topic, --contact-first-name, --contact-last-name, ' +
        '--contact-email, --description or --description-file\n',
    );
    const page = write('page.html', '<script>alert(1)</script>');
    const html = await asHelpdesk([
      'create',
      '--customer',
      customer.id,
      '--title',
      'x',
      '--description',
      'x',
      '--severity',
      'minimal',
      '--topic',
      'other',
      ...contact,
      '--attach',
      page,
    ]);
    expect(html.code).toBe(1);
    expect(html.stderr).toMatch(
      /partnerdesk: .*page\.html cannot be attached: \.html files are not allowed; allowed: \.png .*\.eml\n$/,
    );
    const topic = await asHelpdesk([
      'create',
      '--customer',
      customer.id,
      '--title',
      'x',
      '--description',
      'x',
      '--severity',
      'minimal',
      '--topic',
      'printers',
      ...contact,
    ]);
    expect(topic.code).toBe(1);
    expect(topic.stderr).toMatch(/--topic "printers" is not a support topic; one of: billing, .*, other/);
    const severity = await asHelpdesk([
      'create',
      '--customer',
      customer.id,
      '--title',
      'x',
      '--description',
      'x',
      '--severity',
      'urgent',
      '--topic',
      'other',
      ...contact,
    ]);
    expect(severity.code).toBe(1);
    expect(severity.stderr).toContain('--severity takes critical, moderate, minimal, not "urgent"');
    expect(await requestCount()).toBe(before);
  });

  it("create: the API's refusal of a file names the file, with the code", async () => {
    const fake = write('fake.png', 'not an image at all');
    const run = await asHelpdesk([
      'create',
      '--customer',
      customer.id,
      '--title',
      'Printer offline',
      '--description',
      'x',
      '--severity',
      'minimal',
      '--topic',
      'other',
      ...contact,
      '--attach',
      fake,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /\npartnerdesk: .*\(attachments\[0\]\.content \(fake\.png\): is not a PNG image\) \[attachmentNotAllowed 101404\]\n$/,
    );
  });

  let moderate: string;

  it('list: a table with the due time, and how many of how many', async () => {
    // A minute apart, so newest first is one order.
    clock.advance(60_000);
    moderate = await create(['--title', 'Mailbox full', '--description', 'x', '--severity', 'moderate']);
    clock.advance(60_000);
    const other = await asHelpdesk([
      'create',
      '--customer',
      second.domain,
      '--title',
      'VPN drops every hour',
      '--description',
      'x',
      '--severity',
      'minimal',
      '--topic',
      'other',
      ...contact,
    ]);
    expect(other.code, other.stderr).toBe(0);

    const run = await asHelpdesk(['list']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^REFERENCE\s+SEVERITY\s+STATUS\s+OVERDUE\s+CUSTOMER\s+TITLE\s+FIRST RESPONSE DUE$/,
    );
    expect(rowOf(run.stdout, first)).toMatch(
      /^SR-000001\s+critical\s+open\s+Adatum Corporation\s+Tills cannot sign in\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('3 of 3');
  });

  it('list: OVERDUE once the target passed, and only those with --overdue', async () => {
    // Three hours on: the critical one is past its two hours, the moderate one not yet past its four.
    clock.advance(3 * HOUR);
    const later = await asHelpdesk(['list']);
    expect(rowOf(later.stdout, first)).toMatch(/^SR-000001\s+critical\s+open\s+OVERDUE\s+Adatum Corporation/);
    expect(rowOf(later.stdout, moderate)).not.toContain('OVERDUE');
    const overdue = await asHelpdesk(['list', '--overdue', '--json']);
    expect(
      (JSON.parse(overdue.stdout) as { referenceNumber: string }[]).map((r) => r.referenceNumber),
    ).toEqual([first]);
  });

  it('list: by customer, severity and search; options from their variables', async () => {
    const byCustomer = await asHelpdesk(['list', '--customer', second.domain]);
    expect(byCustomer.stdout).toMatch(
      /\nSR-000003\s+minimal\s+open\s+Fourth Coffee\s+VPN drops every hour\s/,
    );
    expect(byCustomer.stdout.trimEnd().split('\n').at(-1)).toBe('1 of 1');
    const bySeverity = await asHelpdesk(['list', '--severity', 'critical,moderate', '--json']);
    expect((JSON.parse(bySeverity.stdout) as unknown[]).length).toBe(2);
    const bySearch = await asHelpdesk(['list', '--search', 'mailbox']);
    expect(bySearch.stdout.trimEnd().split('\n').at(-1)).toBe('1 of 1');
    // The variable behind an option works like the option.
    const closed = await asHelpdesk(['list'], { PARTNERDESK_SUPPORT_STATUS: 'closed' });
    expect(closed.stdout).toBe('No service requests.\n0 of 0\n');
  });

  it('list: a page at a time, or every page with --all; bad options refused before asking', async () => {
    const onePage = await asHelpdesk(['list', '--size', '1']);
    expect(onePage.stdout.trimEnd().split('\n').at(-1)).toBe('1 of 3');
    expect(onePage.stderr).toContain('More: add --all for every page.');
    const every = await asHelpdesk(['list', '--size', '1', '--all', '--json']);
    expect((JSON.parse(every.stdout) as { referenceNumber: string }[]).map((r) => r.referenceNumber)).toEqual(
      ['SR-000003', 'SR-000002', 'SR-000001'],
    );

    for (const [args, message] of [
      [['--status', 'pending'], '--status takes open, attentionNeeded, closed, not "pending"'],
      [['--assigned-to', 'harper'], '--assigned-to takes me, unassigned or a partner user id, not "harper"'],
      [['--size', '0'], '--size must be a whole number from 1 to 1000, not "0"'],
    ] as const) {
      const bad = await asHelpdesk(['list', ...args]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe(`partnerdesk: ${message}\n`);
    }
  });

  it('show: details, files and the timeline; by reference number in any form', async () => {
    const run = await asHelpdesk(['show', 'sr-1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^Service request:\\s+SR-000001 \\(${firstId}\\)\\nTitle:\\s+Tills cannot sign in\\n`),
    );
    expect(run.stdout).toMatch(new RegExp(`\\nCustomer:\\s+Adatum Corporation \\(${customer.id}\\)\\n`));
    expect(run.stdout).toMatch(/\nSeverity:\s+critical \(first response within 2 h\)\n/);
    expect(run.stdout).toMatch(/\nFirst response:\s+due \d{4}-\d\d-\d\d \d\d:\d\d UTC — OVERDUE\n/);
    expect(run.stdout).toMatch(/\nTopic:\s+Identity and access \(identity\)\n/);
    expect(run.stdout).toMatch(/\nContact:\s+Avery Chen <avery\.chen@adatum\.example>, \+1 425 555 0100\n/);
    expect(run.stdout).toMatch(/\nAssigned to:\s+nobody\n/);
    expect(run.stdout).toContain(
      '\nDescription:\n  Since 9:00 no till accepts a password.\n  All three shops.\n',
    );
    expect(run.stdout).toMatch(/\nAttachments \(2\):\n {2}ATTACHMENT ID\s+FILE\s+TYPE\s+SIZE\s+ADDED\s+BY\n/);
    expect(run.stdout).toMatch(
      new RegExp(
        `\\n  ${GUID}\\s+till\\.log\\s+text/plain\\s+42 bytes\\s+\\d{4}-.* UTC\\s+Harper Helpdesk\\n`,
      ),
    );
    expect(run.stdout).toMatch(
      /\nTimeline:\n {2}\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+Harper Helpdesk\s+created the request\n/,
    );

    const padded = await asHelpdesk(['show', 'SR-000001', '--json']);
    expect(JSON.parse(padded.stdout)).toMatchObject({ id: firstId, isOverdue: true });
  });

  it('note: the first response (no longer overdue), from an option or from stdin', async () => {
    const run = await asHelpdesk(
      ['note', first, '--text-file', '-'],
      {},
      'Looking into it.\nThe sign-in service shows errors.\n',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('Note added to SR-000001 (open, 1 note).\n');
    const shown = await asHelpdesk(['show', first]);
    expect(shown.stdout).toMatch(/\nFirst response:\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC \(due .*\)\n/);
    expect(shown.stdout).toMatch(
      /\n {2}\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+Harper Helpdesk\s+added a note:\n {6}Looking into it\.\n {6}The sign-in service shows errors\.\n/,
    );
    expect((await asHelpdesk(['list', '--overdue'])).stdout).toBe('No service requests.\n0 of 0\n');

    const both = await asHelpdesk(['note', first, '--text', 'a', '--text-file', 'b.txt']);
    expect(both.stderr).toBe('partnerdesk: give --text or --text-file, not both\n');
    const none = await asHelpdesk(['note', first]);
    expect(none.stderr).toBe('partnerdesk: give --text "…" or --text-file <file>\n');
  });

  it('close, then reopen within the window; a closed request takes nothing else', async () => {
    const closed = await asHelpdesk(['close', first, '--note', 'Fixed: the policy was rolled back.']);
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toBe('Closed SR-000001: Tills cannot sign in\n');
    expect(closed.stderr).toContain('partnerdesk support reopen SR-000001');
    const list = await asHelpdesk(['list', '--status', 'closed']);
    expect(rowOf(list.stdout, first)).toMatch(
      /^SR-000001\s+critical\s+closed\s+Adatum Corporation\s+.*\s+—$/,
    );

    const noted = await asHelpdesk(['note', first, '--text', 'one more thing']);
    expect(noted.code).toBe(1);
    expect(noted.stderr).toMatch(/\[serviceRequestClosed 101402\]\n$/);
    const file = write('late.txt', 'late');
    const attached = await asHelpdesk(['attach', first, file]);
    expect(attached.code).toBe(1);
    expect(attached.stderr).toMatch(/\[serviceRequestClosed 101402\]\n$/);

    clock.advance(HOUR);
    const reopened = await asHelpdesk(['reopen', 'sr-1', '--note', 'It happened again.']);
    expect(reopened.code, reopened.stderr).toBe(0);
    const due = new Date(clock.now().getTime() + 2 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
    expect(reopened.stdout).toBe(`Reopened SR-000001: first response due ${due} UTC (reopened 1 time).\n`);
    const shown = await asHelpdesk(['show', first]);
    expect(shown.stdout).toMatch(/\nStatus:\s+open\n/);
    expect(shown.stdout).toMatch(/\nReopened:\s+1 time, last closed \d{4}-.* UTC\n/);
    expect(shown.stdout).toMatch(/Harper Helpdesk\s+status closed → open\n/);
  });

  it('reopen: refused once the window has passed', async () => {
    const old = await create(['--title', 'Old problem', '--description', 'x', '--severity', 'minimal']);
    expect((await asHelpdesk(['close', old])).code).toBe(0);
    clock.advance(31 * 24 * HOUR);
    const run = await asHelpdesk(['reopen', old]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\[serviceRequestReopenExpired 101403\]\n$/);
  });

  it('attach: files streamed as they are; a file the API refuses or one too large stops with its code', async () => {
    const csv = write('tills.csv', 'till,status\ntill-1,down\n');
    const log = write('more.log', 'more\n');
    const run = await asHelpdesk(['attach', 'SR-1', csv, log]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^Attached tills\\.csv \\(24 bytes\\) to SR-000001: ${GUID}\\nAttached more\\.log \\(5 bytes\\) to SR-000001: ${GUID}\\n$`,
      ),
    );
    const binary = write('binary.txt', Buffer.from([0x41, 0x00, 0x42]));
    const refused = await asHelpdesk(['attach', first, binary]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\(content: is not UTF-8 text\) \[attachmentNotAllowed 101404\]\n$/);
    const big = write('big.log', 'x'.repeat(MAX_BYTES + 100));
    const tooLarge = await asHelpdesk(['attach', first, big]);
    expect(tooLarge.code).toBe(1);
    expect(tooLarge.stderr).toMatch(/\[attachmentTooLarge 101405\]\n$/);
    const script = write('run.js', 'alert(1)');
    const local = await asHelpdesk(['attach', first, csv, script]);
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/run\.js cannot be attached: \.js files are not allowed/);
    expect(local.stdout).toBe('');
  });

  it('download: the file under its own name (never over a file already there), or --output, or stdout; byte for byte', async () => {
    const r = JSON.parse((await asHelpdesk(['show', first, '--json'])).stdout) as {
      fileLinks: { id: string; fileName: string }[];
    };
    const image = r.fileLinks.find((f) => f.fileName === 'screen.png')!;
    const dir = fs.mkdtempSync(path.join(tmp, 'download-'));
    const run = await runApiCli(['support', 'download', first, image.id], {
      cwd: dir,
      url,
      token: helpdesk.token,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Saved screen.png (50 bytes) to screen.png\n`);
    expect(fs.readFileSync(path.join(dir, 'screen.png')).equals(PNG)).toBe(true);

    const log = r.fileLinks.find((f) => f.fileName === 'till.log')!;
    const copied = await asHelpdesk(['download', first, log.id, '--output', path.join(tmp, 'copy.log')]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(fs.readFileSync(path.join(tmp, 'copy.log'), 'utf8')).toBe(
      '09:00:12 ERROR sign-in refused for till-1\n',
    );
    const piped = await asHelpdesk(['download', first, log.id, '--output', '-']);
    expect(piped.stdout).toBe('09:00:12 ERROR sign-in refused for till-1\n');

    // The name is the uploader's: a file of that name here is kept, unless --force or --output names it.
    fs.writeFileSync(path.join(dir, 'screen.png'), 'mine');
    const again = await runApiCli(['support', 'download', first, image.id], {
      cwd: dir,
      url,
      token: helpdesk.token,
    });
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      'partnerdesk: screen.png exists already; name another file with --output, or replace it with --force\n',
    );
    expect(fs.readFileSync(path.join(dir, 'screen.png'), 'utf8')).toBe('mine');
    expect(fs.readdirSync(dir)).toEqual(['screen.png']);
    const forced = await runApiCli(['support', 'download', first, image.id, '--force'], {
      cwd: dir,
      url,
      token: helpdesk.token,
    });
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'screen.png')).equals(PNG)).toBe(true);
    fs.writeFileSync(path.join(dir, 'screen.png'), 'mine');
    const named = await runApiCli(['support', 'download', first, image.id, '--output', 'screen.png'], {
      cwd: dir,
      url,
      token: helpdesk.token,
    });
    expect(named.code, named.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'screen.png')).equals(PNG)).toBe(true);

    const missing = await asHelpdesk(['download', first, '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\[attachmentNotFound 101407\]\n$/);
  });

  it('a request that is not yours is not found; a Sales agent reads but cannot write', async () => {
    const unknown = await asHelpdesk(['show', 'SR-999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^partnerdesk: .*\[serviceRequestNotFound 101401\]\n$/);
    const stranger = await asOther(['show', firstId]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/\[serviceRequestNotFound 101401\]\n$/);
    expect((await asOther(['list'])).stdout).toBe('No service requests.\n0 of 0\n');

    const read = await asSales(['show', first]);
    expect(read.code, read.stderr).toBe(0);
    const write = await asSales(['note', first, '--text', 'hello']);
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/\[forbidden \d+\]\n$/);
  });
});
