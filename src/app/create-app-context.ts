import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { catalog } from '../../registry/catalog.ts';
import { createApiRateLimit } from '../api/rate-limit.ts';
import { createAuth } from '../auth/create-auth.ts';
import { ensureDemoAccounts } from '../auth/demo-accounts.ts';
import { resolveSecretKey } from '../auth/secret-key.ts';
import type { CacheLayer } from '../cache/cache-layer.ts';
import { createChangeLog, type ChangeLog } from '../cache/change-log.ts';
import type { InvalidationBus } from '../cache/invalidation-bus.ts';
import { createRedisLoadLease } from '../cache/load-lease.ts';
import { createLocalInvalidationBus } from '../cache/local-invalidation-bus.ts';
import { createMemoryLayer } from '../cache/memory-layer.ts';
import { openRedisConnection, type RedisConnection } from '../cache/redis-connection.ts';
import { createRedisLayer } from '../cache/redis-layer.ts';
import { startStaleSweeper } from '../cache/stale-sweeper.ts';
import { createTieredCache } from '../cache/tiered-cache.ts';
import type { MosaicConfig, RedisConfig } from '../config/config.ts';
import { assertUnprivilegedRole } from '../db/connect.ts';
import { migrateOrThrow } from '../db/migrate.ts';
import { openEmbeddedDatabase } from '../db/pglite-database.ts';
import { createPostgresDatabase } from '../db/postgres-database.ts';
import type { Database } from '../db/schema.ts';
import { createSubmissionLimiter } from '../forms/submission-limiter.ts';
import { createDnsLookup } from '../domains/dns-challenge.ts';
import { createTlsAllowList, type TlsAllowList } from '../domains/tls-allow-list.ts';
import { createOriginLimit, UNLIMITED_ORIGIN } from '../limits/origin-limit.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { createSmtpMailer } from '../mail/mailer.ts';
import { createMetrics, type Metrics } from '../metrics/metrics.ts';
import { createPageCache } from '../page-cache/page-cache.ts';
import { createFragmentStore } from '../render/section-fragments.ts';
import { createPageWarmer } from '../page-cache/page-warmer.ts';
import { changeBacklog, finishChanges } from '../publishing/change-outbox.ts';
import type { SiteChangeNotifier } from '../publishing/site-version.ts';
import { createPrerender, PRERENDER_CLAIM_MS, type Prerender } from '../render/prerender.ts';
import { createRenderGate } from '../render/render-gate.ts';
import { tenantKey } from '../site/cache-keys.ts';
import { queryTenant } from '../site/site-queries.ts';
import { createSiteRepository } from '../site/site-repository.ts';
import { seedTenants } from '../tenants/seed-demo.ts';
import { JOB_KINDS } from '../jobs/job-kinds.ts';
import { createJobRunner } from '../jobs/job-runner.ts';
import { startLifecycleSweep } from '../jobs/lifecycle-sweep.ts';
import type { AppServices } from './app-services.ts';
import { createChangeDelivery, outboxNotifier } from './change-delivery.ts';
import { startChangeDispatcher } from './change-dispatcher.ts';
import { checkReadiness, type ReadinessReport } from './readiness.ts';
import { createSiteInvalidation, type SiteInvalidation } from './site-invalidation.ts';
import { changeLogKey, dropSharedEntries, redisBus } from './site-notifier.ts';

type Closers = (() => Promise<unknown>)[];

/** How often expired cache entries are dropped from memory. */
const STALE_SWEEP_MS = 30_000;

export interface AppContextOptions {
  /**
   * A server (the default) drops its own caches on a change and delivers change notices other
   * processes left behind. A command-line tool does neither: without Redis, its changes are left
   * in the outbox for a server to deliver.
   */
  serving?: boolean;
  /**
   * The secret key, as the server entry resolved it (strictly: refusing to start without
   * SECRET_KEY in production). Without it, one is resolved leniently (see `resolveSecretKey`).
   */
  secretKey?: Buffer;
}

/**
 * Builds everything a Mosaic process needs, once: database (embedded by default), the
 * memory → Redis caches for data and rendered pages, the invalidation bus, change delivery and
 * the site repository. Nothing connects at import. Starts without Redis if it is unreachable.
 */
export async function createAppContext(
  config: MosaicConfig,
  logger: Logger = createLogger(config.logLevel, config.instanceId),
  options: AppContextOptions = {},
): Promise<AppServices> {
  const serving = options.serving !== false;
  const closers: Closers = [];
  for (const warning of config.warnings) logger.warn(warning);
  const secretKey = options.secretKey ?? (await resolveSecretKey(config, logger, { strict: false }));
  const metrics = createMetrics();
  const { db, routingDb } = await openServerDatabases(config, logger, metrics, closers);

  const redis = config.redis
    ? openRedisConnection(config.redis, {
        name: `mosaic-${config.instanceId}`,
        logger,
        onSkipped: () => metrics.redisSkipped.inc(),
        onAvailability: (up) => metrics.redisAvailable.set(up ? 1 : 0),
      })
    : null;
  if (redis) closers.push(() => redis.close());
  const memory = createMemoryLayer({ maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes });
  const shared = (prefix: string): CacheLayer[] =>
    redis && config.redis
      ? [
          createRedisLayer({
            client: redis.commands,
            prefix: `${config.redis.prefix}${prefix}`,
            logger,
            onRead: () => metrics.redisReads.inc(),
            isAvailable: () => redis.usable,
          }),
        ]
      : [];

  const cache = createTieredCache({
    layers: [memory, ...shared('')],
    logger,
    lease: redis && config.redis
      ? createRedisLoadLease({ client: redis.commands, prefix: config.redis.prefix, ttlMs: config.cache.leaseMs, owner: `${config.instanceId}:${randomUUID()}` })
      : undefined,
  });
  const pages = config.pageCache.enabled
    ? createPageCache({ maxEntries: config.pageCache.maxEntries, maxBytes: config.pageCache.maxBytes, shared: shared('page:')[0] ?? null })
    : null;
  // Keyed by content, not by site version: nothing to drop on a change, old entries age out.
  const fragments = createFragmentStore({ maxBytes: config.fragmentCacheBytes, counts: metrics.sectionFragments });

  const repo = createSiteRepository({
    db,
    routingDb,
    cache,
    ttlMs: config.cache.ttlMs,
    tenantTtlMs: config.cache.tenantTtlMs,
    negativeTtlMs: config.cache.negativeTtlMs,
    staleMs: config.cache.staleMs,
    onLoad: (kind) => metrics.databaseLoads.inc({ kind }),
  });
  // Only a server warms: a tool serves no pages.
  const warmer =
    serving && pages
      ? createPageWarmer({
          concurrency: config.pageCache.warmConcurrency,
          pages,
          loadTenant: (tenantId) => repo.tenant(tenantId),
          forgetTenant: (tenantId) => void cache.invalidate([tenantKey(tenantId)]),
          onResult: (result) => metrics.pageWarms.inc({ result }),
          logger,
        })
      : null;
  const siteInvalidation = createSiteInvalidation({ cache, memory, pages, warm: warmer?.warm, platformDomain: config.platformDomain, logger });
  const tlsAllowList = serving ? await openTlsAllowList(routingDb, logger, closers) : null;
  const prerender = createPrerender({
    config,
    pages,
    loadTenant: (tenantId) => queryTenant(db, tenantId),
    publishedPaths: (tenant) => repo.publishedPaths(tenant),
    lease: redis && config.redis
      ? createRedisLoadLease({ client: redis.commands, prefix: config.redis.prefix, ttlMs: PRERENDER_CLAIM_MS, owner: `${config.instanceId}:${randomUUID()}` })
      : null,
    metrics,
    logger,
  });
  closers.push(async () => prerender.stop());
  const allowed = tlsAllowList ? withAllowList(siteInvalidation, tlsAllowList, logger) : siteInvalidation;
  const invalidation = serving ? withPrerender(allowed, prerender) : allowed;
  const bus: InvalidationBus = redis && config.redis ? redisBus(redis, config.redis, logger) : createLocalInvalidationBus();
  closers.push(() => bus.close());
  // Every instance, the publisher included, drops what it holds for a changed tenant — once: the
  // same change arrives by pub/sub and again from the change log.
  bus.subscribe(invalidation.onChange);
  if (redis && config.redis) {
    // Serve without Redis rather than wait for it: the subscription is made whenever it answers.
    const connected = await redis.ready(config.redis.connectTimeoutMs);
    if (connected) await settleWithin(bus.ready(), config.redis.connectTimeoutMs);
    else logger.warn({}, 'starting without Redis; it is used as soon as it answers');
  }

  const changeLog = redis && config.redis ? openChangeLog(redis, config.redis, config.cache.versionCheckMs, invalidation, logger, closers) : null;
  const delivery = createChangeDelivery({
    origin: config.instanceId,
    platformDomain: config.platformDomain,
    local: serving ? invalidation.onChange : null,
    shared: redis && config.redis && changeLog ? { dropShared: dropSharedEntries(redis, config.redis), log: changeLog, bus } : null,
  });
  if (serving && config.outboxPollMs > 0) {
    closers.push(
      startChangeDispatcher({
        db: routingDb,
        delivery,
        intervalMs: config.outboxPollMs,
        logger,
        onDelivered: (count) => metrics.changesDelivered.inc({ by: 'dispatcher' }, count),
        onFailed: (count) => metrics.changeDeliveryFailures.inc(count),
      }),
    );
  }
  metrics.observeOutbox(() => changeBacklog(routingDb));
  metrics.observeCaches(() => ({ data: { entries: memory.size, bytes: memory.bytes }, ...pages?.holdings(), ...(fragments && { fragment: fragments.holdings() }) }));
  const stopSweeping = startStaleSweeper(pages ? [memory, pages] : [memory], STALE_SWEEP_MS);
  closers.push(async () => stopSweeping());

  const renders = createRenderGate({
    ...config.render,
    onChange: (inFlight, queued) => {
      metrics.rendersInFlight.set(inFlight);
      metrics.rendersQueued.set(queued);
    },
  });
  let lastStatus: ReadinessReport['status'] = 'ready';
  const readiness = async () => {
    const report = await checkReadiness({
      database: () => sql`SELECT 1`.execute(routingDb),
      redis: redis ? () => (redis.usable ? redis.commands.ping() : Promise.reject(new Error('redis unavailable'))) : null,
    });
    // One line when the answer changes, not one per probe.
    if (report.status !== lastStatus) logger[report.status === 'ready' ? 'info' : 'warn']({ ...report }, 'readiness changed');
    lastStatus = report.status;
    return report;
  };

  const announce = outboxNotifier({
    delivery,
    finish: (ids) => finishChanges(routingDb, ids),
    logger,
    onDelivered: () => metrics.changesDelivered.inc({ by: 'publisher' }),
  });
  // A page's change is rendered under its new version before anyone hears of the version.
  const notify: SiteChangeNotifier = async (change) => {
    await prerender.beforeAnnounce(change);
    await announce(change);
  };
  const dns = createDnsLookup(config.dnsResolvers);
  if (serving && config.jobPollMs > 0) {
    const smtpUrl = config.accounts.smtpUrl;
    const jobMailer = smtpUrl ? createSmtpMailer(smtpUrl.reveal(), config.accounts.mailFrom) : null;
    if (jobMailer) closers.push(async () => jobMailer.close());
    const runner = createJobRunner({
      db,
      kinds: JOB_KINDS,
      context: {
        clock: () => new Date(),
        notify,
        registry: catalog,
        logger,
        platformDomain: config.platformDomain,
        dns,
        mailer: jobMailer,
      },
      logger,
      worker: `${config.instanceId}-${randomUUID().slice(0, 8)}`,
    });
    closers.push(runner.start(config.jobPollMs));
    // Trials and deletions move by the clock; a minute is precise enough for days-long periods.
    closers.push(
      startLifecycleSweep(
        { db, clock: () => new Date(), notify, registry: catalog, logger, platformDomain: config.platformDomain },
        { retentionDays: config.deletedRetentionDays, intervalMs: Math.max(config.jobPollMs, 60_000) },
      ),
    );
  }
  // rate-limiter-flexible needs a client of its own; it has the same fail-fast limits. The contact
  // form's limit and the sign-in throttle share it.
  const limiterRedis = redis ? redis.duplicate(`mosaic-${config.instanceId}-limits`) : null;
  if (limiterRedis) {
    closers.push(async () => limiterRedis.disconnect());
  }
  const formLimiter = createSubmissionLimiter({ max: 5, windowSeconds: 600, redis: limiterRedis, prefix: config.redis?.prefix ?? '', logger });
  const apiRateLimit = createApiRateLimit({ perMinute: config.apiRateLimitPerMinute, redis: limiterRedis, prefix: config.redis?.prefix ?? '' });
  const originLimit = config.originLimits.enabled
    ? createOriginLimit({
        burstSeconds: config.originLimits.burstSeconds,
        redis: limiterRedis,
        prefix: config.redis?.prefix ?? '',
        logger,
        onOutcome: (work, outcome) => metrics.originLimit.inc({ work, outcome }),
      })
    : UNLIMITED_ORIGIN;
  const auth = createAuth({
    config,
    db,
    secretKey,
    notify,
    registry: catalog,
    logger,
    redis: limiterRedis,
    redisPrefix: config.redis?.prefix,
    dns,
  });
  closers.push(async () => auth.close());

  return {
    config,
    logger,
    db,
    repo,
    pages,
    fragments,
    renders,
    metrics,
    notify,
    prerender,
    auth,
    readiness,
    formLimiter,
    tlsAllowList,
    apiRateLimit,
    originLimit,
    async checkReady() {
      if ((await readiness()).database !== 'ok') throw new Error('database unavailable');
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}

/**
 * The change log, read every VERSION_CHECK_MS and at once whenever Redis is back, so an instance
 * catches up on what it missed from where it stopped instead of dropping its caches.
 */
function openChangeLog(
  redis: RedisConnection,
  config: RedisConfig,
  versionCheckMs: number,
  invalidation: SiteInvalidation,
  logger: Logger,
  closers: Closers,
): ChangeLog {
  const changeLog = createChangeLog({
    client: redis.commands,
    key: changeLogKey(config.prefix),
    onChange: invalidation.onChange,
    onGap: invalidation.onGap,
    logger,
  });
  if (versionCheckMs > 0) {
    const stop = changeLog.start(versionCheckMs);
    closers.push(async () => stop());
    redis.onReady(() => void changeLog.poll().catch(() => undefined));
  }
  return changeLog;
}

/** How often the on-demand TLS allow-list is reloaded in full, besides the change notices. */
const TLS_RELOAD_MS = 5 * 60_000;

async function openTlsAllowList(db: Kysely<Database>, logger: Logger, closers: Closers): Promise<TlsAllowList> {
  const allowList = createTlsAllowList(db);
  const reload = () =>
    allowList.load().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'TLS allow-list not reloaded'));
  await reload();
  const timer = setInterval(() => void reload(), TLS_RELOAD_MS);
  timer.unref();
  closers.push(async () => clearInterval(timer));
  return allowList;
}

/** Change notices also refresh the named site's entries in the TLS allow-list; a gap reloads it all. */
function withAllowList(invalidation: SiteInvalidation, allowList: TlsAllowList, logger: Logger): SiteInvalidation {
  const failed = (error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'TLS allow-list not refreshed');
  return {
    onChange(message) {
      invalidation.onChange(message);
      void allowList.refreshTenant(message.tenantId).catch(failed);
    },
    onGap() {
      invalidation.onGap();
      void allowList.load().catch(failed);
    },
  };
}

/** Every change heard of (from this process or another) is offered to the pre-render after the caches drop it. */
function withPrerender(invalidation: SiteInvalidation, prerender: Prerender): SiteInvalidation {
  return {
    onChange(message) {
      invalidation.onChange(message);
      prerender.onChange(message);
    },
    onGap: () => invalidation.onGap(),
  };
}

/** Waits for `promise` at most `ms`; never rejects. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * The app-role connections: a main pool, and a small one of its own for host lookups, tenant
 * records, readiness and change notices. The embedded database is migrated and seeded on first
 * start and has one connection for everything.
 */
async function openServerDatabases(
  config: MosaicConfig,
  logger: Logger,
  metrics: Metrics,
  closers: Closers,
): Promise<{ db: Kysely<Database>; routingDb: Kysely<Database> }> {
  if (config.database.kind === 'postgres') {
    const { url, poolSize, routingPoolSize, timeouts } = config.database;
    const onConnectionLost = (error: Error) => {
      metrics.databaseConnectionsLost.inc();
      logger.warn({ err: error.message }, 'database connection lost');
    };
    const db = createPostgresDatabase(url, poolSize, { timeouts, onConnectionLost, applicationName: 'mosaic' });
    const routingDb = createPostgresDatabase(url, routingPoolSize, { timeouts, onConnectionLost, applicationName: 'mosaic-routing' });
    closers.push(() => db.destroy(), () => routingDb.destroy());
    if (!config.allowPrivilegedDbRole) await assertUnprivilegedRole(db);
    return { db, routingDb };
  }
  const embedded = await openEmbeddedDatabase(config.database.dir);
  closers.push(() => embedded.close());
  const applied = await migrateOrThrow(embedded.admin);
  if (applied.length) logger.info({ applied, dir: config.database.dir }, 'embedded database migrated');
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tenants`.execute(embedded.admin);
  if ((rows[0]?.n ?? 0) === 0) {
    const reports = await seedTenants({ admin: embedded.admin, registry: catalog, notify: async () => {}, platformDomain: config.platformDomain });
    logger.info({ tenants: reports.map((r) => r.slug) }, 'embedded database seeded with the demo tenants');
  }
  // A demo with nobody to sign in as gets the demo accounts (also a database seeded before accounts existed).
  const { rows: people } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(embedded.admin);
  if ((people[0]?.n ?? 0) === 0) {
    const tenants = await embedded.admin.selectFrom('tenants').select('slug').orderBy('slug').execute();
    const context = { db: embedded.admin, clock: () => new Date(), notify: async () => {}, registry: catalog, logger };
    const accounts = await ensureDemoAccounts(context, tenants.map((t) => t.slug));
    logger.info({ accounts: accounts.created }, 'embedded database given the demo accounts');
  }
  const db = await embedded.dropToAppRole();
  return { db, routingDb: db };
}
