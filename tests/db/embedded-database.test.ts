import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/pglite-database.ts';
import type { Database } from '../../src/db/schema.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { provisionTenant } from '../../src/tenants/provision-tenant.ts';

// The embedded default must hold the same guarantees as a PostgreSQL server.
describe('embedded PGlite database', () => {
  let embedded: EmbeddedDatabase;
  let app: Kysely<Database>;
  const ids: Record<'a' | 'b', string> = { a: '', b: '' };

  beforeAll(async () => {
    embedded = await openEmbeddedDatabase('memory://');
    await migrateOrThrow(embedded.admin);
    for (const key of ['a', 'b'] as const) {
      const posts = Array.from({ length: 3 }, (_, i) => ({
        slug: `${key}-post-${i}`,
        title: `${key} post ${i}`,
        excerpt: '',
        body: '',
        author: null,
        publishedAt: '2026-01-01T00:00:00Z',
      }));
      const { tenantId } = await provisionTenant(
        embedded.admin,
        {
          slug: `embedded-${key}`,
          name: key,
          status: 'active',
          plan: 'free',
          settings: {},
          domains: [{ hostname: `${key}.embedded.test`, primary: true, verified: true }],
          theme: { preset: 'ocean', overrides: {} },
        },
        posts,
        { actor: 'test', platformDomain: 'localhost' },
      );
      ids[key] = tenantId;
    }
    app = await embedded.dropToAppRole();
  }, 60_000);
  afterAll(() => embedded?.close());

  test('runs as the unprivileged app role after migrating', async () => {
    const { rows } = await sql<{ user: string; su: boolean }>`
      SELECT current_user AS user, rolsuper AS su FROM pg_roles WHERE rolname = current_user
    `.execute(app);
    expect(rows[0]).toEqual({ user: 'mosaic_app', su: false });
  });

  test('no tenant context sees nothing', async () => {
    for (const table of ['tenants', 'domains', 'themes', 'posts', 'pages'] as const) {
      expect(await app.selectFrom(table).selectAll().execute(), table).toEqual([]);
    }
  });

  test('a tenant sees only its own rows, even asking for another by hand', async () => {
    await withTenant(app, ids.a, async (trx) => {
      const posts = await trx.selectFrom('posts').select('tenant_id').execute();
      expect(posts).toHaveLength(3);
      expect(new Set(posts.map((p) => p.tenant_id))).toEqual(new Set([ids.a]));
      const theirs = await sql`SELECT * FROM posts WHERE tenant_id = ${ids.b}`.execute(trx);
      expect(theirs.rows).toEqual([]);
      const changed = await sql`UPDATE tenants SET site_version = site_version + 1 WHERE id = ${ids.b}`.execute(trx);
      expect(changed.numAffectedRows).toBe(0n);
    });
  });

  test('concurrent units of work on the single connection never see each other’s tenant', async () => {
    const work = Array.from({ length: 40 }, (_, i) => {
      const id = i % 2 === 0 ? ids.a : ids.b;
      return withTenant(app, id, async (trx) => {
        await new Promise((r) => setTimeout(r, 1));
        const rows = await trx.selectFrom('posts').select('tenant_id').execute();
        return rows.every((r) => r.tenant_id === id) && rows.length === 3;
      });
    });
    const plain = Array.from({ length: 10 }, () => app.selectFrom('posts').selectAll().execute());
    expect(await Promise.all(work)).toEqual(Array(40).fill(true));
    for (const rows of await Promise.all(plain)) expect(rows).toEqual([]);
  });

  test('the app role may not create tenants outside platform scope', async () => {
    await expect(sql`INSERT INTO tenants (slug, name) VALUES ('evil', 'Evil')`.execute(app)).rejects.toThrow(/row-level security/);
  });
});
