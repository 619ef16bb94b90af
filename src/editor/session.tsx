import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { can, type Action, type Role } from '../operations/permissions.ts';
import { ApiError, createApiClient, type ApiClient } from './api-client.ts';
import type { CurrentSession, Me } from './api-types.ts';

export type SessionState =
  | { kind: 'checking' }
  | { kind: 'signed-out'; reason: 'none' | 'expired' }
  | { kind: 'signed-in'; session: CurrentSession; me: Me }
  | { kind: 'failed'; error: ApiError };

interface EditorSession {
  api: ApiClient;
  state: SessionState;
  /** After signing in (or a password change): reads the session and the memberships again. */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<EditorSession | null>(null);

/** The signed-in user, their sites and the CSRF token, read from the API once per load. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const api = useMemo(() => createApiClient(), []);
  const [state, setState] = useState<SessionState>({ kind: 'checking' });

  const refresh = useCallback(async () => {
    try {
      const session = await api.get<CurrentSession>('/session');
      api.setCsrfToken(session.data.csrfToken);
      const me = await api.get<Me>('/me');
      setState({ kind: 'signed-in', session: session.data, me: me.data });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setState({ kind: 'signed-out', reason: 'none' });
      else setState({ kind: 'failed', error: error instanceof ApiError ? error : new ApiError(0, { title: String(error) }, null) });
    }
  }, [api]);

  const signOut = useCallback(async () => {
    await api.delete('/session').catch(() => undefined);
    api.setCsrfToken(null);
    setState({ kind: 'signed-out', reason: 'none' });
  }, [api]);

  useEffect(() => {
    void refresh();
    return api.onUnauthorized(() => setState((s) => (s.kind === 'signed-in' ? { kind: 'signed-out', reason: 'expired' } : s)));
  }, [api, refresh]);

  const value = useMemo(() => ({ api, state, refresh, signOut }), [api, state, refresh, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): EditorSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The API client; only for screens under the provider. */
export const useApi = (): ApiClient => useSession().api;

/**
 * Whether the signed-in person may take `action` on the site, from the one permission table
 * (the API decides; this only keeps screens from offering what would be refused).
 */
export function useCan(tenant: string): (action: Action) => boolean {
  const { state } = useSession();
  if (state.kind !== 'signed-in') return () => false;
  const role: Role | null = state.me.platformAdmin ? 'platform-admin' : ((state.me.memberships.find((m) => m.slug === tenant)?.role as Role | undefined) ?? null);
  return (action) => role !== null && can(role, action);
}
