import { useSession } from './session.tsx';

const RANK: Record<string, number> = { viewer: 1, editor: 2, admin: 3, owner: 4, 'platform-admin': 5 };

/**
 * The signed-in person's role on a site, to hide controls the API would refuse anyway (the API
 * decides; this only spares people buttons that cannot work). Platform admins rank above owners.
 */
export function useSiteRole(tenant: string): { role: string; atLeast(role: 'editor' | 'admin' | 'owner'): boolean } {
  const { state } = useSession();
  const me = state.kind === 'signed-in' ? state.me : null;
  const role = me?.platformAdmin ? 'platform-admin' : (me?.memberships.find((m) => m.slug === tenant)?.role ?? 'viewer');
  return { role, atLeast: (wanted) => (RANK[role] ?? 0) >= RANK[wanted]! };
}
