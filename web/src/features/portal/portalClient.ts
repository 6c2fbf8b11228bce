// The customer-facing pages' API client: openapi-fetch over the same generated schema, sending the customer
// session's bearer token. The token lives in sessionStorage: it ends with the tab, is never shared with the
// partner console (whose session is a cookie, not sent from here: credentials 'omit'), and a customer signing in
// on a shared computer leaves nothing behind once the tab is closed.
import createClient from 'openapi-fetch';
import type { Middleware } from 'openapi-fetch';
import { useSyncExternalStore } from 'react';
import type { paths } from '../../api/schema';

export type CustomerSessionAnswer =
  paths['/v1/customer/sessions']['post']['responses'][200]['content']['application/json'];
export type CustomerMe = paths['/v1/customer/me']['get']['responses'][200]['content']['application/json'];
export type InvitationPreview =
  paths['/v1/invitations/{token}']['get']['responses'][200]['content']['application/json'];
export type Acceptance =
  paths['/v1/invitations/{token}/accept']['post']['responses'][200]['content']['application/json'];
export type CustomerPartner =
  paths['/v1/customer/partners']['get']['responses'][200]['content']['application/json']['items'][number];
export type CustomerTransfer =
  paths['/v1/customer/transfers']['get']['responses'][200]['content']['application/json']['items'][number];

/** What the pages keep of a customer sign-in. */
export interface StoredCustomerSession {
  token: string;
  expiresAt: string;
  userName: string;
  customerName: string;
}

const KEY = 'partnerdesk.customerSession';
const listeners = new Set<() => void>();

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage switched off: the session lives in this page only
  }
}

function read(): StoredCustomerSession | null {
  try {
    const raw = storage()?.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as StoredCustomerSession) : null;
    return parsed && typeof parsed.token === 'string' && Date.parse(parsed.expiresAt) > Date.now()
      ? parsed
      : null;
  } catch {
    return null;
  }
}

let current: StoredCustomerSession | null = typeof window === 'undefined' ? null : read();

function publish(next: StoredCustomerSession | null): void {
  current = next;
  for (const listener of listeners) listener();
}

export const customerSession = {
  get: (): StoredCustomerSession | null => current,
  start(answer: CustomerSessionAnswer): void {
    const session: StoredCustomerSession = {
      token: answer.access_token,
      expiresAt: new Date(Date.now() + answer.expires_in * 1000).toISOString(),
      userName: answer.user.userName,
      customerName: answer.customer.name,
    };
    storage()?.setItem(KEY, JSON.stringify(session));
    publish(session);
  },
  clear(): void {
    storage()?.removeItem(KEY);
    publish(null);
  },
};

export function useCustomerSession(): StoredCustomerSession | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
    () => null,
  );
}

const bearer: Middleware = {
  onRequest({ request }) {
    const token = current?.token;
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const portalApi = createClient<paths>({ baseUrl: '', credentials: 'omit' });
portalApi.use(bearer);
