import type { Kysely } from 'kysely';
import { describe, expect, test } from 'vitest';
import { createMemoryLayer } from '../../src/cache/memory-layer.ts';
import { createTieredCache } from '../../src/cache/tiered-cache.ts';
import type { Database } from '../../src/db/schema.ts';
import { createKnownSites, RECHECK_MS } from '../../src/request/resolve-site.ts';
import { hostKey, tenantKey } from '../../src/site/cache-keys.ts';
import { createSiteRepository, type SiteRepository } from '../../src/site/site-repository.ts';
import type { HostMatch, TenantRecord } from '../../src/site/site-types.ts';
import { tenantRecord } from '../support/tenant-record.ts';

const config = { platformDomain: 'mosaic.test', publicScheme: 'https' as const };
const tenant = tenantRecord({ id: '00000000-0000-4000-8000-0000000000a1' });
const platformMatch: HostMatch = { tenantId: tenant.id, via: 'platform', isPrimary: false, primaryHostname: null };
const PLATFORM_HOST = 'acme.mosaic.test';
const DOMAIN_HOST = 'www.acme.example';
const TTL = 60_000;

/** A repository whose `known` reads a real memory layer, counting the reads; the clock is the test's. */
function setup(maxEntries = 100) {
  const memory = createMemoryLayer({ maxEntries, maxBytes: 1024 * 1024 });
  const cache = createTieredCache({ layers: [memory] });
  const repo = createSiteRepository({ db: {} as Kysely<Database>, cache, ttlMs: TTL, tenantTtlMs: TTL, negativeTtlMs: 5_000 });
  let reads = 0;
  const counted: SiteRepository = {
    ...repo,
    known: {
      host: (key) => (reads++, repo.known.host(key)),
      tenant: (key) => (reads++, repo.known.tenant(key)),
    },
  };
  let clock = Date.now();
  const knownSite = createKnownSites(counted, config, () => clock);
  return {
    cache,
    knownSite,
    reads: () => reads,
    advance: (ms: number) => (clock += ms),
    setHost: (host: string, match: HostMatch | null) => cache.set(hostKey(host, host.endsWith('.mosaic.test') ? host.split('.')[0]! : null), match, TTL),
    setTenant: (record: TenantRecord | null) => cache.set(tenantKey(tenant.id), record, TTL),
  };
}

describe('createKnownSites', () => {
  test('answers a known host from its memo, reading the cache again only after RECHECK_MS', async () => {
    const s = setup();
    await s.setHost(PLATFORM_HOST, platformMatch);
    await s.setTenant(tenant);
    const first = s.knownSite(PLATFORM_HOST);
    expect(first).toMatchObject({ kind: 'site', origin: 'https://acme.mosaic.test', host: PLATFORM_HOST });
    const reads = s.reads();
    expect(s.knownSite(PLATFORM_HOST)).toBe(first);
    expect(s.reads()).toBe(reads);
    s.advance(RECHECK_MS);
    expect(s.knownSite(PLATFORM_HOST)).toBe(first);
    expect(s.reads()).toBe(reads + 2);
  });

  test('decides again at once when the tenant is suspended, cancelled or reactivated', async () => {
    const s = setup();
    await s.setHost(PLATFORM_HOST, platformMatch);
    await s.setTenant(tenant);
    expect(s.knownSite(PLATFORM_HOST)?.kind).toBe('site');
    // Within the recheck window: only the retired entry tells the memo.
    await s.setTenant({ ...tenant, status: 'suspended' });
    expect(s.knownSite(PLATFORM_HOST)?.kind).toBe('suspended');
    await s.setTenant({ ...tenant, status: 'cancelled' });
    expect(s.knownSite(PLATFORM_HOST)?.kind).toBe('gone');
    await s.setTenant(tenant);
    expect(s.knownSite(PLATFORM_HOST)?.kind).toBe('site');
    await s.setTenant(null);
    expect(s.knownSite(PLATFORM_HOST)?.kind).toBe('no-site');
  });

  test('decides again when the primary domain changes: new origin, and the old primary becomes a redirect', async () => {
    const s = setup();
    const primary: HostMatch = { tenantId: tenant.id, via: 'domain', isPrimary: true, primaryHostname: DOMAIN_HOST };
    await s.setHost(DOMAIN_HOST, primary);
    await s.setTenant({ ...tenant, primaryHostname: DOMAIN_HOST });
    expect(s.knownSite(DOMAIN_HOST)).toMatchObject({ kind: 'site', origin: `https://${DOMAIN_HOST}` });
    await s.setTenant({ ...tenant, primaryHostname: 'acme.example' });
    expect(s.knownSite(DOMAIN_HOST)).toMatchObject({ kind: 'site', origin: 'https://acme.example' });
    // No longer the primary: redirects depend on the path, so they are left to resolveSite.
    await s.setHost(DOMAIN_HOST, { ...primary, isPrimary: false, primaryHostname: 'acme.example' });
    expect(s.knownSite(DOMAIN_HOST)).toBeUndefined();
  });

  test('an invalidated, evicted or stale record sends the request to resolveSite', async () => {
    const s = setup(2);
    await s.setHost(PLATFORM_HOST, platformMatch);
    await s.setTenant(tenant);
    expect(s.knownSite(PLATFORM_HOST)?.kind).toBe('site');
    await s.cache.invalidate([tenantKey(tenant.id)]);
    expect(s.knownSite(PLATFORM_HOST)).toBeUndefined();

    await s.setTenant(tenant);
    expect(s.knownSite(PLATFORM_HOST)?.kind).toBe('site');
    // A third entry pushes the least recently used one (the host match) out of a two-entry memory.
    await s.cache.set('t:{other}:tenant', { ...tenant, id: 'other' }, TTL);
    expect(s.knownSite(PLATFORM_HOST)).toBeUndefined();
  });

  test('a memo never outlives the freshness of its entries', async () => {
    const s = setup();
    await s.setHost(PLATFORM_HOST, platformMatch);
    await s.cache.set(tenantKey(tenant.id), tenant, 20);
    expect(s.knownSite(PLATFORM_HOST)?.kind).toBe('site');
    await new Promise((resolve) => setTimeout(resolve, 40));
    // Well within RECHECK_MS: the entry's own freshness ends the memo.
    s.advance(40);
    expect(s.knownSite(PLATFORM_HOST)).toBeUndefined();
  });
});
