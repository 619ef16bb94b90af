import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApiServer, type ApiClient } from '../support/api-client.ts';
import { signedInMember } from '../support/api-members.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import type { RunningServer } from '../support/server-process.ts';

// Custom domains over HTTP against a running server on real Postgres and Redis.
describe('domains in the admin API', () => {
  const dbs = openTestDatabases(2);
  let server: RunningServer;
  let site: { id: string; slug: string };
  let freeSite: { id: string; slug: string };
  let owner: ApiClient;
  let freeOwner: ApiClient;
  const domainRows = (tenantId: string) => dbs.admin.selectFrom('domains').select(['hostname', 'verified']).where('tenant_id', '=', tenantId).orderBy('hostname').execute();

  beforeAll(async () => {
    // A resolver that refuses at once: verification fails fast, with its reason kept.
    [server, site, freeSite] = await Promise.all([
      startApiServer({ DNS_RESOLVERS: '127.0.0.1:9' }),
      createTestTenant(dbs.admin, { plan: 'pro' }),
      createTestTenant(dbs.admin, { plan: 'free', domains: [] }),
    ]);
    [owner, freeOwner] = await Promise.all([signedInMember(dbs.admin, server.port, site.id, 'owner'), signedInMember(dbs.admin, server.port, freeSite.id, 'owner')]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('add answers with the records to create; the same Idempotency-Key twice adds one domain', async () => {
    const headers = { 'idempotency-key': 'add-www-once' };
    const first = await owner.call('POST', `/tenants/${site.slug}/domains`, { body: { hostname: 'WWW.Bakery-Once.example.' }, headers });
    const second = await owner.call('POST', `/tenants/${site.slug}/domains`, { body: { hostname: 'WWW.Bakery-Once.example.' }, headers });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ hostname: 'www.bakery-once.example', verified: false, primary: false });
    expect(first.json.records.map((r: { type: string; name: string }) => `${r.type} ${r.name}`)).toContain('TXT _mosaic-challenge.www.bakery-once.example');
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json).toEqual(first.json);
    expect((await domainRows(site.id)).filter((d) => d.hostname === 'www.bakery-once.example')).toHaveLength(1);

    const listed = await owner.call('GET', `/tenants/${site.slug}/domains`);
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((d: { hostname: string }) => d.hostname)).toContain('www.bakery-once.example');
  });

  test('verify keeps the reason and a retry time; an unverified domain cannot become primary; remove frees it', async () => {
    const added = await owner.call('POST', `/tenants/${site.slug}/domains`, { body: { hostname: 'shop.bakery-verify.example' } });
    expect(added.status).toBe(201);
    const verified = await owner.call('POST', `/tenants/${site.slug}/domains/shop.bakery-verify.example/verify`);
    expect(verified.status).toBe(200);
    expect(verified.json.verified).toBe(false);
    expect(verified.json.lastCheckError).toEqual(expect.any(String));
    expect(verified.json.retryAt).toEqual(expect.any(String));

    const primary = await owner.call('POST', `/tenants/${site.slug}/domains/shop.bakery-verify.example/primary`);
    expect(primary.status).toBeGreaterThanOrEqual(400);
    expect(primary.status).toBeLessThan(500);
    expect(primary.headers['content-type']).toBe('application/problem+json');

    expect((await owner.call('DELETE', `/tenants/${site.slug}/domains/shop.bakery-verify.example`)).status).toBe(204);
    expect((await domainRows(site.id)).map((d) => d.hostname)).not.toContain('shop.bakery-verify.example');
  });

  test('bad names, names of the platform or another site, and plans without domains are refused and change nothing', async () => {
    const before = await domainRows(site.id);
    const bad = await owner.call('POST', `/tenants/${site.slug}/domains`, { body: { hostname: 'not a host' } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['hostname']);

    const platform = await owner.call('POST', `/tenants/${site.slug}/domains`, { body: { hostname: 'anything.localhost' } });
    expect(platform.status).toBe(409);
    expect(platform.json.code).toBe('DomainUnavailable');

    const free = await freeOwner.call('POST', `/tenants/${freeSite.slug}/domains`, { body: { hostname: 'www.free-site.example' } });
    expect(free.status).toBe(403);
    expect(free.json.code).toBe('PlanFeatureMissing');

    // Another site's domains are not there at all for this owner.
    expect((await freeOwner.call('GET', `/tenants/${site.slug}/domains`)).status).toBe(404);
    expect((await freeOwner.call('DELETE', `/tenants/${site.slug}/domains/${before[0]!.hostname}`)).status).toBe(404);
    expect(await domainRows(site.id)).toEqual(before);
    expect(await domainRows(freeSite.id)).toEqual([]);
  });
});
