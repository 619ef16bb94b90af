import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createSiteNotifier } from '../../src/app/site-notifier.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { publishAs } from '../support/publish.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { runLoad } from '../support/load.ts';
import { absentRedis, startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { logMessages, readCounter, request, startServer, type RunningServer } from '../support/server-process.ts';

// Redis killed, frozen and absent at start-up, on a Redis of the test's own. Postgres is the
// suite's shared server, which nothing here stops.

const page = (path: string, headline: string) => ({ path, title: headline, sections: [{ type: 'hero', props: { title: headline } }] });
const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];

describe('Redis failures', () => {
  const dbs = openTestDatabases(2);
  let tenant: { id: string; slug: string };
  const host = () => `${tenant.slug}.localhost`;
  const cleanups: (() => Promise<unknown>)[] = [];

  const serverEnv = (redisUrl: string) => ({
    DATABASE_URL: inject('appDatabaseUrl'),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `rf${randomBytes(3).toString('hex')}:`,
    REDIS_COMMAND_TIMEOUT_MS: '100',
    REDIS_CONNECT_TIMEOUT_MS: '500',
    REDIS_RETRY_AFTER_MS: '300',
    METRICS_PORT: '0',
    TENANT_TTL_SECONDS: '600',
    VERSION_CHECK_MS: '200',
    LOG_LEVEL: 'info',
  });

  /** Publishes as `npm run publish-page` would: through the same Redis, with the outbox. */
  async function publishThrough(env: Record<string, string>, composition: unknown) {
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
    const notifier = createSiteNotifier(config, createLogger('silent', 'test'), dbs.app);
    try {
      await publishAs(dbs.app, tenant.id, composition, { notify: notifier.notify });
    } finally {
      await notifier.close();
    }
  }

  // Cold paths miss both caches: each request reads Redis several times (page cache, data cache, lease).
  const mixedLoad = (server: RunningServer, durationMs: number) =>
    runLoad({
      port: server.port,
      concurrency: 6,
      durationMs,
      next: (i) => ({ host: host(), path: i % 3 === 0 ? '/' : i % 3 === 1 ? '/about' : `/cold-${randomBytes(4).toString('hex')}` }),
    });

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    for (const p of [page('/', 'Home one'), page('/about', 'About')]) {
      await publishAs(dbs.app, tenant.id, p);
    }
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await dbs.close();
  });

  describe('a running server', () => {
    let redis: PrivateRedis;
    let server: RunningServer;
    let env: Record<string, string>;
    const logs: string[] = [];

    beforeAll(async () => {
      redis = await startPrivateRedis();
      cleanups.push(() => redis.stop());
      env = serverEnv(redis.url);
      server = await startServer(env, { logs });
      cleanups.push(() => server.stop());
      for (const path of ['/', '/about']) expect((await request(server.port, path, { host: host() })).status).toBe(200);
    });

    test('Redis killed mid-load: no request fails or waits long; pages come from memory and Postgres', async () => {
      const load = mixedLoad(server, 2500);
      await new Promise((r) => setTimeout(r, 800));
      await redis.kill();
      const result = await load;

      expect(result.requests).toBeGreaterThan(50);
      expect(result.failed, JSON.stringify(result)).toBe(0);
      expect(result.maxLatencyMs, JSON.stringify(result.slowest)).toBeLessThan(1000);
      expect(server.child.exitCode).toBeNull();
      const ready = await request(server.port, '/readyz');
      expect([ready.status, ready.body]).toEqual([200, 'degraded: redis unavailable']);
      expect(await readCounter(server, 'mosaic_redis_available')).toBe(0);
      expect(logMessages(logs)).toContain('redis unavailable');
    });

    test('when Redis returns, the shared cache and invalidation resume without dropping what memory holds', async () => {
      await redis.start();
      const back = await eventually(() => request(server.port, '/readyz'), (r) => r.body === 'ready', 5000);
      expect(back.body).toBe('ready');
      expect(logMessages(logs)).toContain('redis available again');

      // Still a hit in memory: nothing was thrown away on reconnect.
      const renders = await readCounter(server, 'mosaic_page_renders_total');
      const warm = await request(server.port, '/about', { host: host() });
      expect(warm.headers['x-mosaic-cache']).toBe('hit');
      expect(await readCounter(server, 'mosaic_page_renders_total')).toBe(renders);

      // A publish reaches the server through Redis again (the subscription came back by itself).
      await publishThrough(env, page('/', 'Home two'));
      const seen = await eventually(async () => title((await request(server.port, '/', { host: host() })).body), (t) => t === 'Home two', 1000);
      expect(seen).toBe('Home two');
    });

    test('Redis frozen mid-load: requests wait at most about one command timeout, none fails', async () => {
      const load = mixedLoad(server, 3000);
      await new Promise((r) => setTimeout(r, 700));
      redis.freeze();
      await new Promise((r) => setTimeout(r, 1500));
      redis.thaw();
      const result = await load;

      expect(result.requests).toBeGreaterThan(50);
      expect(result.failed, JSON.stringify(result)).toBe(0);
      expect(result.maxLatencyMs, JSON.stringify(result.slowest)).toBeLessThan(1000);
      expect(server.child.exitCode).toBeNull();
      const back = await eventually(() => request(server.port, '/readyz'), (r) => r.body === 'ready', 5000);
      expect(back.body).toBe('ready');
    });
  });

  test('Redis absent at start-up: the server starts and serves from Postgres, then uses Redis once it is there', async () => {
    const absent = await absentRedis();
    const env = serverEnv(absent.url);
    const logs: string[] = [];
    const started = Date.now();
    const server = await startServer(env, { logs });
    cleanups.push(() => server.stop());
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(logMessages(logs)).toContain('starting without Redis; it is used as soon as it answers');

    const home = await request(server.port, '/', { host: host() });
    expect(home.status).toBe(200);
    const degraded = await request(server.port, '/readyz');
    expect([degraded.status, degraded.body]).toEqual([200, 'degraded: redis unavailable']);

    const redis = await absent.start();
    cleanups.push(() => redis.stop());
    const back = await eventually(() => request(server.port, '/readyz'), (r) => r.body === 'ready', 5000);
    expect(back.body).toBe('ready');

    await publishThrough(env, page('/', 'Home three'));
    const seen = await eventually(async () => title((await request(server.port, '/', { host: host() })).body), (t) => t === 'Home three', 1000);
    expect(seen).toBe('Home three');
  });
});
