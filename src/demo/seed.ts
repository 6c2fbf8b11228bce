// The demo data seeded on the first start of an empty store (and by `partnerdesk seed`): two partners and a
// few Demo Reseller users, one per role, all with the published demo password. Idempotent: what exists
// (matched by user name, unique across the installation) is left as it is.
import type { Config } from '../config.ts';
import type { Store } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import type { CallerContext } from '../lib/context.ts';
import { AppError } from '../lib/errors.ts';
import type { InstanceId } from '../modules/instances/instances.ts';
import { createInstanceService } from '../modules/instances/instances.ts';
import type { AuthService } from '../modules/partners/auth.service.ts';
import { createAuthService } from '../modules/partners/auth.service.ts';
import type { PartnersService } from '../modules/partners/partners.service.ts';
import { createPartnersService } from '../modules/partners/partners.service.ts';
import type { Role } from '../modules/partners/roles.ts';

/** Published in the README and printed at start-up: for trying Partnerdesk out only. */
export const DEMO_PASSWORD = 'Partnerdesk-demo-1';
export const DEMO_ADMIN = 'admin@demo-reseller.example';

interface DemoUser {
  userName: string;
  displayName: string;
  roles: Role[];
}

interface DemoPartner {
  name: string;
  country: string;
  instance: InstanceId;
  kind: 'direct' | 'indirectProvider' | 'indirectReseller';
  admin: { userName: string; displayName: string };
  users: DemoUser[];
}

export const DEMO_PARTNERS: readonly DemoPartner[] = [
  {
    name: 'Demo Reseller',
    country: 'US',
    instance: 'global',
    kind: 'direct',
    admin: { userName: DEMO_ADMIN, displayName: 'Dana Admin' },
    users: [
      { userName: 'sales@demo-reseller.example', displayName: 'Sam Sales', roles: ['salesAgent'] },
      {
        userName: 'helpdesk@demo-reseller.example',
        displayName: 'Harper Helpdesk',
        roles: ['helpdeskAgent'],
      },
      { userName: 'billing@demo-reseller.example', displayName: 'Billie Billing', roles: ['billingAdmin'] },
      {
        userName: 'usermanagement@demo-reseller.example',
        displayName: 'Uma Usermanagement',
        roles: ['userManagementAdmin'],
      },
    ],
  },
  {
    name: 'Northwind Cloud',
    country: 'US',
    instance: 'global',
    kind: 'indirectProvider',
    admin: { userName: 'admin@northwind-cloud.example', displayName: 'Nora Northwind' },
    users: [],
  },
];

export interface SeedDeps {
  partners: Pick<
    PartnersService,
    'createPartner' | 'createUser' | 'findUserPartner' | 'findPartnerById' | 'listPartners'
  >;
  auth: Pick<AuthService, 'changePassword'>;
}

export interface SeedResult {
  created: string[];
  existing: string[];
}

/** The context of a user acting through the seed (recorded in the activity log as that user). */
function seedContext(
  partnerId: string,
  instance: InstanceId,
  user: { id: string; userName: string; roles: Role[] },
) {
  const ctx: CallerContext = {
    partnerId,
    instance,
    userId: user.id,
    userName: user.userName,
    roles: user.roles,
    // No session of its own: the id names no token, so password changes end none but this "session".
    credential: { kind: 'bearer', id: '' },
    correlationId: 'demo-seed',
  };
  return ctx;
}

const isTaken = (err: unknown) => err instanceof AppError && err.errorName === 'userNameTaken';

export async function seedDemo(deps: SeedDeps): Promise<SeedResult> {
  const { partners, auth } = deps;
  const result: SeedResult = { created: [], existing: [] };

  for (const demo of DEMO_PARTNERS) {
    let owner = await partners.findUserPartner(demo.admin.userName);
    let instance: InstanceId = demo.instance;
    if (owner) {
      const partner = await partners.findPartnerById(owner.partnerId);
      instance = partner?.instance.id ?? demo.instance;
      result.existing.push(`partner ${partner?.name ?? demo.name} (Global admin ${demo.admin.userName})`);
    } else {
      try {
        const created = await partners.createPartner(
          {
            name: demo.name,
            country: demo.country,
            instance: demo.instance,
            kind: demo.kind,
            adminEmail: demo.admin.userName,
            adminDisplayName: demo.admin.displayName,
          },
          { password: DEMO_PASSWORD, mustChangePassword: false },
        );
        owner = { partnerId: created.partner.id, userId: created.admin.id };
        result.created.push(
          `partner ${demo.name} (${created.partner.id}) with Global admin ${demo.admin.userName}`,
        );
      } catch (err) {
        // Another process seeding the same store at the same moment won the race: use its partner.
        if (!isTaken(err)) throw err;
        owner = await partners.findUserPartner(demo.admin.userName);
        if (!owner) throw err;
        result.existing.push(`partner ${demo.name} (Global admin ${demo.admin.userName})`);
      }
    }

    const adminCtx = seedContext(owner.partnerId, instance, {
      id: owner.userId,
      userName: demo.admin.userName,
      roles: ['globalAdmin'],
    });
    // Users are created one by one: each is a few password hashes, and the machine may have two cores.
    for (const user of demo.users) {
      if (await partners.findUserPartner(user.userName)) {
        result.existing.push(`user ${user.userName}`);
        continue;
      }
      let created;
      try {
        created = await partners.createUser(adminCtx, user);
      } catch (err) {
        if (!isTaken(err)) throw err;
        result.existing.push(`user ${user.userName}`);
        continue;
      }
      // New users get a one-time temporary password; the demo ones get the published password instead, set
      // the way the user would set it, so the activity log shows an ordinary history.
      const userCtx = seedContext(owner.partnerId, instance, {
        id: created.id,
        userName: created.userName,
        roles: user.roles,
      });
      await auth.changePassword(userCtx, created.temporaryPassword, DEMO_PASSWORD);
      result.created.push(`user ${user.userName} (${user.roles.join(', ')})`);
    }
  }
  return result;
}

/** Seeds the demo on a store without partners; a store that has any is left alone. */
export async function seedDemoIfEmpty(deps: SeedDeps): Promise<SeedResult | undefined> {
  if ((await deps.partners.listPartners()).length > 0) return undefined;
  return seedDemo(deps);
}

/** Is the demo admin present (so start-up should show the demo sign-in and its warning)? */
export async function demoPresent(deps: Pick<SeedDeps, 'partners'>): Promise<boolean> {
  return Boolean(await deps.partners.findUserPartner(DEMO_ADMIN));
}

/** The services the seed uses, wired on a store (for start-up and the `seed` command). */
export function seedDepsFor(store: Store, config: Config, clock: Clock = systemClock): SeedDeps {
  const instances = createInstanceService(config);
  const partners = createPartnersService({ db: store.app, owner: store.owner, config, clock, instances });
  const auth = createAuthService({ db: store.app, config, clock, profiles: partners });
  return { partners, auth };
}

/** What start-up prints while the demo sign-in works. */
export function demoBanner(): string[] {
  const others = DEMO_PARTNERS.flatMap((p) => [
    ...(p.admin.userName === DEMO_ADMIN ? [] : [p.admin.userName]),
    ...p.users.map((u) => u.userName),
  ]);
  return [
    `Demo sign-in: ${DEMO_ADMIN} / ${DEMO_PASSWORD} (Global admin of Demo Reseller)`,
    `  same password: ${others.join(', ')}`,
    'Warning: the demo credentials are for trying Partnerdesk out only. Do not keep them on a reachable ' +
      'installation: start it with --no-demo (PARTNERDESK_DEMO=0) on an empty store instead.',
  ];
}
