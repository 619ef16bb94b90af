import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createMemoryLayer } from '../../src/cache/memory-layer.ts';
import { createRedisLayer } from '../../src/cache/redis-layer.ts';
import { createTieredCache } from '../../src/cache/tiered-cache.ts';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';
import { publishAs } from '../support/publish.ts';
import { createSiteRepository } from '../../src/site/site-repository.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { countingRedis, openTestRedis } from '../support/redis.ts';

const quiet = { warn: () => {} };

describe('site repository: memory → Redis → Postgres', () => {
  const dbs = openTestDatabases(2);
  const shared = openTestRedis();
  let queries = 0;
  const db = createPostgresDatabase(inject('appDatabaseUrl'), 4, {
    log: (event) => {
      if (event.level === 'query') queries += 1;
    },
  });
  let tenant: { id: string; slug: string };

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    await publishAs(dbs.app, tenant.id, { path: '/', title: 'Cached', sections: [{ type: 'hero', props: { title: 'Hi' } }] });
  });
  afterAll(async () => {
    await db.destroy();
    await dbs.close();
    await shared.close();
  });

  function repository(redisPrefix = `${shared.prefix}${Math.random()}:`) {
    const counting = countingRedis(shared.redis);
    const memory = createMemoryLayer({ maxEntries: 1000, maxBytes: 10_000_000 });
    const redis = createRedisLayer({ client: counting.client, prefix: redisPrefix, logger: quiet });
    const cache = createTieredCache({ layers: [memory, redis] });
    const repo = createSiteRepository({ db, cache, ttlMs: 60_000, tenantTtlMs: 60_000, negativeTtlMs: 5_000 });
    return { repo, memory, redisCalls: counting.calls };
  }

  async function loadSite(repo: ReturnType<typeof repository>['repo']) {
    const match = await repo.findHost(`${tenant.slug}.test`, null);
    const record = await repo.tenant(match!.tenantId);
    const [page, theme] = await Promise.all([repo.page(record!, '/'), repo.theme(record!)]);
    return { record, page, theme };
  }

  test('a warm memory hit touches neither Redis nor Postgres', async () => {
    const { repo, redisCalls } = repository();
    const cold = await loadSite(repo);
    expect(cold.page?.title).toBe('Cached');
    const before = { queries, redis: { ...redisCalls } };
    const warm = await loadSite(repo);
    expect(warm).toEqual(cold);
    expect(queries).toBe(before.queries);
    expect(redisCalls).toEqual(before.redis);
  });

  test('200 concurrent cold requests for one tenant cause one Postgres load per key', async () => {
    const { repo, redisCalls } = repository();
    const before = queries;
    const sites = await Promise.all(Array.from({ length: 200 }, () => loadSite(repo)));
    expect(new Set(sites.map((s) => s.page?.title))).toEqual(new Set(['Cached']));
    // Each key loads once: the host lookup is one statement; a tenant-scoped load is
    // BEGIN, set_config, SELECT, COMMIT.
    const keysLoaded = 4; // host, tenant, page, theme
    expect(queries - before).toBe(1 + (keysLoaded - 1) * 4);
    expect(redisCalls.get).toBe(keysLoaded);
  });

  test('a second instance starts warm from Redis without touching Postgres', async () => {
    const prefix = `${shared.prefix}shared:`;
    const first = repository(prefix);
    const loaded = await loadSite(first.repo);
    const second = repository(prefix);
    const before = queries;
    expect(await loadSite(second.repo)).toEqual(loaded);
    expect(queries).toBe(before);
    expect(second.redisCalls.get).toBe(4);
  });

  test('an unknown host is remembered as absent for a while', async () => {
    const { repo } = repository();
    const before = queries;
    await Promise.all(Array.from({ length: 50 }, () => repo.findHost('random-host.example', null)));
    await repo.findHost('random-host.example', null);
    expect(queries - before).toBe(1);
  });
});
