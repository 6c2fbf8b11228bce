// The customer-facing pages' queries and mutations, on their own query client (PortalLayout): nothing cached
// here mixes with the partner console's cache, and a 401 here ends the customer session, never the partner's.
import { QueryCache, QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, unwrap } from '../../api/client.ts';
import { customerSession, portalApi, useCustomerSession } from './portalClient.ts';

export const PORTAL_KEY = ['portal'] as const;
const ME_KEY = [...PORTAL_KEY, 'me'] as const;
const PARTNERS_KEY = [...PORTAL_KEY, 'partners'] as const;
const TRANSFERS_KEY = [...PORTAL_KEY, 'transfers'] as const;

export function makePortalQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        // The session expired or was ended (a password change elsewhere): sign in again.
        if (error instanceof ApiError && error.status === 401) customerSession.clear();
        // A temporary password: /me (allowed meanwhile) says so, and the page asks for the change.
        if (error instanceof ApiError && error.name === 'passwordChangeRequired')
          void client.invalidateQueries({ queryKey: ME_KEY });
      },
    }),
    defaultOptions: {
      queries: {
        retry: (count, error) =>
          count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
    },
  });
  return client;
}

/** The invitation behind a link, as anyone holding it may see it (no sign-in). */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: [...PORTAL_KEY, 'invitation', token],
    queryFn: () => unwrap(portalApi.GET('/v1/invitations/{token}', { params: { path: { token } } })),
  });
}

/** The signed-in customer user and organisation; disabled without a session. */
export function useCustomerMe() {
  const session = useCustomerSession();
  return useQuery({
    queryKey: [...ME_KEY, session?.token ?? ''],
    queryFn: () => unwrap(portalApi.GET('/v1/customer/me')),
    enabled: session !== null,
  });
}

export function useCustomerPartners(enabled: boolean) {
  const session = useCustomerSession();
  return useQuery({
    queryKey: [...PARTNERS_KEY, session?.token ?? ''],
    queryFn: () => unwrap(portalApi.GET('/v1/customer/partners')),
    enabled: enabled && session !== null,
  });
}

/** The organisation's transfer requests, newest first (the consent page finds its request among them). */
export function useCustomerTransfers(enabled: boolean) {
  const session = useCustomerSession();
  return useQuery({
    queryKey: [...TRANSFERS_KEY, session?.token ?? ''],
    queryFn: () => unwrap(portalApi.GET('/v1/customer/transfers')),
    enabled: enabled && session !== null,
  });
}

export function usePortalActions() {
  const queryClient = useQueryClient();
  return {
    signIn: useMutation({
      mutationFn: (body: { userName: string; password: string }) =>
        unwrap(portalApi.POST('/v1/customer/sessions', { body })),
      onSuccess: (answer) => {
        queryClient.removeQueries({ queryKey: ME_KEY });
        queryClient.removeQueries({ queryKey: PARTNERS_KEY });
        queryClient.removeQueries({ queryKey: TRANSFERS_KEY });
        customerSession.start(answer);
      },
    }),
    signOut: useMutation({
      mutationFn: async () => {
        try {
          await unwrap(portalApi.DELETE('/v1/customer/sessions/current'));
        } catch (error) {
          // Already ended (expired, or by a password change) is what was wanted.
          if (!(error instanceof ApiError && error.status === 401)) throw error;
        }
      },
      onSettled: () => {
        customerSession.clear();
        queryClient.removeQueries({ queryKey: ME_KEY });
        queryClient.removeQueries({ queryKey: PARTNERS_KEY });
        queryClient.removeQueries({ queryKey: TRANSFERS_KEY });
      },
    }),
    changePassword: useMutation({
      mutationFn: (body: { currentPassword: string; newPassword: string }) =>
        unwrap(portalApi.POST('/v1/customer/me/password', { body })),
      onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_KEY }),
    }),
    accept: useMutation({
      mutationFn: (input: {
        token: string;
        customerAgreement?: {
          firstName: string;
          lastName: string;
          email: string;
          phoneNumber?: string | null;
          dateAgreed: string;
        };
      }) =>
        unwrap(
          portalApi.POST('/v1/invitations/{token}/accept', {
            params: { path: { token: input.token } },
            body: input.customerAgreement ? { customerAgreement: input.customerAgreement } : {},
          }),
        ),
      onSuccess: () => queryClient.invalidateQueries({ queryKey: PORTAL_KEY }),
    }),
    removeDelegatedAdmin: useMutation({
      mutationFn: (partnerId: string) =>
        unwrap(
          portalApi.DELETE('/v1/customer/partners/{partnerId}/delegatedadmin', {
            params: { path: { partnerId } },
          }),
        ),
      onSuccess: () => queryClient.invalidateQueries({ queryKey: PARTNERS_KEY }),
    }),
    answerTransfer: useMutation({
      mutationFn: (input: { transferId: string; decision: 'consent' | 'decline' }) =>
        unwrap(
          input.decision === 'consent'
            ? portalApi.POST('/v1/customer/transfers/{transferId}/consent', {
                params: { path: { transferId: input.transferId } },
              })
            : portalApi.POST('/v1/customer/transfers/{transferId}/decline', {
                params: { path: { transferId: input.transferId } },
              }),
        ),
      // Refused or not, the request may have changed: show it as it now is.
      onSettled: () => queryClient.invalidateQueries({ queryKey: TRANSFERS_KEY }),
    }),
  };
}
