import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, TenantPlan, TenantStatus } from '../db/schema.ts';
import { withTenant, type TenantTransaction } from '../db/tenant-scope.ts';
import { recordChange } from '../publishing/change-outbox.ts';
import { recordAudit, type SiteChange } from '../publishing/site-version.ts';
import { resolveTheme } from '../theme/resolve-theme.ts';

export interface TenantDefinition {
  slug: string;
  name: string;
  status: TenantStatus;
  plan: TenantPlan;
  settings: Record<string, unknown>;
  domains: readonly { hostname: string; primary?: boolean; verified?: boolean }[];
  theme: { preset: string; overrides: Record<string, unknown>; logoUrl?: string | null; faviconUrl?: string | null };
}

export interface PostDefinition {
  slug: string;
  title: string;
  excerpt: string;
  body: string;
  author: string | null;
  publishedAt: string;
}

/**
 * Creates or updates a tenant with its domains, theme and posts, idempotently. Runs with the
 * owner connection (it creates tenants and domains, which the app role cannot), yet still inside
 * the tenant's own context so row-level security applies even to a non-superuser owner.
 * Returns the tenant id and the change to announce (with every hostname whose routing may have
 * changed), whose notice is recorded in the same transaction. Pages are published separately
 * through the publishing service.
 */
export async function provisionTenant(
  admin: Kysely<Database>,
  tenant: TenantDefinition,
  posts: readonly PostDefinition[],
  actor: string,
): Promise<{ tenantId: string; created: boolean; change: SiteChange }> {
  // Tenants supply tokens, never CSS; a bad theme is refused before anything is written.
  resolveTheme(tenant.theme.preset, tenant.theme.overrides);
  const existing = await findTenantId(admin, tenant.slug);
  const tenantId = existing ?? randomUUID();
  const change = await withTenant(admin, tenantId, async (trx) => {
    const row = await trx
      .insertInto('tenants')
      .values({
        id: tenantId,
        slug: tenant.slug,
        name: tenant.name,
        status: tenant.status,
        plan: tenant.plan,
        settings: JSON.stringify(tenant.settings),
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: tenant.name,
          status: tenant.status,
          plan: tenant.plan,
          settings: JSON.stringify(tenant.settings),
          site_version: sql`tenants.site_version + 1`,
          updated_at: sql`now()`,
        }),
      )
      .returning('site_version')
      .executeTakeFirstOrThrow();
    const previousHosts = await replaceDomains(trx, tenantId, tenant.domains);
    await trx
      .insertInto('themes')
      .values({
        tenant_id: tenantId,
        preset: tenant.theme.preset,
        overrides: JSON.stringify(tenant.theme.overrides),
        logo_url: tenant.theme.logoUrl ?? null,
        favicon_url: tenant.theme.faviconUrl ?? null,
      })
      .onConflict((oc) =>
        oc.column('tenant_id').doUpdateSet((eb) => ({
          preset: eb.ref('excluded.preset'),
          overrides: eb.ref('excluded.overrides'),
          logo_url: eb.ref('excluded.logo_url'),
          favicon_url: eb.ref('excluded.favicon_url'),
          updated_at: sql`now()`,
        })),
      )
      .execute();
    for (const post of posts) await upsertPost(trx, tenantId, post);
    await recordAudit(trx, tenantId, {
      action: existing ? 'tenant.update' : 'tenant.create',
      subject: tenant.slug,
      actor,
      detail: { domains: tenant.domains.map((d) => d.hostname), posts: posts.length },
    });
    const hostnames = [...new Set([...previousHosts, ...tenant.domains.map((d) => d.hostname)])];
    return recordChange(trx, { tenantId, siteVersion: Number(row.site_version), reason: 'provision', hostnames });
  });
  return { tenantId, created: !existing, change };
}

/** Looks a tenant up by slug through the routing function, which every role with access may call. */
export async function findTenantId(db: Kysely<Database>, slug: string): Promise<string | null> {
  const { rows } = await sql<{ tenant_id: string }>`SELECT tenant_id FROM mosaic_resolve_host(NULL, ${slug})`.execute(db);
  return rows[0]?.tenant_id ?? null;
}

/** Returns the hostnames the tenant had before. */
async function replaceDomains(trx: TenantTransaction, tenantId: string, domains: TenantDefinition['domains']): Promise<string[]> {
  const previous = await trx.deleteFrom('domains').where('tenant_id', '=', tenantId).returning('hostname').execute();
  if (domains.length === 0) return previous.map((d) => d.hostname);
  await trx
    .insertInto('domains')
    .values(
      domains.map((d) => ({
        tenant_id: tenantId,
        hostname: d.hostname,
        is_primary: d.primary ?? false,
        verified: d.verified ?? true,
      })),
    )
    .execute();
  return previous.map((d) => d.hostname);
}

async function upsertPost(trx: TenantTransaction, tenantId: string, post: PostDefinition): Promise<void> {
  await trx
    .insertInto('posts')
    .values({
      tenant_id: tenantId,
      slug: post.slug,
      title: post.title,
      excerpt: post.excerpt,
      body: post.body,
      author: post.author,
      published_at: post.publishedAt,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'slug']).doUpdateSet((eb) => ({
        title: eb.ref('excluded.title'),
        excerpt: eb.ref('excluded.excerpt'),
        body: eb.ref('excluded.body'),
        author: eb.ref('excluded.author'),
        published_at: eb.ref('excluded.published_at'),
      })),
    )
    .execute();
}
