import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createChangeLog } from '../../src/cache/change-log.ts';
import type { InvalidationMessage } from '../../src/cache/invalidation-bus.ts';
import { createRedisLoadLease } from '../../src/cache/load-lease.ts';
import { openRedisConnection, type RedisConnection } from '../../src/cache/redis-connection.ts';
import { createRedisLayer } from '../../src/cache/redis-layer.ts';
import { redisBus } from '../../src/app/site-notifier.ts';
import { loadConfig, type RedisConfig } from '../../src/config/config.ts';
import { createSubmissionLimiter } from '../../src/forms/submission-limiter.ts';
import { createLogger } from '../../src/log/logger.ts';
import * as keys from '../../src/site/cache-keys.ts';
import { eventually } from '../support/eventually.ts';
import { startPrivateRedisCluster, type PrivateRedisCluster } from '../support/private-redis-cluster.ts';

const logger = createLogger('silent', 'test');
const PREFIX = 'mosaic:';

/** Every key Mosaic builds for one tenant, as it reaches Redis (prefix included). */
const keysOfTenant = (tenantId: string): string[] =>
  [
    keys.tenantKey(tenantId),
    keys.themeKey(tenantId, 7),
    keys.pageKey(tenantId, 7, '/'),
    keys.pageKey(tenantId, 7, '/about/team'),
    keys.pageHtmlKey(tenantId, 7, '/'),
    keys.latestPostsKey(tenantId, 7, 3),
    keys.postKey(tenantId, 7, 'hello'),
    keys.publishedPathsKey(tenantId, 7),
    keys.mediaKey(tenantId, randomUUID(), 640, 'webp'),
  ].flatMap((key) => [PREFIX + key, `${PREFIX}lease:${key}`]);

describe('Mosaic on a Redis Cluster of three masters', () => {
  let cluster: PrivateRedisCluster;
  let config: RedisConfig;
  const connections: RedisConnection[] = [];
  const closers: (() => Promise<void>)[] = [];
  const open = (name: string) => {
    const connection = openRedisConnection(config, { name, logger });
    connections.push(connection);
    return connection;
  };

  beforeAll(async () => {
    cluster = await startPrivateRedisCluster(3);
    config = loadConfig({ REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', REDIS_PREFIX: PREFIX, LOG_LEVEL: 'silent' }).redis!;
  }, 60_000);
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await Promise.all(connections.map((c) => c.close()));
    await cluster?.stop();
  });

  test('the configuration names a cluster; REDIS_CLUSTER without REDIS_URL is refused', () => {
    expect(config.cluster).toBe(true);
    expect(() => loadConfig({ REDIS_CLUSTER: 'true' })).toThrow(/REDIS_CLUSTER=true needs REDIS_URL/);
  });

  test("one tenant's entries and leases share one slot, and tenants spread over every node", async () => {
    const nodes = new Set<number>();
    for (let i = 0; i < 24; i++) {
      const tenantId = randomUUID();
      const slots = new Set(await Promise.all(keysOfTenant(tenantId).map((key) => cluster.keySlot(key))));
      expect(slots.size, tenantId).toBe(1);
      nodes.add(await cluster.nodeOf(keys.tenantKey(tenantId)));
    }
    expect(nodes.size).toBe(3);
  });

  test('the shared cache layer stores, reads and deletes entries of many tenants at once', async () => {
    const redis = open('layer');
    expect(await redis.ready(5000)).toBe(true);
    const layer = createRedisLayer({ client: redis.commands, prefix: PREFIX, logger });
    const tenants = Array.from({ length: 12 }, () => randomUUID());
    const later = Date.now() + 60_000;
    for (const id of tenants) await layer.set(keys.themeKey(id, 1), { value: { id }, expiresAt: later });
    for (const id of tenants) expect((await layer.get(keys.themeKey(id, 1)))?.value).toEqual({ id });
    // One delete spanning every node: a single multi-key DEL would be refused across slots.
    await layer.delete([...tenants.map((id) => keys.themeKey(id, 1)), keys.hostKey('shop.example', null)]);
    for (const id of tenants) expect(await layer.get(keys.themeKey(id, 1))).toBeUndefined();
    const held = await Promise.all(cluster.ports.map((port) => cluster.keysOn(port, `${PREFIX}t:*`)));
    expect(held.flat()).toEqual([]);
  });

  test('a load lease is held by one process at a time and released only by its holder', async () => {
    const [a, b] = [open('lease-a'), open('lease-b')];
    await Promise.all([a.ready(5000), b.ready(5000)]);
    const lease = (redis: RedisConnection, owner: string) => createRedisLoadLease({ client: redis.commands, prefix: PREFIX, ttlMs: 5000, owner });
    const key = keys.pageKey(randomUUID(), 3, '/');
    expect(await lease(a, 'a').acquire(key)).toBe(true);
    expect(await lease(b, 'b').acquire(key)).toBe(false);
    await lease(b, 'b').release(key);
    expect(await lease(b, 'b').acquire(key)).toBe(false);
    await lease(a, 'a').release(key);
    expect(await lease(b, 'b').acquire(key)).toBe(true);
  });

  test('a change reaches every subscriber over pub/sub and stays readable in the change log', async () => {
    const [publisher, one, two] = [open('pub'), open('sub-1'), open('sub-2')];
    await Promise.all([publisher.ready(5000), one.ready(5000), two.ready(5000)]);
    const received: [string, InvalidationMessage][] = [];
    const buses = [redisBus(one, config, logger), redisBus(two, config, logger)];
    buses.forEach((bus, i) => bus.subscribe((message) => received.push([`sub-${i + 1}`, message])));
    await Promise.all(buses.map((bus) => bus.ready()));
    const message = { tenantId: randomUUID(), siteVersion: 4, reason: 'publish', origin: 'test' };
    await redisBus(publisher, config, logger).publish(message);
    // Applying a change twice is harmless; missing it on one instance is not.
    const receivers = async () => [...new Set(received.map(([who]) => who))].sort();
    expect(await eventually(receivers, (who) => who.length === 2, 5000)).toEqual(['sub-1', 'sub-2']);
    expect(received.every(([, m]) => m.tenantId === message.tenantId)).toBe(true);

    const logged: InvalidationMessage[] = [];
    const log = (redis: RedisConnection) =>
      createChangeLog({ client: redis.commands, key: `${PREFIX}changes`, onChange: (m) => logged.push(m), onGap: () => {}, logger });
    const reader = log(one);
    await reader.poll();
    await log(publisher).append(message);
    await reader.poll();
    expect(logged).toEqual([message]);
    await Promise.all(buses.map((bus) => bus.close()));
  });

  test('form limits count across instances on the cluster', async () => {
    const limiter = async (name: string) => {
      const client = open(name).duplicate(`${name}-limits`);
      closers.push(async () => client.disconnect());
      expect(await eventually(async () => client.status, (status) => status === 'ready', 5000)).toBe('ready');
      return createSubmissionLimiter({ max: 3, windowSeconds: 60, redis: client, prefix: PREFIX, logger });
    };
    const [a, b] = [await limiter('limit-a'), await limiter('limit-b')];
    const tenantId = randomUUID();
    // 0 = allowed; otherwise the seconds to wait. Each instance alone would allow a fourth.
    const outcomes = [await a.consume(tenantId, '198.51.100.7'), await b.consume(tenantId, '198.51.100.7'), await a.consume(tenantId, '198.51.100.7')];
    expect(outcomes).toEqual([0, 0, 0]);
    expect(await b.consume(tenantId, '198.51.100.7')).toBeGreaterThan(0);
  });
});
