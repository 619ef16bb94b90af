import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { tenantDefinitionInput, type ProvisionResult } from './tenant-definition.ts';
import { writeTenant } from './write-tenant.ts';

/**
 * Brings an existing site in line with its definition: record (status and plan included), domains
 * and theme replaced, posts upserted by slug (others kept). Pages are published separately.
 */
export const replaceTenant = defineOperation({
  name: 'platform.tenant.update',
  scope: 'platform',
  action: 'platform.tenant.lifecycle',
  mutates: true,
  input: tenantDefinitionInput,
  async run(tx, input): Promise<ProvisionResult> {
    const existing = await tx.trx.selectFrom('tenants').select('id').where('slug', '=', input.tenant.slug).executeTakeFirst();
    if (!existing) throw new MosaicError('NotFound', `There is no site with the slug "${input.tenant.slug}".`);
    return writeTenant(tx, existing.id, input, false);
  },
});
