import { Redis } from 'ioredis';
import type { InvalidationBus } from '../cache/invalidation-bus.ts';
import { createRedisInvalidationBus } from '../cache/redis-invalidation-bus.ts';
import { createRedisLayer } from '../cache/redis-layer.ts';
import type { MosaicConfig } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import type { SiteChange, SiteChangeNotifier } from '../publishing/site-version.ts';
import { tenantKey } from '../site/cache-keys.ts';

/**
 * After a change commits: drop the shared copy of the tenant record (it holds the site version),
 * then tell every instance. Content keys carry the site version, so nothing else needs deleting.
 */
export function siteNotifier(
  dropShared: (keys: string[]) => Promise<void>,
  bus: InvalidationBus,
  instanceId: string,
  beacon: { redis: Redis; prefix: string } | null,
): SiteChangeNotifier {
  return async (change: SiteChange) => {
    // The beacon outlives a lost message: instances compare it with what they hold.
    if (beacon) await beacon.redis.eval(RAISE_VERSION, 1, siteVersionKey(beacon.prefix, change.tenantId), String(change.siteVersion));
    await dropShared([tenantKey(change.tenantId)]);
    await bus.publish({ ...change, origin: instanceId });
  };
}

// Versions only move forward, even when two publishers' writes arrive out of order.
const RAISE_VERSION = `if tonumber(ARGV[1]) > tonumber(redis.call('get', KEYS[1]) or '0') then redis.call('set', KEYS[1], ARGV[1], 'EX', 86400) end return 1`;

/** Where the latest site version of a tenant is announced in Redis. */
export const siteVersionKey = (prefix: string, tenantId: string): string => `${prefix}sv:${tenantId}`;

export function redisBus(redis: Redis, config: NonNullable<MosaicConfig['redis']>, logger: Logger): InvalidationBus {
  return createRedisInvalidationBus({
    publisher: redis,
    createSubscriber: () => redis.duplicate(),
    channel: `${config.prefix}invalidate`,
    logger,
  });
}

/**
 * For command-line tools that change a site while servers run elsewhere: reaches them through
 * Redis when configured. Without Redis there is no one to tell; servers see the new site version
 * when their tenant entry expires (TENANT_TTL_SECONDS).
 */
export function createSiteNotifier(config: MosaicConfig, logger: Logger): { notify: SiteChangeNotifier; close(): Promise<void> } {
  if (!config.redis) return { notify: async () => {}, close: async () => {} };
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  const layer = createRedisLayer({ client: redis, prefix: config.redis.prefix, logger });
  const bus = redisBus(redis, config.redis, logger);
  return {
    notify: siteNotifier((keys) => layer.delete(keys), bus, config.instanceId, { redis, prefix: config.redis.prefix }),
    async close() {
      await bus.close();
      await redis.quit();
    },
  };
}
