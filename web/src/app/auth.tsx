// The signed-in user, from GET /v1/profiles/me on the session cookie. The profile query is the one source
// of truth: `undefined` while loading, `null` when signed out, the profile otherwise. Any 401 anywhere
// (session expired or ended elsewhere) sets it to null, which sends the user to the sign-in page.
import { QueryCache, QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsoleSession, Profile } from '../api/client.ts';
import { ApiError, api, unwrap } from '../api/client.ts';
import { csrfToken } from '../api/csrf.ts';

export const PROFILE_KEY = ['profile'] as const;

/**
 * Whether the user signed out on purpose (rather than the session ending under them). The sign-in page then
 * starts afresh: whoever signs in next lands on the dashboard, not on the page the previous user had open.
 */
let signedOutOnPurpose = false;
export const didSignOutOnPurpose = () => signedOutOnPurpose;

export function makeQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (error instanceof ApiError && error.status === 401) client.setQueryData(PROFILE_KEY, null);
        // Told to change the password first (e.g. an admin reset it meanwhile): re-read the profile, whose
        // mustChangePassword sends the user to that page.
        if (error instanceof ApiError && error.name === 'passwordChangeRequired')
          void client.invalidateQueries({ queryKey: PROFILE_KEY });
      },
    }),
    defaultOptions: {
      queries: {
        // 4xx answers will not change by asking again; network errors and 5xx may.
        retry: (count, error) =>
          count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
        staleTime: 30_000,
      },
    },
  });
  return client;
}

async function fetchProfile(): Promise<Profile | null> {
  try {
    return await unwrap(api.GET('/v1/profiles/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useProfileQuery() {
  return useQuery({ queryKey: PROFILE_KEY, queryFn: fetchProfile, staleTime: Infinity });
}

/** The signed-in profile; only for components under RequireSignedIn. */
export function useProfile(): Profile {
  const { data } = useProfileQuery();
  if (!data) throw new Error('useProfile outside RequireSignedIn');
  return data;
}

/**
 * Drops every cached query but the profile's. The profile query itself must stay: removing it would leave
 * the observers already on it (the language provider at the root) on a detached query, deaf to the new user,
 * so the console would keep the previous user's language until a reload.
 */
function removeAllButProfile(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== PROFILE_KEY[0] });
}

export function useAuthActions() {
  const queryClient = useQueryClient();
  return {
    async signIn(userName: string, password: string): Promise<ConsoleSession> {
      const session = await unwrap(api.POST('/v1/auth/sessions', { body: { userName, password } }));
      csrfToken.set(session.csrfToken);
      signedOutOnPurpose = false;
      removeAllButProfile(queryClient); // nothing cached from another user survives
      queryClient.setQueryData(PROFILE_KEY, session.profile);
      return session;
    },
    async signOut(): Promise<void> {
      try {
        await unwrap(api.DELETE('/v1/auth/sessions/current'));
      } catch (error) {
        // Already signed out (expired, ended elsewhere) is what was wanted.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
      csrfToken.clear();
      signedOutOnPurpose = true;
      removeAllButProfile(queryClient);
      queryClient.setQueryData(PROFILE_KEY, null);
    },
    setProfile(profile: Profile): void {
      queryClient.setQueryData(PROFILE_KEY, profile);
    },
    refreshProfile: () => queryClient.invalidateQueries({ queryKey: PROFILE_KEY }),
  };
}
