import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { assertUnprivilegedRole } from '../../src/db/connect.ts';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';

const TENANT_TABLES = ['tenants', 'domains', 'themes', 'pages', 'page_versions', 'posts', 'form_submissions', 'audit_log', 'jobs'] as const;
const READABLE_TABLES = TENANT_TABLES;

describe('row-level security on PostgreSQL, as the app role', () => {
  const dbs = openTestDatabases();
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };

  beforeAll(async () => {
    const post = (slug: string) => ({ slug, title: slug, excerpt: '', body: '', author: null, publishedAt: '2026-01-01T00:00:00Z' });
    a = await createTestTenant(dbs.admin, {}, [post('a-post')]);
    b = await createTestTenant(dbs.admin, {}, [post('b-post')]);
    for (const t of [a, b]) {
      await withTenant(dbs.admin, t.id, async (trx) => {
        const page = await trx.insertInto('pages').values({ tenant_id: t.id, path: '/' }).returning('id').executeTakeFirstOrThrow();
        await trx
          .insertInto('page_versions')
          .values({ tenant_id: t.id, page_id: page.id, version: 1, composition: '{}', created_by: 'test' })
          .execute();
        await trx.insertInto('form_submissions').values({ tenant_id: t.id, form: 'contact', page_path: '/', data: '{}' }).execute();
        await trx
          .insertInto('jobs')
          .values({ tenant_id: t.id, kind: 'test.noop', payload: '{}', run_at: new Date(Date.now() + 3_600_000), created_by: 'test', created_by_kind: 'cli' })
          .execute();
      });
    }
  });
  afterAll(() => dbs.close());

  test('the app role is neither superuser, nor BYPASSRLS, nor table owner', async () => {
    await expect(assertUnprivilegedRole(dbs.app)).resolves.toBeUndefined();
    await expect(assertUnprivilegedRole(dbs.admin)).rejects.toThrow(/superuser|owns/);
  });

  test('RLS is enabled and forced on every tenant-owned table', async () => {
    const { rows } = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
      SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relkind = 'r' AND relname = ANY(${[...TENANT_TABLES]})
    `.execute(dbs.admin);
    expect(rows).toHaveLength(TENANT_TABLES.length);
    for (const row of rows) expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  test.each(READABLE_TABLES)('no tenant context sees nothing in %s', async (table) => {
    const { rows } = await sql`SELECT * FROM ${sql.table(table)}`.execute(dbs.app);
    expect(rows).toEqual([]);
  });

  test('RLS is enabled and forced on the tables added for operations', async () => {
    const { rows } = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>`
      SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relkind = 'r' AND relname IN ('jobs', 'idempotency_keys', 'change_outbox')
    `.execute(dbs.admin);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });

  test.each(READABLE_TABLES)('tenant A sees only its own rows in %s, even when asking for B by hand', async (table) => {
    const column = table === 'tenants' ? 'id' : 'tenant_id';
    await withTenant(dbs.app, a.id, async (trx) => {
      const mine = await sql<Record<string, string>>`SELECT ${sql.ref(column)} AS owner FROM ${sql.table(table)}`.execute(trx);
      expect(mine.rows.length).toBeGreaterThan(0);
      expect(new Set(mine.rows.map((r) => r.owner))).toEqual(new Set([a.id]));
      const theirs = await sql`SELECT * FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${b.id}`.execute(trx);
      expect(theirs.rows).toEqual([]);
    });
  });

  test('hand-written writes cannot touch or create another tenant’s rows', async () => {
    await withTenant(dbs.app, a.id, async (trx) => {
      const moved = await sql`UPDATE pages SET updated_at = now() WHERE tenant_id = ${b.id}`.execute(trx);
      expect(moved.numAffectedRows).toBe(0n);
      const bumped = await sql`UPDATE tenants SET site_version = site_version + 1 WHERE id = ${b.id}`.execute(trx);
      expect(bumped.numAffectedRows).toBe(0n);
    });
    await expect(
      withTenant(dbs.app, a.id, (trx) =>
        trx.insertInto('form_submissions').values({ tenant_id: b.id, form: 'contact', page_path: '/', data: '{}' }).execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    await withTenant(dbs.app, a.id, async (trx) => {
      expect((await sql`DELETE FROM posts WHERE tenant_id = ${b.id}`.execute(trx)).numAffectedRows).toBe(0n);
      expect((await sql`DELETE FROM form_submissions WHERE tenant_id = ${b.id}`.execute(trx)).numAffectedRows).toBe(0n);
      expect((await sql`UPDATE jobs SET status = 'cancelled' WHERE tenant_id = ${b.id}`.execute(trx)).numAffectedRows).toBe(0n);
    });
    const bPost = await dbs.admin.selectFrom('posts').select('title').where('tenant_id', '=', b.id).executeTakeFirstOrThrow();
    expect(bPost.title).toBe('b-post');
  });

  test('outside platform scope the app role cannot create tenants, change domains, lift a plan or rewrite history', async () => {
    await expect(sql`INSERT INTO tenants (slug, name) VALUES ('evil', 'Evil')`.execute(dbs.app)).rejects.toThrow(/row-level security/);
    await expect(withTenant(dbs.app, a.id, (trx) => sql`INSERT INTO tenants (slug, name) VALUES ('evil', 'Evil')`.execute(trx))).rejects.toThrow(/row-level security/);
    await expect(
      withTenant(dbs.app, a.id, (trx) => sql`INSERT INTO domains (tenant_id, hostname) VALUES (${a.id}, 'steal.example')`.execute(trx)),
    ).rejects.toThrow(/row-level security/);
    await withTenant(dbs.app, a.id, async (trx) => {
      expect((await sql`DELETE FROM domains`.execute(trx)).numAffectedRows).toBe(0n);
    });
    await expect(
      withTenant(dbs.app, a.id, (trx) => sql`UPDATE tenants SET status = 'active', plan = 'enterprise'`.execute(trx)),
    ).rejects.toThrow(/platform scope/);
    await expect(
      withTenant(dbs.app, a.id, (trx) => sql`UPDATE page_versions SET composition = '{}'`.execute(trx)),
    ).rejects.toThrow(/permission denied/);
    await expect(withTenant(dbs.app, a.id, (trx) => sql`DELETE FROM page_versions`.execute(trx))).rejects.toThrow(/permission denied/);
  });

  test('the tenant setting ends with its transaction: a pooled connection carries nothing over', async () => {
    const single = createPostgresDatabase(inject('appDatabaseUrl'), 1);
    try {
      await withTenant(single, a.id, (trx) => trx.selectFrom('posts').selectAll().execute());
      const { rows } = await sql<{ tenant: string | null }>`SELECT current_setting('mosaic.tenant_id', true) AS tenant`.execute(single);
      expect(rows[0]?.tenant ?? '').toBe('');
      expect(await single.selectFrom('posts').selectAll().execute()).toEqual([]);
    } finally {
      await single.destroy();
    }
  });

  test('host lookup works for the app role only through the routing function', async () => {
    const { rows } = await sql<{ tenant_id: string }>`SELECT tenant_id FROM mosaic_resolve_host(${`${a.slug}.test`}, NULL)`.execute(dbs.app);
    expect(rows.map((r) => r.tenant_id)).toEqual([a.id]);
    await expect(sql`SET ROLE mosaic_routing`.execute(dbs.app)).rejects.toThrow(/permission denied/);
  });
});

