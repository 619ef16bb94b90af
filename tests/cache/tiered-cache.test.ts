import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { createMemoryLayer } from '../../src/cache/memory-layer.ts';
import { createRedisLayer } from '../../src/cache/redis-layer.ts';
import { createTieredCache } from '../../src/cache/tiered-cache.ts';
import { countingRedis, openTestRedis } from '../support/redis.ts';

const quiet = { warn: () => {} };
const TTL = { ttlMs: 60_000, negativeTtlMs: 60_000 };
const shared = openTestRedis();
afterAll(() => shared.close());

function setup() {
  const counting = countingRedis(shared.redis);
  const memory = createMemoryLayer({ maxEntries: 1000, maxBytes: 1_000_000 });
  const redis = createRedisLayer({ client: counting.client, prefix: `${shared.prefix}${Math.random()}:`, logger: quiet });
  const cache = createTieredCache({ layers: [memory, redis] });
  let loads = 0;
  const loader = (value: unknown) => async () => {
    loads += 1;
    await new Promise((r) => setTimeout(r, 20));
    return value;
  };
  return { cache, memory, redis, calls: counting.calls, loader, loads: () => loads };
}

describe('tiered cache over real Redis', () => {
  test('a memory hit touches neither Redis nor the loader', async () => {
    const t = setup();
    expect(await t.cache.getOrLoad('k', t.loader('v1'), TTL)).toBe('v1');
    const before = { ...t.calls };
    expect(await t.cache.getOrLoad('k', t.loader('v2'), TTL)).toBe('v1');
    expect(t.calls).toEqual(before);
    expect(t.loads()).toBe(1);
    expect(t.cache.stats().hits.memory).toBe(1);
  });

  test('a Redis hit back-fills memory and skips the loader', async () => {
    const t = setup();
    await t.cache.getOrLoad('k', t.loader('from-db'), TTL);
    t.memory.clear();
    expect(await t.cache.getOrLoad('k', t.loader('other'), TTL)).toBe('from-db');
    expect(t.loads()).toBe(1);
    expect(t.cache.stats().hits.redis).toBe(1);
    expect((await t.memory.get('k'))?.value).toBe('from-db');
  });

  test('200 concurrent cold requests cause one Redis read and one load', async () => {
    const t = setup();
    const results = await Promise.all(Array.from({ length: 200 }, () => t.cache.getOrLoad('cold', t.loader('once'), TTL)));
    expect(new Set(results)).toEqual(new Set(['once']));
    expect(t.loads()).toBe(1);
    expect(t.calls.get).toBe(1);
    expect(t.cache.stats().coalesced).toBe(199);
  });

  test('a known absence is cached negatively', async () => {
    const t = setup();
    expect(await t.cache.getOrLoad('nobody', t.loader(null), TTL)).toBeNull();
    expect(await t.cache.getOrLoad('nobody', t.loader('late'), TTL)).toBeNull();
    expect(t.loads()).toBe(1);
  });

  test('negative entries expire on their own, shorter clock', async () => {
    const t = setup();
    await t.cache.getOrLoad('brief', t.loader(null), { ttlMs: 60_000, negativeTtlMs: 30 });
    await new Promise((r) => setTimeout(r, 60));
    expect(await t.cache.getOrLoad('brief', t.loader('now here'), TTL)).toBe('now here');
  });

  test('a failed load is not cached and fails every waiter', async () => {
    const t = setup();
    let attempts = 0;
    const failing = async () => {
      attempts += 1;
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('database down');
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => t.cache.getOrLoad('x', failing, TTL)));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(attempts).toBe(1);
    expect(await t.cache.getOrLoad('x', t.loader('recovered'), TTL)).toBe('recovered');
  });

  test('invalidate drops a key from every layer', async () => {
    const t = setup();
    await t.cache.getOrLoad('k', t.loader('old'), TTL);
    await t.cache.invalidate(['k']);
    expect(await t.redis.get('k')).toBeUndefined();
    expect(await t.cache.getOrLoad('k', t.loader('new'), TTL)).toBe('new');
  });

  test('a load that started before an invalidation does not store its stale result', async () => {
    const t = setup();
    const slow = t.cache.getOrLoad('race', t.loader('stale'), TTL);
    await t.cache.invalidate(['race']);
    expect(await slow).toBe('stale');
    expect(await t.cache.getOrLoad('race', t.loader('fresh'), TTL)).toBe('fresh');
  });

  test('an invalidation of other keys leaves a load under way to store what it read, in every layer', async () => {
    const t = setup();
    const slow = t.cache.getOrLoad('tenant:a', t.loader('a1'), TTL);
    await t.cache.invalidate(['tenant:b', 'host:b']);
    expect(await slow).toBe('a1');
    expect(await t.cache.getOrLoad('tenant:a', t.loader('a2'), TTL)).toBe('a1');
    expect(t.loads()).toBe(1);
    expect((await t.redis.get('tenant:a'))?.value).toBe('a1');
  });

  test('with Redis unreachable, pages still load from the source', async () => {
    const down = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    const warnings: string[] = [];
    const cache = createTieredCache({
      layers: [
        createMemoryLayer({ maxEntries: 10, maxBytes: 100_000 }),
        createRedisLayer({ client: down, prefix: 'x:', logger: { warn: (_o, msg) => warnings.push(msg) } }),
      ],
    });
    expect(await cache.getOrLoad('k', async () => 'from source', TTL)).toBe('from source');
    expect(warnings.length).toBeGreaterThan(0);
    down.disconnect();
  });
});

describe('stale-while-revalidate', () => {
  const SWR = { ttlMs: 40, negativeTtlMs: 40, staleMs: 60_000 };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('an expired entry is served stale while exactly one refresh runs', async () => {
    const cache = createTieredCache({ layers: [createMemoryLayer({ maxEntries: 10, maxBytes: 100_000 })] });
    let version = 1;
    let loads = 0;
    const load = async () => {
      loads += 1;
      await wait(30);
      return `v${version}`;
    };
    expect(await cache.getOrLoad('page', load, SWR)).toBe('v1');
    version = 2;
    await wait(60);
    const during = await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad('page', load, SWR)));
    expect(new Set(during)).toEqual(new Set(['v1']));
    expect(loads).toBe(2);
    await wait(50);
    expect(await cache.getOrLoad('page', load, SWR)).toBe('v2');
    expect(loads).toBe(2);
    expect(cache.stats().refreshes).toBe(1);
  });

  test('a failed refresh keeps serving the last good value and logs it', async () => {
    const warnings: string[] = [];
    const cache = createTieredCache({
      layers: [createMemoryLayer({ maxEntries: 10, maxBytes: 100_000 })],
      logger: { warn: (_o, msg) => warnings.push(msg) },
      retryMs: 1000,
    });
    await cache.getOrLoad('page', async () => 'good', SWR);
    await wait(60);
    let attempts = 0;
    const failing = async () => {
      attempts += 1;
      throw new Error('database down');
    };
    expect(await cache.getOrLoad('page', failing, SWR)).toBe('good');
    await wait(20);
    expect(warnings).toEqual(['cache refresh failed; serving the last good value']);
    expect(await cache.getOrLoad('page', failing, SWR)).toBe('good');
    expect(attempts).toBe(1);
  });
});

describe('known absences while the source is down', () => {
  const SWR = { ttlMs: 40, negativeTtlMs: 40, staleMs: 60_000 };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const failing = async (): Promise<string | null> => {
    throw new Error('database down');
  };

  test('a stale absence is checked again at once, not served stale (a new site shows immediately)', async () => {
    const cache = createTieredCache({ layers: [createMemoryLayer({ maxEntries: 10, maxBytes: 100_000 })] });
    expect(await cache.getOrLoad('host', async () => null, SWR)).toBeNull();
    await wait(60);
    expect(await cache.getOrLoad('host', async () => 'now a site', SWR)).toBe('now a site');
  });

  test('when that check fails, the absence is kept as the last good answer', async () => {
    const cache = createTieredCache({ layers: [createMemoryLayer({ maxEntries: 10, maxBytes: 100_000 })], retryMs: 1000 });
    expect(await cache.getOrLoad('host', async () => null, SWR)).toBeNull();
    await wait(60);
    expect(await cache.getOrLoad('host', failing, SWR)).toBeNull();
    // Kept fresh for the retry interval: the source is not asked again meanwhile.
    let asked = 0;
    expect(await cache.getOrLoad('host', async () => (asked++, 'site'), SWR)).toBeNull();
    expect(asked).toBe(0);
  });

  test('without a kept absence, the failure reaches the caller', async () => {
    const cache = createTieredCache({ layers: [createMemoryLayer({ maxEntries: 10, maxBytes: 100_000 })] });
    await expect(cache.getOrLoad('never-seen', failing, SWR)).rejects.toThrow('database down');
  });

  test('an absence outlives its freshness in memory only, never in the shared layer', async () => {
    const t = setup();
    await t.cache.getOrLoad('nobody', t.loader(null), { ttlMs: 60_000, negativeTtlMs: 1000, staleMs: 600_000 });
    expect((await t.memory.get('nobody'))?.expiresAt).toBeGreaterThan(Date.now() + 500_000);
    expect((await t.redis.get('nobody'))?.expiresAt).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

describe('a shared layer that is down', () => {
  test('is skipped without being asked, and a lease wait gives up on it', async () => {
    const { createRedisLoadLease } = await import('../../src/cache/load-lease.ts');
    const counting = countingRedis(shared.redis);
    let up = true;
    const prefix = `${shared.prefix}down:${Math.random()}:`;
    const redis = createRedisLayer({ client: counting.client, prefix, logger: quiet, isAvailable: () => up });
    const other = createRedisLoadLease({ client: shared.redis, prefix, ttlMs: 5000, owner: 'another instance' });
    const cache = createTieredCache({
      layers: [createMemoryLayer({ maxEntries: 10, maxBytes: 100_000 }), redis],
      lease: createRedisLoadLease({ client: shared.redis, prefix, ttlMs: 5000, owner: 'me' }),
    });
    // Another instance holds the lease for this key and never delivers; Redis then goes away.
    expect(await other.acquire('held')).toBe(true);
    const waiting = cache.getOrLoad('held', async () => 'loaded myself', TTL);
    await new Promise((r) => setTimeout(r, 100));
    up = false;
    const started = Date.now();
    expect(await waiting).toBe('loaded myself');
    expect(Date.now() - started).toBeLessThan(1000);

    const before = { ...counting.calls };
    expect(await cache.getOrLoad('other', async () => 'from source', TTL)).toBe('from source');
    expect(counting.calls).toEqual(before);
  });
});

describe('one load per key across instances (Redis lease)', () => {
  test('500 concurrent cold requests split over two instances cause one load', async () => {
    const { createRedisLoadLease } = await import('../../src/cache/load-lease.ts');
    const prefix = `${shared.prefix}lease-test:`;
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 50));
      return { title: 'Loaded once' };
    };
    const instance = (name: string) =>
      createTieredCache({
        layers: [createMemoryLayer({ maxEntries: 100, maxBytes: 1_000_000 }), createRedisLayer({ client: shared.redis, prefix, logger: quiet })],
        lease: createRedisLoadLease({ client: shared.redis, prefix, ttlMs: 2000, owner: name }),
      });
    const a = instance('a');
    const b = instance('b');
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 ? a : b).getOrLoad('cold-tenant', load, TTL)));
    expect(results.every((r) => r?.title === 'Loaded once')).toBe(true);
    expect(loads).toBe(1);
    expect(a.stats().leaseWaits + b.stats().leaseWaits).toBe(1);
  });
});
