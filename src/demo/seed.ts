// The demo data seeded on the first start of an empty store (and by `partnerdesk seed`): the demo offer
// catalog (src/demo/catalog.json), two partners, a few Demo Reseller users, one per role, all with the
// published demo password, and a few customers of each partner, some with subscriptions and a directory of
// users holding their licences; Northwind Cloud also has a reseller relationship with Demo Reseller's Contoso
// Pharmacy, so that it can request the transfer of Contoso's Azure plan, whose customer Global admin signs in
// with the demo password to consent. The customers' subscriptions are given a year of billing history (moved
// back in time, with a mid-month seat increase and a suspension and reactivation, daily usage of the Azure
// subscriptions, the ended months invoiced) and Contoso a spending budget already past its 80% alert. A few of
// Demo Reseller's customers have service requests, made and worked on in the past (src/demo/support.requests.ts).
// Idempotent: what exists (users matched by user name, customers by domain, both unique across the
// installation, relationships by partner and customer) is left as it is.
import fs from 'node:fs';
import type { Config } from '../config.ts';
import type { Store } from '../db/database.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import type { CallerContext, CustomerContext } from '../lib/context.ts';
import { hashSecret } from '../lib/tokens.ts';
import { AppError } from '../lib/errors.ts';
import { createCountriesService } from '../modules/countries/countries.service.ts';
import type { CreateCustomerInput, CustomersService } from '../modules/customers/customers.service.ts';
import { createCustomersService } from '../modules/customers/customers.service.ts';
import type { InstanceId } from '../modules/instances/instances.ts';
import type { CatalogAdmin } from '../modules/offers/offers.service.ts';
import { createCatalogAdmin } from '../modules/offers/offers.service.ts';
import { createInstanceService } from '../modules/instances/instances.ts';
import type { AuthService } from '../modules/partners/auth.service.ts';
import { createAuthService } from '../modules/partners/auth.service.ts';
import type { PartnersService } from '../modules/partners/partners.service.ts';
import { createPartnersService } from '../modules/partners/partners.service.ts';
import type { Role } from '../modules/partners/roles.ts';
import { findOffers } from '../modules/offers/offers.repository.ts';
import type { CustomerUsersService } from '../modules/customerUsers/customerUsers.service.ts';
import { createCustomerUsersService } from '../modules/customerUsers/customerUsers.service.ts';
import type { LicensesService } from '../modules/licenses/licenses.service.ts';
import {
  assignedSeats,
  createLicensesService,
  releaseUserLicenses,
  restoreUserLicenses,
} from '../modules/licenses/licenses.service.ts';
import type { SubscriptionsService } from '../modules/subscriptions/subscriptions.service.ts';
import type { BudgetsService } from '../modules/billing/budgets.service.ts';
import { createBudgetsService } from '../modules/billing/budgets.service.ts';
import { formatMinor } from '../modules/billing/billing.money.ts';
import { nextPeriod } from '../modules/billing/charges.service.ts';
import { closePeriod, duePeriods } from '../modules/billing/invoices.close.ts';
import type { UsageService } from '../modules/billing/usage.service.ts';
import { createUsageService } from '../modules/billing/usage.service.ts';
import type { HistoryChange, SubscriptionHistory } from './billing.history.ts';
import { dayMonthsAgo, meterIdsOf, rewriteHistory } from './billing.history.ts';
import { generateUsage } from './usage.generator.ts';
import type { DemoActor } from './support.requests.ts';
import { DEMO_SERVICE_REQUESTS } from './support.requests.ts';
import type { ServiceRequestsService } from '../modules/support/serviceRequests.service.ts';
import { createServiceRequestsService } from '../modules/support/serviceRequests.service.ts';
import { createSubscriptionsService } from '../modules/subscriptions/subscriptions.service.ts';
import { resolveCustomerSession } from '../modules/relationships/portal.repository.ts';
import type { PortalService } from '../modules/relationships/portal.service.ts';
import { createPortalService } from '../modules/relationships/portal.service.ts';
import type { RelationshipsService } from '../modules/relationships/relationships.service.ts';
import {
  createRelationshipsService,
  invitationLinkKey,
} from '../modules/relationships/relationships.service.ts';

/** Published in the README and printed at start-up: for trying Partnerdesk out only. */
export const DEMO_PASSWORD = 'Partnerdesk-demo-1';
export const DEMO_ADMIN = 'admin@demo-reseller.example';

/**
 * The demo of a transfer between partners: Northwind Cloud (the target) has a reseller relationship with Demo
 * Reseller's customer Contoso Pharmacy, whose Azure plan "Contoso Azure" it may request; Contoso's first admin
 * (a Global admin of its tenant) signs in with the demo password on the customer's consent page.
 */
export const DEMO_TRANSFER = {
  source: 'Demo Reseller',
  target: 'Northwind Cloud',
  customer: 'Contoso Pharmacy',
  customerPrefix: 'contosopharmacy',
} as const;

/** The customer admin of the transfer demo, at the global instance's domain suffix. */
export const demoCustomerAdmin = (globalDomainSuffix: string) =>
  `admin@${DEMO_TRANSFER.customerPrefix}.${globalDomainSuffix}`;

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
  customers: DemoCustomer[];
}

interface DemoCustomer {
  company: string;
  /** The primary domain's prefix; the partner's instance adds the suffix. */
  prefix: string;
  culture: string;
  language: string;
  email: string;
  contact: [first: string, last: string];
  address: { country: string; city: string; state?: string; addressLine1: string; postalCode: string };
  phone?: string;
  registrationNumber?: string;
  /** Confirmed that many days before the seed runs (never in the future). */
  agreementDaysAgo?: number;
  /** Ordered with the customer (needs the agreement); an add-on's base is a line of the same order. */
  subscriptions?: DemoSubscription[];
  /** People in the customer's directory (beside its first admin), at its primary domain. */
  directory?: DemoDirectoryUser[];
  /** A monthly budget for usage-based spend, set just below this month's spend so far: its 80% alert shows. */
  usageBudget?: boolean;
}

interface DemoDirectoryUser {
  first: string;
  last: string;
  /** The user name's part before the @. */
  local: string;
  /** Licences: the positions, in `subscriptions`, of the lines whose seats the user gets. */
  licenses?: number[];
  roles?: ('globalAdmin' | 'helpdeskAdmin' | 'userAdmin' | 'billingAdmin')[];
  /** Deleted after creation: it shows in the Deleted users tab, restorable. */
  deleted?: boolean;
}

interface DemoSubscription {
  offerId: string;
  quantity?: number;
  friendlyName?: string;
  termDuration?: 'P1M' | 'P1Y' | 'P3Y';
  billingCycle?: 'monthly' | 'annual' | 'oneTime';
  /** Suspended after the order, with these reasons. */
  suspended?: ('partnerInitiated' | 'customerRequest' | 'nonPayment')[];
  /** Billing history: ordered this many months before the current one, on this day of that month. */
  since?: { monthsAgo: number; day: number };
  /** The seats it was ordered with, when `quantity` came later (see `changes`). */
  startQuantity?: number;
  /** What changed since, each on a day of a month before the current one. */
  changes?: { monthsAgo: number; day: number; quantity?: number; status?: 'active' | 'suspended' }[];
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
    customers: [
      {
        company: 'Contoso Pharmacy',
        prefix: 'contosopharmacy',
        culture: 'en-US',
        language: 'en',
        email: 'accounts@contoso-pharmacy.example',
        contact: ['Avery', 'Chen'],
        address: {
          country: 'US',
          city: 'Redmond',
          state: 'WA',
          addressLine1: '15010 NE 36th St',
          postalCode: '98052',
        },
        agreementDaysAgo: 420,
        // Twenty seats for a year, twenty-five since the middle of a month five months ago.
        subscriptions: [
          {
            offerId: 'M365-BUSINESS-PREMIUM',
            quantity: 25,
            friendlyName: 'Pharmacy staff',
            since: { monthsAgo: 13, day: 5 },
            startQuantity: 20,
            changes: [{ monthsAgo: 5, day: 15, quantity: 25 }],
          },
          {
            offerId: 'DEFENDER-O365-P2-ADDON',
            quantity: 25,
            friendlyName: 'Pharmacy staff – Defender',
            since: { monthsAgo: 13, day: 5 },
            startQuantity: 20,
            changes: [{ monthsAgo: 5, day: 15, quantity: 25 }],
          },
          { offerId: 'AZURE-PLAN', friendlyName: 'Contoso Azure', since: { monthsAgo: 13, day: 5 } },
        ],
        usageBudget: true,
        directory: [
          { first: 'Avery', last: 'Chen', local: 'avery.chen', licenses: [0, 1], roles: ['billingAdmin'] },
          { first: 'Priya', last: 'Raman', local: 'priya.raman', licenses: [0, 1], roles: ['helpdeskAdmin'] },
          { first: 'Marcus', last: 'Bell', local: 'marcus.bell', licenses: [0, 1] },
          { first: 'Lena', last: 'Ortiz', local: 'lena.ortiz', licenses: [0] },
          { first: 'Tomás', last: 'Silva', local: 'tomas.silva', licenses: [0] },
          { first: 'Grace', last: 'Kim', local: 'grace.kim' },
          { first: 'Oliver', last: 'Grant', local: 'oliver.grant', licenses: [0], deleted: true },
        ],
      },
      {
        company: 'Fabrikam Outdoor Supply',
        prefix: 'fabrikamoutdoor',
        culture: 'en-US',
        language: 'en',
        email: 'billing@fabrikam-outdoor.example',
        contact: ['Jordan', 'Miller'],
        address: {
          country: 'US',
          city: 'Portland',
          state: 'OR',
          addressLine1: '1120 NW Couch St',
          postalCode: '97209',
        },
      },
      {
        company: 'Alpine Ski House',
        prefix: 'alpineskihouse',
        culture: 'en-US',
        language: 'en',
        email: 'office@alpine-ski-house.example',
        contact: ['Morgan', 'Lee'],
        address: {
          country: 'US',
          city: 'Denver',
          state: 'CO',
          addressLine1: '1701 Wynkoop St',
          postalCode: '80202',
        },
        agreementDaysAgo: 440,
        // The annual E3 renewed two months ago (a new year charged in advance).
        subscriptions: [
          {
            offerId: 'M365-E3',
            quantity: 40,
            termDuration: 'P1Y',
            billingCycle: 'annual',
            since: { monthsAgo: 14, day: 10 },
          },
          { offerId: 'TEAMS-AUDIO-CONFERENCING', quantity: 10, since: { monthsAgo: 14, day: 10 } },
          {
            offerId: 'RI-VM-D2SV5',
            quantity: 2,
            friendlyName: 'Booking servers',
            termDuration: 'P1Y',
            since: { monthsAgo: 6, day: 3 },
          },
          {
            offerId: 'EXCHANGE-ONLINE-P1',
            quantity: 15,
            friendlyName: 'Seasonal staff mail',
            suspended: ['customerRequest'],
            since: { monthsAgo: 13, day: 10 },
          },
        ],
      },
      {
        company: 'Tailspin Toys',
        prefix: 'tailspintoys',
        culture: 'en-US',
        language: 'en',
        email: 'finance@tailspin-toys.example',
        contact: ['Riley', 'Garcia'],
        address: {
          country: 'US',
          city: 'Austin',
          state: 'TX',
          addressLine1: '500 W 2nd St',
          postalCode: '78701',
        },
      },
      {
        company: 'Wingtip Travel',
        prefix: 'wingtiptravel',
        culture: 'en-US',
        language: 'en',
        email: 'ap@wingtip-travel.example',
        contact: ['Casey', 'Johnson'],
        address: {
          country: 'US',
          city: 'Boston',
          state: 'MA',
          addressLine1: '100 Summer St',
          postalCode: '02110',
        },
        agreementDaysAgo: 380,
        // Suspended for a few weeks over a billing dispute, then reactivated.
        subscriptions: [
          {
            offerId: 'M365-BUSINESS-BASIC',
            quantity: 12,
            since: { monthsAgo: 12, day: 1 },
            changes: [
              { monthsAgo: 4, day: 10, status: 'suspended' },
              { monthsAgo: 3, day: 2, status: 'active' },
            ],
          },
          {
            offerId: 'WINSRV-2025-STD-16C',
            quantity: 2,
            friendlyName: 'Office server licences',
            since: { monthsAgo: 8, day: 20 },
          },
        ],
      },
      {
        company: 'Maple Leaf Analytics',
        prefix: 'mapleleafanalytics',
        culture: 'en-CA',
        language: 'en',
        email: 'billing@mapleleaf-analytics.example',
        contact: ['Taylor', 'Tremblay'],
        address: {
          country: 'CA',
          city: 'Toronto',
          state: 'ON',
          addressLine1: '100 King St W',
          postalCode: 'M5X 1A9',
        },
      },
      {
        company: 'Brauerei Müller GmbH',
        prefix: 'brauereimueller',
        culture: 'de-DE',
        language: 'de',
        email: 'rechnung@brauerei-mueller.example',
        contact: ['Jonas', 'Müller'],
        address: { country: 'DE', city: 'München', addressLine1: 'Leopoldstraße 12', postalCode: '80802' },
        agreementDaysAgo: 350,
        subscriptions: [
          {
            offerId: 'M365-BUSINESS-STANDARD',
            quantity: 18,
            friendlyName: 'Brauerei Büro',
            since: { monthsAgo: 11, day: 1 },
          },
        ],
        directory: [
          { first: 'Jonas', last: 'Müller', local: 'jonas.mueller', licenses: [0], roles: ['billingAdmin'] },
          { first: 'Sophie', last: 'Wagner', local: 'sophie.wagner', licenses: [0] },
          { first: 'Lukas', last: 'Becker', local: 'lukas.becker', licenses: [0] },
        ],
      },
      {
        company: 'ООО «Северный ветер»',
        prefix: 'severnyveter',
        culture: 'ru-RU',
        language: 'ru',
        email: 'buh@severny-veter.example',
        contact: ['Анна', 'Смирнова'],
        address: { country: 'RU', city: 'Москва', addressLine1: 'ул. Тверская, д. 7', postalCode: '125009' },
        phone: '+7 495 123-45-67',
        registrationNumber: '7707083893',
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
    customers: [
      {
        company: 'Lakeshore Dental',
        prefix: 'lakeshoredental',
        culture: 'en-US',
        language: 'en',
        email: 'office@lakeshore-dental.example',
        contact: ['Jamie', 'Novak'],
        address: {
          country: 'US',
          city: 'Chicago',
          state: 'IL',
          addressLine1: '233 S Wacker Dr',
          postalCode: '60606',
        },
        agreementDaysAgo: 230,
        subscriptions: [
          {
            offerId: 'M365-BUSINESS-STANDARD',
            quantity: 9,
            friendlyName: 'Dental practice',
            since: { monthsAgo: 7, day: 3 },
          },
          { offerId: 'AZURE-USAGE', friendlyName: 'Imaging archive', since: { monthsAgo: 7, day: 3 } },
        ],
        directory: [
          { first: 'Jamie', last: 'Novak', local: 'jamie.novak', licenses: [0] },
          { first: 'Rosa', last: 'Delgado', local: 'rosa.delgado', licenses: [0] },
        ],
      },
      {
        company: 'Harbor Freight Logistics',
        prefix: 'harborlogistics',
        culture: 'en-US',
        language: 'en',
        email: 'billing@harbor-logistics.example',
        contact: ['Drew', 'Patel'],
        address: {
          country: 'US',
          city: 'Seattle',
          state: 'WA',
          addressLine1: '2401 Utah Ave S',
          postalCode: '98134',
        },
      },
    ],
  },
];

export interface SeedDeps {
  /** On the owner connection: the request-path role cannot write the catalog. */
  catalog: Pick<CatalogAdmin, 'isEmpty' | 'importCatalog'>;
  partners: Pick<
    PartnersService,
    'createPartner' | 'createUser' | 'findUserPartner' | 'findPartnerById' | 'listPartners'
  >;
  auth: Pick<AuthService, 'changePassword'>;
  customers: Pick<CustomersService, 'create' | 'domainTaken'>;
  subscriptions: Pick<SubscriptionsService, 'update'>;
  users: Pick<CustomerUsersService, 'create' | 'remove' | 'update'>;
  licenses: Pick<LicensesService, 'updateUserLicenses'>;
  relationships: Pick<RelationshipsService, 'requestLink'>;
  portal: Pick<PortalService, 'signIn' | 'accept' | 'signOut'>;
  /** The customer user behind a customer session's token, as the customer routes resolve it. */
  customerContext(accessToken: string): Promise<CustomerContext>;
  /** What a later run must find again, across partners (owner connection). */
  lookups: {
    /** The partner's customer (active relationship) with this primary domain. */
    customerOf(partnerId: string, domain: string): Promise<string | undefined>;
    /** Has the partner ever had a relationship with the customer (active or removed)? */
    relationshipExists(partnerId: string, customerId: string): Promise<boolean>;
    customerUserId(customerId: string, userName: string): Promise<string | undefined>;
  };
  /** Usage recorded and budgets set as the partner would (the request path). */
  usage: Pick<UsageService, 'record'>;
  budgets: Pick<BudgetsService, 'get' | 'set'>;
  /** The billing history's owner-side work: state history, the catalog's meters, the invoice job. */
  billing: {
    rewriteHistory(histories: readonly SubscriptionHistory[], now: Date): Promise<void>;
    meterIds(offerId: string): Promise<string[]>;
    /** Invoices each ended month of the partner not invoiced yet; answers how many invoices it wrote. */
    closeMonths(partnerId: string, now: Date): Promise<number>;
  };
  /** Service requests made and changed as the partner's users would (the request path). */
  support: {
    /** The service on a clock standing at `time`: the demo's requests were made and worked on in the past. */
    at(time: Date): Pick<ServiceRequestsService, 'create' | 'update'>;
    /** The first-response targets in force, in minutes: the overdue request is made an hour longer ago. */
    responseTargetMinutes: Config['support']['responseTargetMinutes'];
  };
  /** Which of these offers the catalog sells (an operator's own catalog may lack the demo's offers). */
  availableOffers(ids: readonly string[]): Promise<Set<string>>;
  instances: { get(id: InstanceId): { domainSuffix: string } };
  clock: Clock;
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

/** The POST /v1/customers body of a demo customer. */
function customerInput(
  c: DemoCustomer,
  domain: string,
  now: Date,
  subscriptions: readonly DemoSubscription[],
): CreateCustomerInput {
  const [firstName, lastName] = c.contact;
  const agreed =
    c.agreementDaysAgo === undefined
      ? undefined
      : new Date(now.getTime() - c.agreementDaysAgo * 86_400_000).toISOString().slice(0, 10);
  return {
    companyProfile: { domain, organizationRegistrationNumber: c.registrationNumber ?? null },
    billingProfile: {
      firstName,
      lastName,
      email: c.email,
      culture: c.culture,
      language: c.language,
      companyName: c.company,
      defaultAddress: { ...c.address, firstName, lastName, phoneNumber: c.phone ?? null },
    },
    ...(agreed ? { customerAgreement: { firstName, lastName, email: c.email, dateAgreed: agreed } } : {}),
    // Its subscriptions are ordered with it, in its own transaction: a customer is seeded whole or not at all.
    ...(agreed && subscriptions.length > 0
      ? {
          lineItems: subscriptions.map(
            ({ suspended: _s, since: _since, startQuantity: _q, changes: _c, ...line }) => line,
          ),
        }
      : {}),
  };
}

/** The demo offer catalog, as `partnerdesk offers import` reads a catalog file. */
export function demoCatalog(): unknown {
  return JSON.parse(fs.readFileSync(new URL('./catalog.json', import.meta.url), 'utf8'));
}

export async function seedDemo(deps: SeedDeps): Promise<SeedResult> {
  const { partners, auth, customers } = deps;
  const result: SeedResult = { created: [], existing: [] };

  // The catalog first (orders need it). Importing the same file again changes nothing; an operator's own
  // offers that the demo file lacks would be retired, so a store that has a catalog keeps it.
  if (!(await deps.catalog.isEmpty())) result.existing.push('offer catalog');
  else {
    const imported = await deps.catalog.importCatalog(demoCatalog());
    result.created.push(`offer catalog: ${imported.added} offers in ${imported.markets} markets`);
  }

  // A customer's demo subscriptions, all of them or none (an add-on needs its base): a catalog that is not the
  // demo's may lack some of their offers, and the customers are then seeded without subscriptions.
  const offered = await deps.availableOffers(
    DEMO_PARTNERS.flatMap((p) => p.customers.flatMap((c) => (c.subscriptions ?? []).map((l) => l.offerId))),
  );
  const demoSubscriptions = (c: DemoCustomer) => {
    const lines = c.subscriptions ?? [];
    return lines.every((l) => offered.has(l.offerId)) ? lines : [];
  };

  const admins = new Map<string, CallerContext>();
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
    admins.set(demo.name, adminCtx);
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

    // Customers through the customers service, as the partner's Global admin would add them (each one's first
    // admin gets a temporary password nobody sees: the demo is about the partner's side).
    const suffix = deps.instances.get(instance).domainSuffix;
    const seeded: SeededCustomer[] = [];
    for (const customer of demo.customers) {
      const domain = `${customer.prefix}.${suffix}`;
      if (await customers.domainTaken(adminCtx, domain)) {
        result.existing.push(`customer ${customer.company} (${domain})`);
        continue;
      }
      let created;
      try {
        created = await customers.create(
          adminCtx,
          customerInput(customer, domain, deps.clock.now(), demoSubscriptions(customer)),
        );
      } catch (err) {
        // Another process seeding the same store took the domain first.
        if (!(err instanceof AppError && err.errorName === 'domainTaken')) throw err;
        result.existing.push(`customer ${customer.company} (${domain})`);
        continue;
      }
      // Subscriptions the demo shows suspended (with their deletion date), as the partner would suspend them.
      const lines = created.orders[0]?.lineItems ?? [];
      for (const [i, line] of demoSubscriptions(customer).entries()) {
        const subscriptionId = lines[i]?.subscriptionId;
        if (line.suspended && subscriptionId)
          await deps.subscriptions.update(
            adminCtx,
            created.id,
            subscriptionId,
            { status: 'suspended', suspensionReasons: line.suspended },
            undefined,
          );
      }
      // Its people, with licences of the subscriptions just ordered (each user's temporary password unseen,
      // as for its first admin); one deleted, to show what restoring looks like.
      const people = customer.directory ?? [];
      for (const person of people) {
        const user = await deps.users.create(adminCtx, created.id, {
          userPrincipalName: `${person.local}@${domain}`,
          firstName: person.first,
          lastName: person.last,
          displayName: `${person.first} ${person.last}`,
          usageLocation: customer.address.country,
          directoryRoles: person.roles ?? [],
        });
        const seats = (person.licenses ?? [])
          .map((i) => lines[i]?.subscriptionId)
          .filter((id): id is string => Boolean(id));
        if (seats.length > 0)
          await deps.licenses.updateUserLicenses(adminCtx, created.id, user.id, {
            licensesToAssign: seats.map((subscriptionId) => ({ subscriptionId })),
            licensesToRemove: [],
          });
        if (person.deleted) await deps.users.remove(adminCtx, created.id, user.id, undefined);
      }
      seeded.push({
        customer,
        id: created.id,
        subscriptions: demoSubscriptions(customer).flatMap((line, i) =>
          lines[i] ? [{ line, id: lines[i].subscriptionId }] : [],
        ),
      });
      const ordered = lines.length > 0 ? ` with ${lines.length} subscriptions` : '';
      const staffed = people.length > 0 ? ` and ${people.length} users` : '';
      result.created.push(`customer ${customer.company} (${domain}) of ${demo.name}${ordered}${staffed}`);
    }
    await seedBillingHistory(deps, adminCtx, demo.name, seeded, result);
    if (demo.name === DEMO_SERVICE_REQUESTS.partner && seeded.length > 0)
      await seedServiceRequests(deps, await demoPeople(deps, demo, adminCtx), seeded, result);
  }
  await seedTransferDemo(deps, admins, result);
  return result;
}

/** A customer this run made, with its subscriptions as ordered. */
interface SeededCustomer {
  customer: DemoCustomer;
  id: string;
  subscriptions: { line: DemoSubscription; id: string }[];
}

const USAGE_BATCH = 1000;

/** A round budget (two significant figures, rounded down) that `spend` is 90–100% of: its alert is raised. */
export function budgetAbove(spend: number): number {
  const raw = Math.floor(spend / 0.9);
  const step = 10 ** Math.max(0, String(raw).length - 2);
  return Math.max(1, Math.floor(raw / step) * step);
}

/**
 * A year of billing history for the customers this run made: their subscriptions moved back to when the demo
 * says they were ordered (with the changes since), daily usage of the Azure ones recorded as the partner would
 * upload it, every ended month invoiced (each invoice dated the night after its month), and a spending budget
 * just below this month's usage spend where the demo wants its alert to show. Customers that existed before
 * are left as they are.
 */
async function seedBillingHistory(
  deps: SeedDeps,
  ctx: CallerContext,
  partnerName: string,
  seeded: readonly SeededCustomer[],
  result: SeedResult,
): Promise<void> {
  const now = deps.clock.now();
  const today = now.toISOString().slice(0, 10);
  const histories: SubscriptionHistory[] = [];
  const usage: ReturnType<typeof generateUsage> = [];
  for (const c of seeded)
    for (const { line, id } of c.subscriptions) {
      if (!line.since) continue;
      const start = dayMonthsAgo(now, line.since.monthsAgo, line.since.day);
      histories.push({
        subscriptionId: id,
        start,
        ...(line.startQuantity ? { startQuantity: line.startQuantity } : {}),
        changes: (line.changes ?? []).map((ch): HistoryChange => ({
          at: dayMonthsAgo(now, ch.monthsAgo, ch.day),
          ...(ch.quantity ? { quantity: ch.quantity } : {}),
          ...(ch.status ? { status: ch.status } : {}),
        })),
      });
      const meterIds = await deps.billing.meterIds(line.offerId);
      if (meterIds.length > 0)
        usage.push(
          ...generateUsage({
            id,
            seed: `${c.customer.company}|${line.friendlyName ?? line.offerId}`,
            meterIds,
            from: start.toISOString().slice(0, 10),
            to: today,
          }),
        );
    }
  if (histories.length === 0) return;
  await deps.billing.rewriteHistory(histories, now);
  for (let i = 0; i < usage.length; i += USAGE_BATCH)
    await deps.usage.record(ctx, usage.slice(i, i + USAGE_BATCH));
  const invoices = await deps.billing.closeMonths(ctx.partnerId, now);
  const since = histories.map((h) => h.start.toISOString().slice(0, 7)).sort()[0];
  result.created.push(
    `billing history of ${partnerName} since ${since}: ${usage.length} usage records, ${invoices} invoices`,
  );

  for (const c of seeded.filter((x) => x.customer.usageBudget)) {
    const { spend, currencyCode } = await deps.budgets.get(ctx, c.id);
    if (spend <= 0) continue;
    const budget = await deps.budgets.set(ctx, c.id, { amount: budgetAbove(spend) }, undefined);
    result.created.push(
      `spending budget of ${c.customer.company}: ${formatMinor(budget.amount ?? 0, currencyCode)} ` +
        `${currencyCode} a month, ${budget.percentUsed}% used so far (its 80% alert raised)`,
    );
  }
}

/**
 * Who works on the demo's service requests: the partner's Global admin, and its Helpdesk agent (the admin again
 * when the partner has none).
 */
async function demoPeople(
  deps: SeedDeps,
  demo: DemoPartner,
  admin: CallerContext,
): Promise<Record<DemoActor, CallerContext>> {
  const user = demo.users.find((u) => u.roles.includes('helpdeskAgent'));
  const found = user && (await deps.partners.findUserPartner(user.userName));
  const helpdesk =
    user && found?.partnerId === admin.partnerId
      ? seedContext(admin.partnerId, admin.instance, {
          id: found.userId,
          userName: user.userName,
          roles: user.roles,
        })
      : admin;
  return { admin, helpdesk };
}

/** "1 note", "2 notes". */
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * The demo's service requests of the customers this run made, each made and then worked on at the time it says
 * (before now), by the people it names, in the order listed so that their numbers follow their age. Customers
 * that existed before are left as they are.
 */
async function seedServiceRequests(
  deps: SeedDeps,
  people: Record<DemoActor, CallerContext>,
  seeded: readonly SeededCustomer[],
  result: SeedResult,
): Promise<void> {
  const now = deps.clock.now().getTime();
  const ago = (minutes: number) => new Date(now - minutes * 60_000);
  for (const demo of DEMO_SERVICE_REQUESTS.requests) {
    const c = seeded.find((x) => x.customer.company === demo.customer);
    if (!c) continue;
    const subscriptionId = c.subscriptions.find(
      (x) => (x.line.friendlyName ?? x.line.offerId) === demo.subscription,
    )?.id;
    const made = ago(demo.madeMinutesAgo(deps.support.responseTargetMinutes));
    let request = await deps.support.at(made).create(people[demo.by], c.id, {
      title: demo.title,
      description: demo.description,
      severity: demo.severity,
      supportTopicId: demo.topic,
      primaryContact: demo.contact,
      ...(subscriptionId ? { subscriptionId } : {}),
      ...(demo.assignToHelpdesk ? { assignedTo: people.helpdesk.userId } : {}),
      ...(demo.files
        ? {
            attachments: demo.files.map((f) => ({
              fileName: f.fileName,
              contentType: 'text/plain',
              content: Buffer.from(f.text).toString('base64'),
            })),
          }
        : {}),
    });
    for (const step of demo.steps)
      request = await deps.support.at(ago(step.minutesAgo)).update(people[step.by], request.id, step.update);
    const overdue =
      request.status !== 'closed' &&
      !request.firstResponseDate &&
      Date.parse(request.firstResponseDueDate) <= now;
    result.created.push(
      `service request ${request.referenceNumber} of ${demo.customer}: ${request.severity}, ${request.status}` +
        `${overdue ? ', overdue' : ''}, ${count(request.noteCount, 'note')}, ${count(request.attachmentCount, 'attachment')}`,
    );
  }
}

/**
 * Northwind Cloud's reseller relationship with Contoso Pharmacy, made as people would make it: Demo Reseller
 * gives Contoso's first admin the demo password (its own was a temporary one nobody saw), Northwind asks for a
 * relationship, and that admin accepts the invitation. Done once: a relationship that exists, even one
 * removed since, is left as it is; without Contoso as Demo Reseller's customer there is nothing to do.
 */
async function seedTransferDemo(
  deps: SeedDeps,
  admins: Map<string, CallerContext>,
  result: SeedResult,
): Promise<void> {
  const source = admins.get(DEMO_TRANSFER.source);
  const target = admins.get(DEMO_TRANSFER.target);
  if (!source || !target) return;
  const domain = `${DEMO_TRANSFER.customerPrefix}.${deps.instances.get(source.instance).domainSuffix}`;
  const customerId = await deps.lookups.customerOf(source.partnerId, domain);
  if (!customerId) return;
  const what = `reseller relationship of ${DEMO_TRANSFER.target} with ${DEMO_TRANSFER.customer}`;
  if (await deps.lookups.relationshipExists(target.partnerId, customerId)) {
    result.existing.push(what);
    return;
  }
  const userName = `admin@${domain}`;
  const password = { password: DEMO_PASSWORD, forceChangePassword: false };
  const adminId = await deps.lookups.customerUserId(customerId, userName);
  if (adminId) await deps.users.update(source, customerId, adminId, { passwordProfile: password }, undefined);
  else
    await deps.users.create(source, customerId, {
      userPrincipalName: userName,
      displayName: 'Contoso Admin',
      directoryRoles: ['globalAdmin'],
      passwordProfile: password,
    });
  const link = await deps.relationships.requestLink(target, true);
  const session = await deps.portal.signIn(userName, DEMO_PASSWORD);
  const cctx = await deps.customerContext(session.access_token);
  try {
    await deps.portal.accept(cctx, link.url.split('/').pop()!, {});
  } finally {
    await deps.portal.signOut(cctx);
  }
  result.created.push(`${what} (accepted by its Global admin ${userName})`);
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
  const customers = createCustomersService({
    db: store.app,
    clock,
    instances,
    countries: createCountriesService(),
  });
  const catalog = createCatalogAdmin({ owner: store.owner, clock });
  const subscriptions = createSubscriptionsService({ db: store.app, clock, customers, assignedSeats });
  const users = createCustomerUsersService({
    db: store.app,
    clock,
    customers,
    instances,
    licenses: { releaseUserLicenses, restoreUserLicenses },
  });
  const licenses = createLicensesService({ db: store.app, clock, customers, instances });
  const budgets = createBudgetsService({ db: store.app, clock, customers });
  const usage = createUsageService({ db: store.app, clock, customers, budgetAlerts: budgets.checkAlerts });
  const billing: SeedDeps['billing'] = {
    rewriteHistory: (histories, now) => rewriteHistory(store.owner, histories, now),
    meterIds: (offerId) => meterIdsOf(store.owner, offerId),
    async closeMonths(partnerId, now) {
      let invoices = 0;
      for (const due of await duePeriods(store.owner, now, { partnerId })) {
        // Dated the night after the month, as the maintenance job would have issued it.
        const issued = Math.min(now.getTime(), Date.parse(`${nextPeriod(due.period)}T02:00:00Z`));
        invoices += (await closePeriod(store.owner, partnerId, due.period, new Date(issued))).invoices.length;
      }
      return invoices;
    },
  };
  const relationships = createRelationshipsService({
    db: store.app,
    clock,
    publicUrl: config.publicUrl,
    linkKey: invitationLinkKey(store.ownerUrl),
    instances,
    partners,
    customers,
  });
  const portal = createPortalService({
    db: store.app,
    clock,
    config,
    instances,
    countries: createCountriesService(),
  });
  const customerContext = async (accessToken: string): Promise<CustomerContext> => {
    const sessionHash = hashSecret(accessToken);
    const s = await resolveCustomerSession(store.app, sessionHash);
    if (!s) throw new Error('the demo customer session could not be read back');
    return {
      customerId: s.customer_id,
      customerName: s.customer_name,
      customerDomain: s.customer_domain,
      instance: s.instance,
      userId: s.user_id,
      userName: s.user_name,
      displayName: s.display_name,
      roles: s.roles,
      mustChangePassword: s.must_change_password,
      sessionHash,
      expiresAt: s.expires_at,
      correlationId: 'demo-seed',
    };
  };
  const lookups: SeedDeps['lookups'] = {
    customerOf: async (partnerId, domain) =>
      (
        await store.owner
          .selectFrom('customer_relationships')
          .select('customer_id')
          .where('partner_id', '=', partnerId)
          .where('state', '=', 'active')
          .where('primary_domain', '=', domain)
          .executeTakeFirst()
      )?.customer_id,
    relationshipExists: async (partnerId, customerId) =>
      Boolean(
        await store.owner
          .selectFrom('customer_relationships')
          .select('customer_id')
          .where('partner_id', '=', partnerId)
          .where('customer_id', '=', customerId)
          .executeTakeFirst(),
      ),
    customerUserId: async (customerId, userName) =>
      (
        await store.owner
          .selectFrom('customer_users')
          .select('id')
          .where('customer_id', '=', customerId)
          .where('user_name', '=', userName)
          .executeTakeFirst()
      )?.id,
  };
  const support: SeedDeps['support'] = {
    at: (time) =>
      createServiceRequestsService({
        db: store.app,
        clock: { now: () => time },
        config: config.support,
        customers,
        idempotencyTtlHours: config.idempotencyTtlHours,
      }),
    responseTargetMinutes: config.support.responseTargetMinutes,
  };
  const availableOffers = async (ids: readonly string[]) =>
    new Set([...(await findOffers(store.app, ids)).values()].filter((o) => o.is_available).map((o) => o.id));
  return {
    partners,
    auth,
    customers,
    subscriptions,
    usage,
    budgets,
    billing,
    users,
    licenses,
    relationships,
    portal,
    support,
    customerContext,
    lookups,
    availableOffers,
    instances,
    clock,
    catalog,
  };
}

/** What start-up prints while the demo sign-in works. */
export function demoBanner(config: Pick<Config, 'instances'>): string[] {
  const others = DEMO_PARTNERS.flatMap((p) => [
    ...(p.admin.userName === DEMO_ADMIN ? [] : [p.admin.userName]),
    ...p.users.map((u) => u.userName),
  ]);
  return [
    `Demo sign-in: ${DEMO_ADMIN} / ${DEMO_PASSWORD} (Global admin of Demo Reseller)`,
    `  same password: ${others.join(', ')}`,
    `  customer pages (an invitation, a transfer's consent): ${demoCustomerAdmin(config.instances.global.domainSuffix)} ` +
      `(Global admin of ${DEMO_TRANSFER.customer}), same password`,
    'Warning: the demo credentials are for trying Partnerdesk out only. Do not keep them on a reachable ' +
      'installation: start it with --no-demo (PARTNERDESK_DEMO=0) on an empty store instead.',
  ];
}
