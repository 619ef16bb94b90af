import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { catalog } from '../../registry/catalog.ts';
import type { CacheLayer } from '../cache/cache-layer.ts';
import { createChangeLog } from '../cache/change-log.ts';
import type { InvalidationBus, InvalidationMessage } from '../cache/invalidation-bus.ts';
import { createRedisLoadLease } from '../cache/load-lease.ts';
import { createLocalInvalidationBus } from '../cache/local-invalidation-bus.ts';
import { createMemoryLayer } from '../cache/memory-layer.ts';
import { createRedisLayer } from '../cache/redis-layer.ts';
import { createTieredCache } from '../cache/tiered-cache.ts';
import type { MosaicConfig } from '../config/config.ts';
import { assertUnprivilegedRole } from '../db/connect.ts';
import { migrateOrThrow } from '../db/migrate.ts';
import { openEmbeddedDatabase } from '../db/pglite-database.ts';
import { createPostgresDatabase } from '../db/postgres-database.ts';
import type { Database } from '../db/schema.ts';
import { createSubmissionLimiter } from '../forms/submission-limiter.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { createPageCache } from '../page-cache/page-cache.ts';
import { tenantKey, tenantPrefix } from '../site/cache-keys.ts';
import type { TenantRecord } from '../site/site-types.ts';
import { createSiteRepository } from '../site/site-repository.ts';
import { seedTenants } from '../tenants/seed-demo.ts';
import type { AppServices } from './app-services.ts';
import { changeLogKey, redisBus, siteNotifier } from './site-notifier.ts';

/**
 * Builds everything a Mosaic process needs, once: database (embedded by default), the
 * memory → Redis caches for data and rendered pages, the invalidation bus and the site
 * repository. Nothing connects at import.
 */
export async function createAppContext(config: MosaicConfig, logger: Logger = createLogger(config.logLevel, config.instanceId)): Promise<AppServices> {
  const closers: (() => Promise<unknown>)[] = [];
  const metrics = createMetrics();
  const db = await openServerDatabase(config, logger, closers);

  const redis = config.redis
    ? new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableAutoPipelining: true, connectionName: `mosaic-${config.instanceId}` })
    : null;
  const memory = createMemoryLayer({ maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes });
  const shared = (prefix: string): CacheLayer[] =>
    redis && config.redis
      ? [createRedisLayer({ client: redis, prefix: `${config.redis.prefix}${prefix}`, logger, onRead: () => metrics.redisReads.inc() })]
      : [];
  if (redis) {
    closers.push(() => redis.quit().catch(() => redis.disconnect()));
    redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis error'));
    dropUnvouchedOnReconnect(redis, () => {
      memory.clear();
      pages?.clear();
    }, logger);
  }

  const cache = createTieredCache({
    layers: [memory, ...shared('')],
    logger,
    lease: redis && config.redis
      ? createRedisLoadLease({ client: redis, prefix: config.redis.prefix, ttlMs: config.cache.leaseMs, owner: `${config.instanceId}:${randomUUID()}` })
      : undefined,
  });
  const pages = config.pageCache.enabled
    ? createPageCache({ maxEntries: config.pageCache.maxEntries, maxBytes: config.pageCache.maxBytes, shared: shared('page:')[0] ?? null })
    : null;

  const bus: InvalidationBus = redis && config.redis ? redisBus(redis, config.redis, logger) : createLocalInvalidationBus();
  closers.push(() => bus.close());
  // Every instance, the publisher included, drops what it holds for a changed tenant — once: the
  // same change arrives by pub/sub and again from the change log.
  const onChange = (message: InvalidationMessage) => {
    const held = memory.peek(tenantKey(message.tenantId))?.value as TenantRecord | null | undefined;
    if (held && held.siteVersion >= message.siteVersion) return;
    memory.deletePrefix(tenantPrefix(message.tenantId));
    pages?.forget(tenantPrefix(message.tenantId));
    logger.debug({ tenant: message.tenantId, version: message.siteVersion, reason: message.reason }, 'invalidated');
  };
  bus.subscribe(onChange);
  await bus.ready();

  const changeLog =
    redis && config.redis
      ? createChangeLog({
          client: redis,
          key: changeLogKey(config.redis.prefix),
          onChange,
          onGap: () => {
            memory.clear();
            pages?.clear();
          },
          logger,
        })
      : null;
  if (changeLog && config.cache.versionCheckMs > 0) {
    const stop = changeLog.start(config.cache.versionCheckMs);
    closers.push(async () => stop());
  }

  const repo = createSiteRepository({
    db,
    cache,
    ttlMs: config.cache.ttlMs,
    tenantTtlMs: config.cache.tenantTtlMs,
    negativeTtlMs: config.cache.negativeTtlMs,
    staleMs: config.cache.staleMs,
    onLoad: (kind) => metrics.databaseLoads.inc({ kind }),
  });

  return {
    config,
    logger,
    db,
    repo,
    pages,
    metrics,
    notify: siteNotifier((keys) => cache.invalidate(keys), bus, config.instanceId, changeLog),
    formLimiter: createSubmissionLimiter({ max: 5, windowSeconds: 600, redis, prefix: config.redis?.prefix ?? '', logger }),
    async checkReady() {
      await sql`SELECT 1`.execute(db);
      if (redis) await redis.ping();
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}

/**
 * Pub/sub delivers at most once: after a lost connection this instance may have missed
 * invalidations, so it forgets what only memory holds and reads again through Redis.
 */
function dropUnvouchedOnReconnect(redis: Redis, clear: () => void, logger: Logger): void {
  let connectedBefore = false;
  redis.on('ready', () => {
    if (connectedBefore) {
      clear();
      logger.warn('redis reconnected; dropped the in-memory caches');
    }
    connectedBefore = true;
  });
}

/** The app-role connection; the embedded database is migrated and seeded on first start. */
async function openServerDatabase(config: MosaicConfig, logger: Logger, closers: (() => Promise<unknown>)[]): Promise<Kysely<Database>> {
  if (config.database.kind === 'postgres') {
    const db = createPostgresDatabase(config.database.url, config.database.poolSize);
    closers.push(() => db.destroy());
    if (!config.allowPrivilegedDbRole) await assertUnprivilegedRole(db);
    return db;
  }
  const embedded = await openEmbeddedDatabase(config.database.dir);
  closers.push(() => embedded.close());
  const applied = await migrateOrThrow(embedded.admin);
  if (applied.length) logger.info({ applied, dir: config.database.dir }, 'embedded database migrated');
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tenants`.execute(embedded.admin);
  if ((rows[0]?.n ?? 0) === 0) {
    const reports = await seedTenants({ admin: embedded.admin, registry: catalog, notify: async () => {} });
    logger.info({ tenants: reports.map((r) => r.slug) }, 'embedded database seeded with the demo tenants');
  }
  return embedded.dropToAppRole();
}
