import { z } from 'zod';
import { defineOperation } from '../operation.ts';

export interface TenantView {
  id: string;
  slug: string;
  name: string;
  status: string;
  plan: string;
  settings: Record<string, unknown>;
  siteVersion: number;
  domains: { hostname: string; primary: boolean; verified: boolean }[];
  createdAt: string;
  updatedAt: string;
}

/** One site as its members see it. */
export const readTenant = defineOperation({
  name: 'tenant.read',
  scope: 'tenant',
  action: 'tenant.read',
  mutates: false,
  input: z.object({}),
  async run({ trx, tenant }): Promise<TenantView> {
    const id = tenant!.id;
    const row = await trx
      .selectFrom('tenants')
      .select(['id', 'slug', 'name', 'status', 'plan', 'settings', 'site_version', 'created_at', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const domains = await trx
      .selectFrom('domains')
      .select(['hostname', 'is_primary', 'verified'])
      .where('tenant_id', '=', id)
      .orderBy('hostname')
      .execute();
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      status: row.status,
      plan: row.plan,
      settings: row.settings,
      siteVersion: Number(row.site_version),
      domains: domains.map((d) => ({ hostname: d.hostname, primary: d.is_primary, verified: d.verified })),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  },
});
