import { randomUUID } from 'node:crypto';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { tenantDefinitionInput, type ProvisionResult } from './tenant-definition.ts';
import { writeTenant } from './write-tenant.ts';

/** Creates a site from its definition (record, domains, theme, posts); a slug in use is a `Conflict`. */
export const createTenant = defineOperation({
  name: 'platform.tenant.create',
  scope: 'platform',
  action: 'platform.tenant.create',
  mutates: true,
  input: tenantDefinitionInput,
  async run(tx, input): Promise<ProvisionResult> {
    const taken = await tx.trx.selectFrom('tenants').select('id').where('slug', '=', input.tenant.slug).executeTakeFirst();
    if (taken) throw new MosaicError('Conflict', `A site with the slug "${input.tenant.slug}" exists.`, [{ path: 'tenant.slug', message: 'is taken' }]);
    return writeTenant(tx, randomUUID(), input, true);
  },
});
