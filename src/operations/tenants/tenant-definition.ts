import { z } from 'zod';
import { postsFileSchema, tenantFileSchema } from '../../tenants/tenant-file.ts';

/** A whole site as provisioning takes it: the record, domains and theme (as in `tenant.json`) and posts. */
export const tenantDefinitionInput = z.strictObject({
  tenant: tenantFileSchema,
  posts: postsFileSchema.default([]),
});

export type TenantDefinitionInput = z.output<typeof tenantDefinitionInput>;

export interface ProvisionResult {
  tenantId: string;
  slug: string;
  created: boolean;
  siteVersion: number;
  /** Every hostname whose routing may have changed. */
  hostnames: string[];
}
