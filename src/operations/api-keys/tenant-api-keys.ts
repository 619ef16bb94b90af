import { z } from 'zod';
import { tenantRoleSchema } from '../../auth/account-schemas.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { requireRoleWithinReach } from '../members/member-rules.ts';
import { defineOperation } from '../operation.ts';
import { requireRoomFor } from '../plan-limits.ts';
import { API_KEY_COLUMNS, apiKeyView, keyExpirySchema, keyNameSchema, type ApiKeyView } from './api-key-view.ts';
import { revokeStoredKey, storeApiKey } from './store-api-key.ts';

/** A key for this site with one role, not above the creator's own; the secret is returned once. */
export const createApiKey = defineOperation({
  name: 'apikey.create',
  scope: 'tenant',
  action: 'apikey.create',
  mutates: true,
  input: z.strictObject({ name: keyNameSchema, role: tenantRoleSchema, expiresAt: keyExpirySchema }),
  async run(tx, input) {
    requireRoleWithinReach(tx, input.role);
    // Revoked and expired keys hold no slot.
    await requireRoomFor(
      tx,
      'apiKeys',
      async () => {
        const row = await tx.trx
          .selectFrom('api_keys')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('tenant_id', '=', tx.tenant!.id)
          .where('revoked_at', 'is', null)
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', tx.now)]))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      },
      'apiAccess',
    );
    return storeApiKey(tx, { tenantId: tx.tenant!.id, role: input.role, name: input.name, expiresAt: input.expiresAt });
  },
});

/** The site's keys, revoked and expired ones included, newest first. Secrets are never listed. */
export const listApiKeys = defineOperation({
  name: 'apikey.list',
  scope: 'tenant',
  action: 'apikey.read',
  mutates: false,
  input: z.strictObject({}),
  async run({ trx, tenant, now }): Promise<ApiKeyView[]> {
    const rows = await trx.selectFrom('api_keys').select(API_KEY_COLUMNS).where('tenant_id', '=', tenant!.id).orderBy('created_at', 'desc').execute();
    return rows.map((row) => apiKeyView(row, now));
  },
});

/** Revokes one of the site's keys at once; a key above the actor's own role only by those who may grant it. */
export const revokeApiKey = defineOperation({
  name: 'apikey.revoke',
  scope: 'tenant',
  action: 'apikey.revoke',
  mutates: true,
  input: z.strictObject({ keyId: z.uuid() }),
  async run(tx, input): Promise<ApiKeyView> {
    const tenantId = tx.tenant!.id;
    const row = await tx.trx
      .selectFrom('api_keys')
      .select(API_KEY_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', input.keyId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new MosaicError('NotFound', 'This site has no key with that id.');
    if (row.role) requireRoleWithinReach(tx, row.role);
    return revokeStoredKey(tx, row);
  },
});
