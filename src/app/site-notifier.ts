import { Redis } from 'ioredis';
import { createChangeLog, type ChangeLog } from '../cache/change-log.ts';
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
  log: ChangeLog | null,
): SiteChangeNotifier {
  return async (change: SiteChange) => {
    const message = { ...change, origin: instanceId };
    // The log outlives a lost pub/sub message: every instance reads it once per interval.
    await log?.append(message);
    await dropShared([tenantKey(change.tenantId)]);
    await bus.publish(message);
  };
}

/** The Redis stream that records site changes. */
export const changeLogKey = (prefix: string): string => `${prefix}changes`;

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
  const log = createChangeLog({ client: redis, key: changeLogKey(config.redis.prefix), onChange: () => {}, onGap: () => {}, logger });
  return {
    notify: siteNotifier((keys) => layer.delete(keys), bus, config.instanceId, log),
    async close() {
      await bus.close();
      await redis.quit();
    },
  };
}
