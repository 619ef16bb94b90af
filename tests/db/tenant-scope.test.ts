import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';

describe('withTenant given a transaction joins it', () => {
  const dbs = openTestDatabases(2);
  let a: { id: string };
  let b: { id: string };
  beforeAll(async () => {
    a = await createTestTenant(dbs.admin);
    b = await createTestTenant(dbs.admin);
  });
  afterAll(() => dbs.close());

  const visibleTenants = async (db: Parameters<typeof withTenant>[0]) => (await sql<{ id: string }>`SELECT id FROM tenants`.execute(db)).rows.map((r) => r.id);

  test('the inner tenant applies inside, and the outer one again after it, in one transaction', async () => {
    const seen = await withTenant(dbs.app, a.id, async (trx) => {
      const before = await visibleTenants(trx);
      const inner = await withTenant(trx, b.id, (inside) => visibleTenants(inside));
      const after = await visibleTenants(trx);
      return { before, inner, after };
    });
    expect(seen).toEqual({ before: [a.id], inner: [b.id], after: [a.id] });
  });

  test('a transaction without a tenant gets none back after the inner work', async () => {
    const seen = await dbs.app.transaction().execute(async (trx) => {
      const inner = await withTenant(trx, b.id, (inside) => visibleTenants(inside));
      return { inner, after: await visibleTenants(trx) };
    });
    expect(seen).toEqual({ inner: [b.id], after: [] });
  });

  test('an error inside restores the outer tenant and reaches the caller', async () => {
    const seen = await withTenant(dbs.app, a.id, async (trx) => {
      const error = await withTenant(trx, b.id, async () => {
        throw new Error('refused');
      }).catch((e: unknown) => (e as Error).message);
      return { error, after: await visibleTenants(trx) };
    });
    expect(seen).toEqual({ error: 'refused', after: [a.id] });
  });
});
