import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isMosaicError } from '../../src/errors/catalog.ts';
import { domainClaimIssues } from '../../src/tenants/domain-rules.ts';
import { findTenantId, provisionTenant, type TenantDefinition } from '../../src/tenants/provision-tenant.ts';
import { createTestTenant, openTestDatabases, uniqueSlug } from '../support/databases.ts';

describe('domain claim rules', () => {
  const rules = (owners: Record<string, string> = {}) => ({ platformDomain: 'localhost', owners: new Map(Object.entries(owners)) });
  const messages = (claims: { slug: string; hostname: string }[], owners?: Record<string, string>) =>
    domainClaimIssues(claims, rules(owners)).map((i) => `${i.slug} ${i.hostname}: ${i.message}`);

  test('names under the platform domain, and the platform domain itself, belong to the platform', () => {
    expect(messages([{ slug: 'a', hostname: 'localhost' }, { slug: 'a', hostname: 'b.localhost' }, { slug: 'a', hostname: 'x.y.localhost' }])).toEqual([
      'a localhost: hostname "localhost" is under the platform domain "localhost", whose names belong to the platform',
      'a b.localhost: hostname "b.localhost" is under the platform domain "localhost", whose names belong to the platform',
      'a x.y.localhost: hostname "x.y.localhost" is under the platform domain "localhost", whose names belong to the platform',
    ]);
    expect(messages([{ slug: 'a', hostname: 'mylocalhost.com' }, { slug: 'a', hostname: 'localhost.example' }])).toEqual([]);
  });

  test('a hostname routes to one tenant: claimed twice in a batch, or held by another tenant', () => {
    expect(messages([{ slug: 'a', hostname: 'a.example' }, { slug: 'b', hostname: 'a.example' }])).toEqual(['b a.example: hostname "a.example" is also claimed by tenant "a"']);
    expect(messages([{ slug: 'a', hostname: 'a.example' }, { slug: 'a', hostname: 'a.example' }])).toEqual(['a a.example: hostname "a.example" is listed twice']);
    expect(messages([{ slug: 'b', hostname: 'a.example' }], { 'a.example': 'a' })).toEqual(['b a.example: hostname "a.example" belongs to tenant "a"']);
    // A tenant re-provisioned with its own domains is not in conflict with itself.
    expect(messages([{ slug: 'a', hostname: 'a.example' }], { 'a.example': 'a' })).toEqual([]);
  });
});

describe('provisioning domains', () => {
  const dbs = openTestDatabases(4);
  let holder: { id: string; slug: string };
  beforeAll(async () => {
    holder = await createTestTenant(dbs.admin, { domains: [{ hostname: `${uniqueSlug('held')}.test`, primary: true, verified: true }, { hostname: `${uniqueSlug('quiet')}.test` }] });
  });
  afterAll(() => dbs.close());

  const definition = (domains: TenantDefinition['domains'], slug = uniqueSlug('p')): TenantDefinition => ({
    slug,
    name: slug,
    status: 'active',
    plan: 'free',
    settings: {},
    domains,
    theme: { preset: 'ocean', overrides: {} },
  });
  const provision = (d: TenantDefinition) => provisionTenant(dbs.admin, d, [], { actor: 'test', platformDomain: 'localhost' });
  const refusal = (d: TenantDefinition) => provision(d).then(() => null, (e: unknown) => e);
  const heldDomains = () => dbs.admin.selectFrom('domains').select('hostname').where('tenant_id', '=', holder.id).orderBy('hostname').execute();
  const routes = async (hostname: string) => (await sql<{ tenant_id: string }>`SELECT tenant_id FROM mosaic_resolve_host(${hostname}, NULL)`.execute(dbs.app)).rows.map((r) => r.tenant_id);

  test('a hostname under the platform domain is refused by name, before anything is written', async () => {
    const d = definition([{ hostname: 'shop.example' }, { hostname: 'sneaky.localhost', verified: true }]);
    const error = await refusal(d);
    expect(isMosaicError(error) && error.code).toBe('DomainUnavailable');
    expect(isMosaicError(error) && error.details).toEqual([{ path: 'sneaky.localhost', message: expect.stringContaining('platform domain "localhost"') }]);
    expect(await findTenantId(dbs.admin, d.slug)).toBeNull();
  });

  test('another tenant’s hostname, verified or not, is refused by name; the holder keeps it', async () => {
    const before = await heldDomains();
    for (const { hostname } of before) {
      const error = await refusal(definition([{ hostname, primary: true, verified: true }]));
      expect(isMosaicError(error) && error.code).toBe('DomainUnavailable');
      expect(error instanceof Error && error.message).toContain(`hostname "${hostname}" belongs to tenant "${holder.slug}"`);
    }
    expect(await heldDomains()).toEqual(before);
  });

  test('two tenants racing for one new hostname: one gets it, the other a clear refusal', async () => {
    const hostname = `${uniqueSlug('race')}.example`;
    const results = await Promise.allSettled([provision(definition([{ hostname }])), provision(definition([{ hostname }]))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(isMosaicError(rejected?.reason) && rejected.reason.code).toBe('DomainUnavailable');
    expect(isMosaicError(rejected?.reason) && rejected.reason.message).toContain(hostname);
  });

  test('a domain routes only when marked verified', async () => {
    const quiet = `${uniqueSlug('unverified')}.example`;
    const loud = `${uniqueSlug('verified')}.example`;
    const { tenantId } = await provision(definition([{ hostname: quiet, primary: true }, { hostname: loud, verified: true }]));
    expect(await routes(quiet)).toEqual([]);
    expect(await routes(loud)).toEqual([tenantId]);
    const stored = await dbs.admin.selectFrom('domains').select(['hostname', 'verified']).where('tenant_id', '=', tenantId).orderBy('hostname').execute();
    expect(stored).toEqual(expect.arrayContaining([{ hostname: quiet, verified: false }, { hostname: loud, verified: true }]));
  });

  test('text PostgreSQL cannot store is refused before anything is written', async () => {
    const d = { ...definition([]), name: 'Bad\u0000name' };
    const error = await refusal(d);
    // The operations runner refuses it with the rest of the input's problems.
    expect(isMosaicError(error) && error.code).toBe('InvalidInput');
    expect(isMosaicError(error) && error.details.map((x) => x.path)).toEqual(['tenant.name']);
    expect(await findTenantId(dbs.admin, d.slug)).toBeNull();
  });
});
