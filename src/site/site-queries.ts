import { sql, type Kysely } from 'kysely';
import type { PageComposition } from '../compositions/composition-schema.ts';
import type { Database } from '../db/schema.ts';
import { withTenant } from '../db/tenant-scope.ts';
import type { LatestPosts } from '../../registry/types.ts';
import type { HostMatch, PostRecord, PublishedPath, TenantRecord, ThemeRecord } from './site-types.ts';

// The uncached Postgres reads behind the site cache. Each tenant read runs in its tenant's
// context, so row-level security backs up every WHERE clause.

export async function queryHost(db: Kysely<Database>, hostname: string | null, platformSlug: string | null): Promise<HostMatch | null> {
  const { rows } = await sql<{ tenant_id: string; via: 'domain' | 'platform'; is_primary: boolean; primary_hostname: string | null }>`
    SELECT * FROM mosaic_resolve_host(${hostname}, ${platformSlug})
  `.execute(db);
  const row = rows[0];
  if (!row) return null;
  return { tenantId: row.tenant_id, via: row.via, isPrimary: row.is_primary, primaryHostname: row.primary_hostname };
}

export function queryTenant(db: Kysely<Database>, tenantId: string): Promise<TenantRecord | null> {
  return withTenant(db, tenantId, async (trx) => {
    const row = await trx
      .selectFrom('tenants')
      .select(['id', 'slug', 'name', 'status', 'plan', 'plan_overrides', 'settings', 'site_version'])
      .select((eb) =>
        eb
          .selectFrom('domains')
          .select('hostname')
          .whereRef('domains.tenant_id', '=', 'tenants.id')
          .where('is_primary', '=', true)
          .where('verified', '=', true)
          .limit(1)
          .as('primary_hostname'),
      )
      .where('id', '=', tenantId)
      // A deleted site is gone for visitors: its hosts answer as if it never existed.
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      status: row.status,
      plan: row.plan,
      planOverrides: row.plan_overrides,
      settings: row.settings,
      siteVersion: Number(row.site_version),
      primaryHostname: row.primary_hostname,
    };
  });
}

export function queryTheme(db: Kysely<Database>, tenantId: string): Promise<ThemeRecord | null> {
  return withTenant(db, tenantId, async (trx) => {
    const row = await trx
      .selectFrom('themes')
      .select(['preset', 'overrides', 'logo_url', 'favicon_url'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row ? { preset: row.preset, overrides: row.overrides, logoUrl: row.logo_url, faviconUrl: row.favicon_url } : null;
  });
}

export function queryPublishedPage(db: Kysely<Database>, tenantId: string, path: string): Promise<PageComposition | null> {
  return withTenant(db, tenantId, async (trx) => {
    const row = await trx
      .selectFrom('pages')
      .innerJoin('page_versions as v', (join) =>
        join.onRef('v.tenant_id', '=', 'pages.tenant_id').onRef('v.id', '=', 'pages.published_version_id'),
      )
      .select('v.composition')
      .where('pages.tenant_id', '=', tenantId)
      .where('pages.path', '=', path)
      .where('pages.deleted_at', 'is', null)
      .executeTakeFirst();
    return row ? (row.composition as PageComposition) : null;
  });
}

/** Every published page's path and when its live version was published; `noindex` pages are left out. */
export function queryPublishedPaths(db: Kysely<Database>, tenantId: string): Promise<PublishedPath[]> {
  return withTenant(db, tenantId, async (trx) => {
    const rows = await trx
      .selectFrom('pages')
      .innerJoin('page_versions as v', (join) =>
        join.onRef('v.tenant_id', '=', 'pages.tenant_id').onRef('v.id', '=', 'pages.published_version_id'),
      )
      .select(['pages.path', 'v.created_at', sql<boolean>`coalesce((v.composition -> 'meta' ->> 'noindex')::boolean, false)`.as('noindex')])
      .where('pages.tenant_id', '=', tenantId)
      .where('pages.deleted_at', 'is', null)
      .orderBy('pages.path')
      .limit(MAX_SITEMAP_PATHS)
      .execute();
    return rows.filter((r) => !r.noindex).map((r) => ({ path: r.path, publishedAt: new Date(r.created_at).toISOString() }));
  });
}

/** A sitemap file holds at most 50,000 URLs. */
const MAX_SITEMAP_PATHS = 50_000;

/** The latest published posts, and when the next scheduled one goes live. */
export function queryLatestPosts(db: Kysely<Database>, tenantId: string, limit: number): Promise<LatestPosts> {
  return withTenant(db, tenantId, async (trx) => {
    const now = new Date();
    const rows = await trx
      .selectFrom('posts')
      .select(['slug', 'title', 'excerpt', 'body', 'author', 'published_at'])
      .where('tenant_id', '=', tenantId)
      .where('published_at', '<=', now)
      .orderBy('published_at', 'desc')
      .limit(limit)
      .execute();
    const next = await trx
      .selectFrom('posts')
      .select((eb) => eb.fn.min('published_at').as('at'))
      .where('tenant_id', '=', tenantId)
      .where('published_at', '>', now)
      .executeTakeFirst();
    return { posts: rows.map(toPost), nextPublishAt: next?.at ? new Date(next.at).toISOString() : null };
  });
}

export function queryPost(db: Kysely<Database>, tenantId: string, slug: string): Promise<PostRecord | null> {
  return withTenant(db, tenantId, async (trx) => {
    const row = await trx
      .selectFrom('posts')
      .select(['slug', 'title', 'excerpt', 'body', 'author', 'published_at'])
      .where('tenant_id', '=', tenantId)
      .where('slug', '=', slug)
      .where('published_at', '<=', new Date())
      .executeTakeFirst();
    return row ? toPost(row) : null;
  });
}

// Only posts whose time has come are read, so published_at is set.
function toPost(row: { slug: string; title: string; excerpt: string; body: string; author: string | null; published_at: Date | null }): PostRecord {
  return {
    slug: row.slug,
    title: row.title,
    excerpt: row.excerpt,
    body: row.body,
    author: row.author,
    publishedAt: new Date(row.published_at ?? 0).toISOString(),
  };
}
