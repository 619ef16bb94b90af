import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { catalog } from '../../registry/catalog.ts';
import { createLocalInvalidationBus } from '../cache/local-invalidation-bus.ts';
import { createMemoryLayer } from '../cache/memory-layer.ts';
import { createRedisLayer } from '../cache/redis-layer.ts';
import { createTieredCache } from '../cache/tiered-cache.ts';
import type { InvalidationBus } from '../cache/invalidation-bus.ts';
import type { MosaicConfig } from '../config/config.ts';
import { assertUnprivilegedRole } from '../db/connect.ts';
import { migrateOrThrow } from '../db/migrate.ts';
import { openEmbeddedDatabase } from '../db/pglite-database.ts';
import { createPostgresDatabase } from '../db/postgres-database.ts';
import type { Database } from '../db/schema.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { tenantPrefix } from '../site/cache-keys.ts';
import { createSiteRepository } from '../site/site-repository.ts';
import { seedTenants } from '../tenants/seed-demo.ts';
import type { AppServices } from './app-services.ts';
import { redisBus, siteNotifier } from './site-notifier.ts';

/**
 * Builds everything a Mosaic process needs, once: database (embedded by default), the
 * memory → Redis cache, the invalidation bus and the site repository. Nothing connects at import.
 */
export async function createAppContext(config: MosaicConfig, logger: Logger = createLogger(config.logLevel, config.instanceId)): Promise<AppServices> {
  const closers: (() => Promise<unknown>)[] = [];
  const db = await openServerDatabase(config, logger, closers);

  const redis = config.redis ? new Redis(config.redis.url, { maxRetriesPerRequest: 1, enableAutoPipelining: true }) : null;
  if (redis) {
    redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis error'));
    closers.push(() => redis.quit().catch(() => redis.disconnect()));
  }
  const memory = createMemoryLayer({ maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes });
  const layers = redis && config.redis ? [memory, createRedisLayer({ client: redis, prefix: config.redis.prefix, logger })] : [memory];
  const cache = createTieredCache({ layers });

  const bus: InvalidationBus = redis && config.redis ? redisBus(redis, config.redis, logger) : createLocalInvalidationBus();
  closers.push(() => bus.close());
  // Every instance, the publisher included, drops what it holds for the changed tenant.
  bus.subscribe((message) => {
    memory.deletePrefix(tenantPrefix(message.tenantId));
    logger.debug({ tenant: message.tenantId, version: message.siteVersion, reason: message.reason }, 'invalidated');
  });
  await bus.ready();

  const notify = siteNotifier((keys) => cache.invalidate(keys), bus, config.instanceId);

  const repo = createSiteRepository({
    db,
    cache,
    ttlMs: config.cache.ttlMs,
    tenantTtlMs: config.cache.tenantTtlMs,
    negativeTtlMs: config.cache.negativeTtlMs,
  });

  return {
    config,
    logger,
    db,
    repo,
    notify,
    async checkReady() {
      await sql`SELECT 1`.execute(db);
      if (redis) await redis.ping();
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
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
