import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/pglite-database.ts';
import { seedTenants } from '../../src/tenants/seed-demo.ts';
import { describeTenant, listTenants } from '../../src/tenants/tenant-admin.ts';

// Seeding runs on every fresh embedded database and by hand on servers: it must be idempotent.
describe('seeding the demo tenants', () => {
  let embedded: EmbeddedDatabase;
  beforeAll(async () => {
    embedded = await openEmbeddedDatabase('memory://');
    await migrateOrThrow(embedded.admin);
  }, 60_000);
  afterAll(() => embedded?.close());

  const versions = async () => (await embedded.admin.selectFrom('page_versions').select('id').execute()).length;

  test('creates every tenant and publishes its pages once; a second run publishes nothing', async () => {
    const first = await seedTenants({ admin: embedded.admin, registry: catalog, notify: async () => {}, platformDomain: 'localhost' });
    expect(first.map((r) => r.slug)).toEqual(['clientsite', 'codersinflow', 'darkflows', 'oldshop']);
    expect(first.every((r) => r.created)).toBe(true);
    const published = await versions();
    expect(published).toBe(first.reduce((n, r) => n + r.published.length, 0));

    const second = await seedTenants({ admin: embedded.admin, registry: catalog, notify: async () => {}, platformDomain: 'localhost' });
    expect(second.every((r) => !r.created && r.published.length === 0)).toBe(true);
    expect(await versions()).toBe(published);
  });

  test('the platform views list and describe tenants', async () => {
    const tenants = await listTenants(embedded.admin);
    expect(tenants.map((t) => [t.slug, t.status, t.primary_domain])).toContainEqual(['darkflows', 'active', 'darkflows.com']);
    const dark = await describeTenant(embedded.admin, 'darkflows');
    expect(dark?.pages.map((p) => p.path)).toEqual(['/', '/404', '/blog', '/contact', '/features', '/pricing']);
    expect(dark?.theme?.preset).toBe('midnight');
    expect(await describeTenant(embedded.admin, 'nobody')).toBeNull();
  });
});
