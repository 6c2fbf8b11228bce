// Service request tests: a partner with the people support involves and a customer, a valid new-request body,
// and creating and changing requests through the API.
import type { App } from '../../src/app.ts';
import type { Store } from '../../src/db/database.ts';
import { injectAs } from './app.ts';
import { insertCustomer } from './customers.ts';
import { createPartner, createUser } from './factories.ts';

/**
 * A partner with a Global admin ("Ada Admin"), a Helpdesk agent ("Hana Helpdesk"), a Sales agent and a
 * Billing admin, and one customer with an active relationship.
 */
export async function supportWorld(store: Store, customerName?: string) {
  const partner = await createPartner(store);
  const admin = await createUser(store, partner.id, { roles: ['globalAdmin'], displayName: 'Ada Admin' });
  const helpdesk = await createUser(store, partner.id, {
    roles: ['helpdeskAgent'],
    displayName: 'Hana Helpdesk',
  });
  const sales = await createUser(store, partner.id, { roles: ['salesAgent'], displayName: 'Sam Sales' });
  const billing = await createUser(store, partner.id, { roles: ['billingAdmin'], displayName: 'Bo Billing' });
  const customer = await insertCustomer(store, partner.id, customerName ? { name: customerName } : {});
  return { partner, admin, helpdesk, sales, billing, customer };
}
export type SupportWorld = Awaited<ReturnType<typeof supportWorld>>;

export const CONTACT = {
  firstName: 'Casey',
  lastName: 'Customer',
  email: 'casey@customer.example',
  phoneNumber: '+1 425 555 0101',
};

/** A valid POST /v1/customers/{id}/servicerequests body, with `over` on top. */
export function requestBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Mail is not delivered',
    description: 'Since this morning no external mail reaches the shared mailbox.',
    severity: 'moderate',
    supportTopicId: 'microsoft365',
    primaryContact: CONTACT,
    ...over,
  };
}

export const createRequestAs = (app: App, token: string, customerId: string, body: unknown, headers = {}) =>
  injectAs(app, token, 'POST', `/v1/customers/${customerId}/servicerequests`, { payload: body, headers });

/** A request made through the API (its full answer); throws unless it is created. */
export async function createRequest(
  app: App,
  token: string,
  customerId: string,
  over: Record<string, unknown> = {},
): Promise<ServiceRequest> {
  const r = await createRequestAs(app, token, customerId, requestBody(over));
  if (r.statusCode !== 201) throw new Error(`createRequest: ${r.statusCode} ${r.body}`);
  return r.json();
}

export const getRequest = (app: App, token: string, id: string) =>
  injectAs(app, token, 'GET', `/v1/servicerequests/${encodeURIComponent(id)}`);

export const patchRequest = (
  app: App,
  token: string,
  id: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
) => injectAs(app, token, 'PATCH', `/v1/servicerequests/${encodeURIComponent(id)}`, { payload, headers });

/** PATCHes and answers the request as changed; throws unless the answer is 200. */
export async function changeRequest(
  app: App,
  token: string,
  id: string,
  payload: Record<string, unknown>,
): Promise<ServiceRequest> {
  const r = await patchRequest(app, token, id, payload);
  if (r.statusCode !== 200)
    throw new Error(`changeRequest ${JSON.stringify(payload)}: ${r.statusCode} ${r.body}`);
  return r.json();
}

/** The request as read now (full); throws unless found. */
export async function readRequest(app: App, token: string, id: string): Promise<ServiceRequest> {
  const r = await getRequest(app, token, id);
  if (r.statusCode !== 200) throw new Error(`readRequest: ${r.statusCode} ${r.body}`);
  return r.json();
}

/** What the tests read of a service request answer. */
export interface ServiceRequest {
  id: string;
  referenceNumber: string;
  title: string;
  severity: string;
  status: string;
  customerId: string;
  primaryContact: { firstName: string; lastName: string; email: string; phoneNumber: string | null };
  createdBy: { contactId: string | null; name: string; email: string | null };
  assignedTo: { contactId: string | null; name: string; email: string | null } | null;
  lastUpdatedBy: { contactId: string | null; name: string; email: string | null };
  createdDate: string;
  lastModifiedDate: string;
  lastClosedDate: string | null;
  responseTargetMinutes: number;
  firstResponseDueDate: string;
  firstResponseDate: string | null;
  isOverdue: boolean;
  reopenCount: number;
  noteCount: number;
  attachmentCount: number;
  fileLinks: FileLink[];
  notes: { id: string; createdByName: string; createdDate: string; text: string }[];
  history: {
    id: string;
    kind: string;
    date: string;
    actorName: string;
    text: string | null;
    from: string | null;
    to: string | null;
    attachmentId: string | null;
    fileName: string | null;
  }[];
  attributes: { objectType: string; etag: string };
}

export interface FileLink {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  createdDate: string;
  createdByName: string;
  links: { self: { uri: string; method: string } };
}

/** The request's row (owner connection), for what the API does not show: its version. */
export const requestRow = (store: Store, id: string) =>
  store.owner.selectFrom('service_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** The request's timeline events (owner connection), oldest first. */
export const eventsOf = (store: Store, requestId: string) =>
  store.owner
    .selectFrom('service_request_events')
    .selectAll()
    .where('request_id', '=', requestId)
    .orderBy('id')
    .execute();
