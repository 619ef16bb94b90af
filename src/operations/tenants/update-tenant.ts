import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { tenantNameSchema, tenantSettingsSchema } from './tenant-schemas.ts';

/** Renames a site or replaces its settings; the name shows on every page, so the site changes. */
export const updateTenant = defineOperation({
  name: 'tenant.update',
  scope: 'tenant',
  action: 'tenant.update',
  mutates: true,
  input: z.strictObject({ name: tenantNameSchema.optional(), settings: tenantSettingsSchema.optional() }),
  async run(tx, input) {
    const id = tx.tenant!.id;
    const before = await tx.trx.selectFrom('tenants').select(['name', 'settings']).where('id', '=', id).executeTakeFirstOrThrow();
    const after = { name: input.name ?? before.name, settings: input.settings ?? before.settings };
    await tx.trx
      .updateTable('tenants')
      .set({ name: after.name, settings: JSON.stringify(after.settings) })
      .where('id', '=', id)
      .execute();
    await tx.audit({ subject: tx.tenant!.slug, before, after });
    const siteVersion = await tx.siteChanged('tenant settings');
    return { ...after, siteVersion };
  },
});
