import { newApiKey } from '../../auth/api-key-secret.ts';
import type { TenantRole } from '../../db/schema.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { describeActor } from '../actor.ts';
import type { OperationTx } from '../operation.ts';
import { API_KEY_COLUMNS, apiKeyView, type ApiKeyView } from './api-key-view.ts';

/**
 * Inserts a new key (tenant key with a role, or platform key) and returns its view and the full
 * secret, which is never shown again. Expiry must be in the future.
 */
export async function storeApiKey(
  tx: OperationTx,
  key: { tenantId: string | null; role: TenantRole | null; name: string; expiresAt: string | null | undefined },
): Promise<{ key: ApiKeyView; secret: string }> {
  const expiresAt = key.expiresAt ? new Date(key.expiresAt) : null;
  if (expiresAt && expiresAt <= tx.now) throw new MosaicError('InvalidInput', undefined, [{ path: 'expiresAt', message: 'must be in the future' }]);
  const creator = describeActor(tx.actor);
  const fresh = newApiKey();
  const row = await tx.trx
    .insertInto('api_keys')
    .values({
      tenant_id: key.tenantId,
      role: key.role,
      name: key.name,
      prefix: fresh.prefix,
      secret_hash: fresh.secretHash,
      created_by: creator.label,
      created_by_id: creator.id,
      created_at: tx.now,
      expires_at: expiresAt,
    })
    .returning(API_KEY_COLUMNS)
    .executeTakeFirstOrThrow();
  const view = apiKeyView(row, tx.now);
  await tx.audit({
    tenantId: key.tenantId ?? undefined,
    subject: view.prefix,
    after: { name: view.name, role: view.role, scope: view.scope, expiresAt: view.expiresAt },
    detail: { keyId: view.id },
  });
  return { key: view, secret: fresh.key };
}

type StoredKey = Parameters<typeof apiKeyView>[0];

/** Revokes a key row the caller has locked; revoking a revoked key changes nothing. Audited in the key's trail. */
export async function revokeStoredKey(tx: OperationTx, row: StoredKey): Promise<ApiKeyView> {
  if (row.revoked_at) {
    tx.noChange();
    return apiKeyView(row, tx.now);
  }
  let update = tx.trx.updateTable('api_keys').set({ revoked_at: tx.now }).where('id', '=', row.id);
  if (row.tenant_id) update = update.where('tenant_id', '=', row.tenant_id);
  const view = apiKeyView(await update.returning(API_KEY_COLUMNS).executeTakeFirstOrThrow(), tx.now);
  await tx.audit({
    tenantId: row.tenant_id ?? undefined,
    subject: view.prefix,
    before: { active: true },
    after: { active: false },
    detail: { keyId: view.id, name: view.name },
  });
  return view;
}
