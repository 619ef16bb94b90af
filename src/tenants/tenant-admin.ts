import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { findTenantId } from './provision-tenant.ts';

// Platform views for operators; they need the owner connection (see openAdminDatabase).

export async function listTenants(admin: Kysely<Database>) {
  return admin
    .selectFrom('tenants')
    .leftJoin('domains', (join) => join.onRef('domains.tenant_id', '=', 'tenants.id').on('domains.is_primary', '=', true))
    .select(['tenants.slug', 'tenants.name', 'tenants.status', 'tenants.plan', 'tenants.site_version', 'domains.hostname as primary_domain'])
    .orderBy('tenants.slug')
    .execute();
}

export async function describeTenant(admin: Kysely<Database>, slug: string) {
  const tenantId = await findTenantId(admin, slug);
  if (!tenantId) return null;
  return withTenant(admin, tenantId, async (trx) => {
    const tenant = await trx.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirstOrThrow();
    const domains = await trx.selectFrom('domains').select(['hostname', 'is_primary', 'verified']).where('tenant_id', '=', tenantId).execute();
    const theme = await trx.selectFrom('themes').select(['preset', 'overrides', 'logo_url']).where('tenant_id', '=', tenantId).executeTakeFirst();
    const pages = await trx
      .selectFrom('pages')
      .leftJoin('page_versions as v', (join) => join.onRef('v.tenant_id', '=', 'pages.tenant_id').onRef('v.id', '=', 'pages.published_version_id'))
      .select(['pages.path', 'v.version as published_version', 'v.created_at as published_at'])
      .where('pages.tenant_id', '=', tenantId)
      .orderBy('pages.path')
      .execute();
    const posts = await trx.selectFrom('posts').select(['slug', 'title', 'published_at']).where('tenant_id', '=', tenantId).orderBy('published_at', 'desc').execute();
    return { ...tenant, domains, theme, pages, posts };
  });
}
