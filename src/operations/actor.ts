import type { TenantRole } from '../db/schema.ts';

/**
 * Who is acting. Every operation is given one, from a verified credential (a session, an API key)
 * or from the process itself (the job runner, an operator at the command line); never from a
 * request body. The audit trail names it.
 */
export type Actor =
  | { kind: 'user'; userId: string; email: string; platformAdmin: boolean }
  | { kind: 'api-key'; keyId: string; label: string; grant: ApiKeyGrant }
  | { kind: 'system'; name: string }
  | { kind: 'cli'; name: string };

/** What a key may do: one role on one tenant, or everything a platform admin may. */
export type ApiKeyGrant = { scope: 'tenant'; tenantId: string; role: TenantRole } | { scope: 'platform' };

/** How the audit trail writes the actor: a readable label, a kind and an id to filter by. */
export function describeActor(actor: Actor): { label: string; kind: Actor['kind']; id: string | null } {
  switch (actor.kind) {
    case 'user':
      return { label: actor.email, kind: 'user', id: actor.userId };
    case 'api-key':
      return { label: `key:${actor.label}`, kind: 'api-key', id: actor.keyId };
    case 'system':
      return { label: `system:${actor.name}`, kind: 'system', id: null };
    case 'cli':
      return { label: `cli:${actor.name}`, kind: 'cli', id: null };
  }
}

/** The id written to `mosaic.user_id` for row-level security, when the actor is a person. */
export const actorUserId = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

/**
 * Platform-wide trust: platform admins, platform keys, the job runner and an operator at the
 * command line (who already holds the owner's database credentials).
 */
export function isPlatformActor(actor: Actor): boolean {
  switch (actor.kind) {
    case 'user':
      return actor.platformAdmin;
    case 'api-key':
      return actor.grant.scope === 'platform';
    case 'system':
    case 'cli':
      return true;
  }
}
