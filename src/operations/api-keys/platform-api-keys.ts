import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { API_KEY_COLUMNS, apiKeyView, keyExpirySchema, keyNameSchema, type ApiKeyView } from './api-key-view.ts';
import { revokeStoredKey, storeApiKey } from './store-api-key.ts';

/** A platform-wide key: it may do everything a platform admin may. The secret is returned once. */
export const createPlatformApiKey = defineOperation({
  name: 'platform.apikey.create',
  scope: 'platform',
  action: 'platform.apikey.manage',
  mutates: true,
  input: z.strictObject({ name: keyNameSchema, expiresAt: keyExpirySchema }),
  run: (tx, input) => storeApiKey(tx, { tenantId: null, role: null, name: input.name, expiresAt: input.expiresAt }),
});

export const listPlatformApiKeys = defineOperation({
  name: 'platform.apikey.list',
  scope: 'platform',
  action: 'platform.apikey.manage',
  mutates: false,
  input: z.strictObject({}),
  async run({ trx, now }): Promise<ApiKeyView[]> {
    const rows = await trx.selectFrom('api_keys').select(API_KEY_COLUMNS).where('tenant_id', 'is', null).orderBy('created_at', 'desc').execute();
    return rows.map((row) => apiKeyView(row, now));
  },
});

/** Revokes any key, platform or tenant, by id: platform staff stop a leaked key wherever it lives. */
export const revokeAnyApiKey = defineOperation({
  name: 'platform.apikey.revoke',
  scope: 'platform',
  action: 'platform.apikey.manage',
  mutates: true,
  input: z.strictObject({ keyId: z.uuid() }),
  async run(tx, input): Promise<ApiKeyView> {
    const row = await tx.trx.selectFrom('api_keys').select(API_KEY_COLUMNS).where('id', '=', input.keyId).forUpdate().executeTakeFirst();
    if (!row) throw new MosaicError('NotFound', 'No key has that id.');
    return revokeStoredKey(tx, row);
  },
});
