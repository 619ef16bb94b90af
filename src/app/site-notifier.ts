import type { Kysely } from 'kysely';
import { createChangeLog } from '../cache/change-log.ts';
import type { InvalidationBus } from '../cache/invalidation-bus.ts';
import { openRedisConnection, type RedisConnection } from '../cache/redis-connection.ts';
import { createRedisInvalidationBus } from '../cache/redis-invalidation-bus.ts';
import type { RedisConfig, MosaicConfig } from '../config/config.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../log/logger.ts';
import { finishChanges } from '../publishing/change-outbox.ts';
import type { SiteChangeNotifier } from '../publishing/site-version.ts';
import { createChangeDelivery, outboxNotifier, type SharedDelivery } from './change-delivery.ts';

/** The Redis stream that records site changes. */
export const changeLogKey = (prefix: string): string => `${prefix}changes`;

export function redisBus(redis: RedisConnection, config: RedisConfig, logger: Logger): InvalidationBus {
  return createRedisInvalidationBus({
    publisher: redis.commands,
    createSubscriber: () => redis.duplicate(`${redis.name}-sub`),
    channel: `${config.prefix}invalidate`,
    logger,
  });
}

/** Deleting shared entries by their cache keys, through the breaker (so it throws when Redis is down). */
export const dropSharedEntries =
  (redis: RedisConnection, config: RedisConfig): SharedDelivery['dropShared'] =>
  async (keys) => {
    await redis.commands.del(...keys.map((key) => `${config.prefix}${key}`));
  };

/**
 * For command-line tools that change a site while servers run elsewhere (`npm run seed`): reaches
 * them through Redis when configured and retires the change's outbox notice. Without Redis, or
 * when Redis is down, the notice stays in the outbox and a running server delivers it.
 */
export function createSiteNotifier(config: MosaicConfig, logger: Logger, db: Kysely<Database>): { notify: SiteChangeNotifier; close(): Promise<void> } {
  const redis = config.redis ? openRedisConnection(config.redis, { name: `mosaic-tool-${config.instanceId}`, logger }) : null;
  const bus = redis && config.redis ? redisBus(redis, config.redis, logger) : null;
  const shared: SharedDelivery | null =
    redis && bus && config.redis
      ? {
          dropShared: dropSharedEntries(redis, config.redis),
          log: createChangeLog({ client: redis.commands, key: changeLogKey(config.redis.prefix), onChange: () => {}, onGap: () => {}, logger }),
          bus,
        }
      : null;
  const delivery = createChangeDelivery({ origin: config.instanceId, platformDomain: config.platformDomain, local: null, shared });
  return {
    notify: async (change) => {
      await redis?.ready(config.redis?.connectTimeoutMs ?? 0);
      await outboxNotifier({ delivery, finish: (ids) => finishChanges(db, ids), logger })(change);
    },
    async close() {
      await bus?.close();
      await redis?.close();
    },
  };
}
