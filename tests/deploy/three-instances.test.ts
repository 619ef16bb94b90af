import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createSiteNotifier } from '../../src/app/site-notifier.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { startCaddy, requireCaddy, type RunningCaddy } from '../support/caddy.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { startPrivateRedisCluster, type PrivateRedisCluster } from '../support/private-redis-cluster.ts';
import { publishAs } from '../support/publish.ts';
import { readCounter, request, startServer, type RunningServer } from '../support/server-process.ts';

const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];
const page = (headline: string) => ({ path: '/', title: headline, sections: [{ type: 'hero', props: { title: headline } }] });

/** A request to Caddy over HTTPS for `host` (SNI and Host as a browser sends them; Caddy's internal CA is not trusted). */
function viaCaddy(port: number, host: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, servername: host, headers: { host }, rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe("three instances behind Caddy's load balancer, sharing PostgreSQL and a Redis Cluster", () => {
  const dbs = openTestDatabases(2);
  let cluster: PrivateRedisCluster;
  let servers: RunningServer[] = [];
  let caddy: RunningCaddy;
  let notifier: ReturnType<typeof createSiteNotifier>;
  let site: { id: string; slug: string };

  beforeAll(async () => {
    requireCaddy();
    cluster = await startPrivateRedisCluster(3);
    const env = {
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: cluster.url,
      REDIS_CLUSTER: 'true',
      REDIS_PREFIX: `ti${randomBytes(3).toString('hex')}:`,
      // Long enough that only the change notice can explain a fresh page within a second.
      TENANT_TTL_SECONDS: '600',
      INTERNAL_PORT: '0',
    };
    notifier = createSiteNotifier(loadConfig({ ...env, LOG_LEVEL: 'silent' }), createLogger('silent', 'test'), dbs.app);
    site = await createTestTenant(dbs.admin, { domains: [] });
    await publishAs(dbs.app, site.id, page('First headline'), { notify: (c) => notifier.notify(c) });
    servers = await Promise.all([startServer(env), startServer(env), startServer(env)]);
    caddy = await startCaddy({
      PLATFORM_DOMAIN: 'localhost',
      ADMIN_HOST: 'admin.localhost',
      MOSAIC_UPSTREAM: servers.map((s) => `127.0.0.1:${s.port}`).join(' '),
      MOSAIC_INTERNAL: `127.0.0.1:${servers[0]!.metricsPort}`,
    });
  }, 120_000);
  afterAll(async () => {
    await caddy?.stop();
    await Promise.all(servers.map((s) => s.stop()));
    await notifier?.close();
    await cluster?.stop();
    await dbs.close();
  });

  const sum = async (name: string, labels = '') => (await Promise.all(servers.map((s) => readCounter(s, name, labels)))).reduce((a, b) => a + b, 0);

  test('visitors through Caddy reach every instance and get the same site', async () => {
    const before = await Promise.all(servers.map((s) => readCounter(s, 'mosaic_page_cache_total')));
    for (let i = 0; i < 12; i++) {
      const res = await viaCaddy(caddy.httpsPort, `${site.slug}.localhost`);
      expect(res.status).toBe(200);
      expect(title(res.body)).toBe('First headline');
    }
    const after = await Promise.all(servers.map((s) => readCounter(s, 'mosaic_page_cache_total')));
    expect(after.map((n, i) => n - before[i]!)).toEqual([4, 4, 4]);
  });

  test('a cold site asked for by many visitors at once is loaded from PostgreSQL once in the whole cluster', async () => {
    const cold = await createTestTenant(dbs.admin, { domains: [] });
    await publishAs(dbs.app, cold.id, page('Cold site'), { notify: (c) => notifier.notify(c) });
    const kinds = ['host', 'tenant', 'theme', 'page'];
    const before = await Promise.all(kinds.map((kind) => sum('mosaic_database_loads_total', `kind="${kind}"`)));
    const answers = await Promise.all(Array.from({ length: 90 }, () => viaCaddy(caddy.httpsPort, `${cold.slug}.localhost`)));
    expect(answers.every((a) => a.status === 200 && title(a.body) === 'Cold site')).toBe(true);
    const after = await Promise.all(kinds.map((kind) => sum('mosaic_database_loads_total', `kind="${kind}"`)));
    expect(Object.fromEntries(kinds.map((kind, i) => [kind, after[i]! - before[i]!]))).toEqual({ host: 1, tenant: 1, theme: 1, page: 1 });
  });

  test('a publish is served by every instance within a second', async () => {
    for (const server of servers) expect(title((await request(server.port, '/', { host: `${site.slug}.localhost` })).body)).toBe('First headline');
    await publishAs(dbs.app, site.id, page('Second headline'), { notify: (c) => notifier.notify(c) });
    const published = Date.now();
    const seenAt = await Promise.all(
      servers.map(async (server) => {
        while (Date.now() - published < 5000) {
          const res = await request(server.port, '/', { host: `${site.slug}.localhost` });
          if (title(res.body) === 'Second headline') return Date.now() - published;
          await new Promise((r) => setTimeout(r, 20));
        }
        return Infinity;
      }),
    );
    expect(Math.max(...seenAt)).toBeLessThan(1000);
    expect(title((await viaCaddy(caddy.httpsPort, `${site.slug}.localhost`)).body)).toBe('Second headline');
  });
});
