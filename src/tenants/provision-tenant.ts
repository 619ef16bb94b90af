import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, TenantPlan, TenantStatus } from '../db/schema.ts';
import { withTenant, type TenantTransaction } from '../db/tenant-scope.ts';
import { MosaicError, type ErrorDetail } from '../errors/catalog.ts';
import { recordChange } from '../publishing/change-outbox.ts';
import { recordAudit, type SiteChange } from '../publishing/site-version.ts';
import { themeIssues } from '../theme/resolve-theme.ts';
import { unstorableTextIssues } from '../validation/storable-text.ts';
import { domainClaimIssues, findDomainOwners } from './domain-rules.ts';

export interface TenantDefinition {
  slug: string;
  name: string;
  status: TenantStatus;
  plan: TenantPlan;
  settings: Record<string, unknown>;
  /** A domain routes only when `verified` is true. */
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

export interface ProvisionOptions {
  actor: string;
  /** Hostnames under it belong to the platform and cannot be claimed. */
  platformDomain: string;
}

/**
 * Creates or updates a tenant with its domains, theme and posts, idempotently. Runs with the
 * owner connection (it creates tenants and domains, which the app role cannot), yet still inside
 * the tenant's own context so row-level security applies even to a non-superuser owner.
 * Everything is checked before anything is written: text PostgreSQL cannot store, the theme, and
 * the domains (none under the platform domain, none held by another tenant). Given a
 * transaction, it writes inside it. Returns the tenant id and the change to announce (with every
 * hostname whose routing may have changed), whose notice is recorded in the same transaction.
 * Pages are published separately.
 */
export async function provisionTenant(
  admin: Kysely<Database>,
  tenant: TenantDefinition,
  posts: readonly PostDefinition[],
  options: ProvisionOptions,
): Promise<{ tenantId: string; created: boolean; change: SiteChange }> {
  const problems: ErrorDetail[] = [
    ...unstorableTextIssues({ tenant, posts }),
    ...themeIssues(tenant.theme.preset, tenant.theme.overrides).map((i) => ({ path: `tenant.theme.${i.path}`, message: i.message })),
  ];
  if (problems.length) throw new MosaicError('InvalidTenantFile', `Tenant "${tenant.slug}" is not valid`, problems);
  await assertDomainsAvailable(admin, tenant, options.platformDomain);

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
      actor: options.actor,
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

async function assertDomainsAvailable(admin: Kysely<Database>, tenant: TenantDefinition, platformDomain: string): Promise<void> {
  const hostnames = tenant.domains.map((d) => d.hostname);
  const owners = await findDomainOwners(admin, hostnames);
  const issues = domainClaimIssues(
    hostnames.map((hostname) => ({ slug: tenant.slug, hostname })),
    { platformDomain, owners },
  );
  if (issues.length) {
    throw new MosaicError('DomainUnavailable', `Tenant "${tenant.slug}" cannot use these domains`, issues.map((i) => ({ path: i.hostname, message: i.message })));
  }
}

/** Returns the hostnames the tenant had before. */
async function replaceDomains(trx: TenantTransaction, tenantId: string, domains: TenantDefinition['domains']): Promise<string[]> {
  const previous = await trx.deleteFrom('domains').where('tenant_id', '=', tenantId).returning('hostname').execute();
  if (domains.length === 0) return previous.map((d) => d.hostname);
  try {
    await trx
      .insertInto('domains')
      .values(
        domains.map((d) => ({
          tenant_id: tenantId,
          hostname: d.hostname,
          is_primary: d.primary ?? false,
          verified: d.verified ?? false,
        })),
      )
      .execute();
  } catch (error) {
    throw takenDomainError(error) ?? error;
  }
  return previous.map((d) => d.hostname);
}

/** A claim that raced past the check (or an owner that cannot see other tenants) meets the unique index. */
function takenDomainError(error: unknown): MosaicError | null {
  const pgError = error as { code?: string; constraint?: string; detail?: string };
  if (pgError.code !== '23505' || pgError.constraint !== 'domains_hostname_key') return null;
  const hostname = /\(hostname\)=\(([^)]*)\)/.exec(pgError.detail ?? '')?.[1] ?? 'a domain';
  return new MosaicError('DomainUnavailable', undefined, [{ path: hostname, message: `hostname "${hostname}" belongs to another tenant` }]);
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
