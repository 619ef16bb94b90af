import type { Actor } from '../operations/actor.ts';
import { findApiKey, touchApiKey } from './account-lookups.ts';
import { hashApiKeySecret, parseApiKey } from './api-key-secret.ts';
import type { AuthDeps } from './auth-deps.ts';
import { TOUCH_INTERVAL_MS } from './session-auth.ts';
import { sameDigest } from './tokens.ts';

/**
 * The actor of an `Authorization: Bearer mk_<prefix>_<secret>` header, or null: not a key,
 * unknown prefix, wrong secret (compared in constant time), revoked or expired. Records the last
 * use at most once a minute.
 */
export async function authenticateApiKey(
  deps: Pick<AuthDeps, 'db' | 'clock'>,
  authorization: string | null | undefined,
): Promise<Extract<Actor, { kind: 'api-key' }> | null> {
  const match = /^Bearer[ ]+(\S+)$/i.exec(authorization?.trim() ?? '');
  const parsed = match ? parseApiKey(match[1]!) : null;
  if (!parsed) return null;
  const row = await findApiKey(deps.db, parsed.prefix);
  if (!row || !sameDigest(hashApiKeySecret(parsed.secret), row.secret_hash)) return null;
  const now = deps.clock();
  if (row.revoked_at || (row.expires_at && new Date(row.expires_at) <= now)) return null;
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() >= TOUCH_INTERVAL_MS) await touchApiKey(deps.db, row.key_id, now);
  const grant = row.tenant_id && row.role ? { scope: 'tenant' as const, tenantId: row.tenant_id, role: row.role } : { scope: 'platform' as const };
  return { kind: 'api-key', keyId: row.key_id, label: parsed.prefix, grant };
}
