// Operator tasks: `partnerdesk partner create|list` and `partnerdesk partner users list|reset-password`.
// They run against the store directly (owner connection), not over the API: the operator is not a partner
// user. Every option can also come from the environment variable named in its help.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Config } from '../config.ts';
import type { Store } from '../db/database.ts';
import { systemClock } from '../lib/clock.ts';
import { createInstanceService } from '../modules/instances/instances.ts';
import type { PartnersService } from '../modules/partners/partners.service.ts';
import { PARTNER_KINDS } from '../modules/partners/partners.kinds.ts';
import type { StoreOptions } from './common.ts';
import { fail, out, storeOptions, table, withCliStore } from './common.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The partners service on an open store, for the operator's commands. */
export async function partnersService(store: Store, config: Config): Promise<PartnersService> {
  const { createPartnersService } = await import('../modules/partners/partners.service.ts');
  return createPartnersService({
    db: store.app,
    owner: store.owner,
    config,
    clock: systemClock,
    instances: createInstanceService(config),
  });
}

/** Runs `fn` with the partners service on the store the options name; failures are one line, exit 1. */
function withPartners(opts: StoreOptions, fn: (partners: PartnersService) => Promise<void>): Promise<void> {
  return withCliStore(opts, async (store, config) => fn(await partnersService(store, config)));
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') fail(new Error(`${flag} is required`));
  return value;
}

/** A partner named by its id or exact name. */
export async function resolvePartner(partners: PartnersService, idOrName: string) {
  const byId = UUID.test(idOrName) ? await partners.findPartnerById(idOrName) : undefined;
  const partner = byId ?? (await partners.findPartnerByName(idOrName));
  if (!partner) throw new Error(`no partner with id or name "${idOrName}"`);
  return partner;
}

export function registerPartnerCommands(program: Command): void {
  const partner = program
    .command('partner')
    .description('operator tasks: register partner organisations and look after their users');

  storeOptions(
    partner
      .command('create')
      .description('register a partner and its first Global admin (prints a one-time temporary password)')
      .addOption(new Option('--name <name>', 'partner name').env('PARTNERDESK_PARTNER_NAME'))
      .addOption(
        new Option('--country <cc>', 'country, ISO 3166 alpha-2 (e.g. US)').env(
          'PARTNERDESK_PARTNER_COUNTRY',
        ),
      )
      .addOption(
        new Option('--instance <instance>', 'cloud instance: global, usgov or germany').env(
          'PARTNERDESK_PARTNER_INSTANCE',
        ),
      )
      .addOption(
        new Option('--kind <kind>', `partner kind: ${PARTNER_KINDS.join(', ')}`).env(
          'PARTNERDESK_PARTNER_KIND',
        ),
      )
      .addOption(
        new Option('--admin-email <email>', "the Global admin's email (their user name)").env(
          'PARTNERDESK_ADMIN_EMAIL',
        ),
      )
      .addOption(
        new Option('--admin-name <name>', "the Global admin's display name").env('PARTNERDESK_ADMIN_NAME'),
      ),
  ).action(
    async (
      opts: StoreOptions & {
        name?: string;
        country?: string;
        instance?: string;
        kind?: string;
        adminEmail?: string;
        adminName?: string;
      },
    ) => {
      const input = {
        name: required(opts.name, '--name'),
        country: required(opts.country, '--country'),
        instance: required(opts.instance, '--instance'),
        kind: required(opts.kind, '--kind'),
        adminEmail: required(opts.adminEmail, '--admin-email'),
        ...(opts.adminName !== undefined ? { adminDisplayName: opts.adminName } : {}),
      };
      await withPartners(opts, async (partners) => {
        const created = await partners.createPartner(input);
        out(`Partner created: ${created.partner.name}`);
        out(`Partner ID: ${created.partner.id}`);
        out(
          `Instance: ${created.partner.instance.id}   Kind: ${created.partner.kind}   Country: ${created.partner.country}`,
        );
        out(`Global admin: ${created.admin.userName}`);
        out(`Temporary password: ${created.temporaryPassword}`);
        out('The temporary password is shown only this once; it must be changed at first sign-in.');
      });
    },
  );

  storeOptions(partner.command('list').description('list every partner of this installation')).action(
    async (opts: StoreOptions) => {
      await withPartners(opts, async (partners) => {
        const list = await partners.listPartners();
        if (list.length === 0) {
          out('No partners yet. Register one with `partnerdesk partner create`.');
          return;
        }
        table([
          ['ID', 'NAME', 'INSTANCE', 'KIND', 'COUNTRY', 'STATE'],
          ...list.map((p) => [p.id, p.name, p.instance.id, p.kind, p.country, p.state]),
        ]);
      });
    },
  );

  const users = partner.command('users').description("a partner's users");

  storeOptions(
    users
      .command('list')
      .description("list a partner's users")
      .addOption(new Option('--partner <id|name>', 'partner id or exact name').env('PARTNERDESK_PARTNER')),
  ).action(async (opts: StoreOptions & { partner?: string }) => {
    const which = required(opts.partner, '--partner');
    await withPartners(opts, async (partners) => {
      const p = await resolvePartner(partners, which);
      const list = await partners.listPartnerUsers(p.id);
      out(`${p.name} (${p.id}): ${list.length} user${list.length === 1 ? '' : 's'}`);
      table([
        ['USER NAME', 'DISPLAY NAME', 'ROLES', 'STATE', 'MUST CHANGE PASSWORD'],
        ...list.map((u) => [
          u.userName,
          u.displayName,
          u.roles.join(','),
          u.lockedUntil ? `${u.state} (locked)` : u.state,
          u.mustChangePassword ? 'yes' : 'no',
        ]),
      ]);
    });
  });

  storeOptions(
    users
      .command('reset-password')
      .description('give a partner user a new temporary password (ends their sessions, clears a lockout)')
      .addOption(
        new Option('--user <email>', 'the user whose password to reset').env('PARTNERDESK_RESET_USER'),
      ),
  ).action(async (opts: StoreOptions & { user?: string }) => {
    const userName = required(opts.user, '--user');
    await withPartners(opts, async (partners) => {
      const found = await partners.findUserPartner(userName);
      if (!found) throw new Error(`no partner user "${userName}"`);
      const reset = await partners.resetPartnerUserPassword(found.partnerId, userName);
      out(`User: ${reset.userName}`);
      out(`Temporary password: ${reset.temporaryPassword}`);
      out('The temporary password is shown only this once; it must be changed at next sign-in.');
    });
  });
}
