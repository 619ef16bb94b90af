import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { catalog } from '../registry/catalog.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { createPostgresDatabase } from '../src/db/postgres-database.ts';
import type { Database } from '../src/db/schema.ts';
import { seedTenants } from '../src/tenants/seed-demo.ts';

export const BENCH_PATHS = ['/', '/services', '/about'];

export interface BenchDatabase {
  adminUrl: string;
  appUrl: string;
  admin: Kysely<Database>;
  drop(): Promise<void>;
}

/** A fresh database for one benchmark run: migrated, with the demo tenants. */
export async function createBenchDatabase(serverUrl: string, prefix = 'mosaic_bench'): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const server = new pg.Client({ connectionString: serverUrl });
  await server.connect();
  await server.query(`CREATE DATABASE ${name}`);
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = `/${name}`;
  const appUrl = new URL(adminUrl);
  appUrl.username = 'mosaic_app';
  appUrl.password = '';
  const admin = createPostgresDatabase(adminUrl.toString(), 4);
  await migrateOrThrow(admin);
  await seedTenants({ admin, registry: catalog, notify: async () => {}, platformDomain: 'localhost' });
  return {
    adminUrl: adminUrl.toString(),
    appUrl: appUrl.toString(),
    admin,
    async drop() {
      await admin.destroy();
      await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await server.end();
    },
  };
}

/**
 * Clones the `codersinflow` site (theme, three pages, posts) into `count` tenants named
 * `<prefix>-000001…`, in bulk SQL. Needs the owner connection.
 */
export async function cloneTenants(admin: Kysely<Database>, prefix: string, count: number, pages = BENCH_PATHS): Promise<string[]> {
  const pattern = `${prefix}-%`;
  await sql`
    INSERT INTO tenants (slug, name, status, plan, settings)
    SELECT ${prefix} || '-' || lpad(i::text, 6, '0'), 'Bench site ' || i, 'active', 'pro', '{}'::jsonb
      FROM generate_series(1, ${count}::int) AS i
  `.execute(admin);
  await sql`
    INSERT INTO themes (tenant_id, preset, overrides, logo_url, favicon_url)
    SELECT t.id, th.preset, th.overrides, th.logo_url, th.favicon_url
      FROM tenants t, themes th JOIN tenants s ON s.id = th.tenant_id AND s.slug = 'codersinflow'
     WHERE t.slug LIKE ${pattern}
  `.execute(admin);
  await sql`
    INSERT INTO pages (tenant_id, path)
    SELECT t.id, p.path FROM tenants t, pages p JOIN tenants s ON s.id = p.tenant_id AND s.slug = 'codersinflow'
     WHERE t.slug LIKE ${pattern} AND p.path = ANY(${pages})
  `.execute(admin);
  await sql`
    INSERT INTO page_versions (tenant_id, page_id, version, composition, created_by)
    SELECT np.tenant_id, np.id, 1, v.composition, 'bench'
      FROM pages np
      JOIN tenants t ON t.id = np.tenant_id AND t.slug LIKE ${pattern}
      JOIN tenants s ON s.slug = 'codersinflow'
      JOIN pages sp ON sp.tenant_id = s.id AND sp.path = np.path
      JOIN page_versions v ON v.tenant_id = sp.tenant_id AND v.id = sp.published_version_id
  `.execute(admin);
  await sql`
    UPDATE pages np SET published_version_id = v.id
      FROM page_versions v, tenants t
     WHERE v.tenant_id = np.tenant_id AND v.page_id = np.id AND t.id = np.tenant_id AND t.slug LIKE ${pattern}
  `.execute(admin);
  await sql`
    INSERT INTO posts (tenant_id, slug, title, excerpt, body, author, published_at)
    SELECT t.id, p.slug, p.title, p.excerpt, p.body, p.author, p.published_at
      FROM tenants t, posts p JOIN tenants s ON s.id = p.tenant_id AND s.slug = 'codersinflow'
     WHERE t.slug LIKE ${pattern}
  `.execute(admin);
  await sql`ANALYZE`.execute(admin);
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(6, '0')}`);
}
