import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createSiteNotifier } from '../../src/app/site-notifier.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createDnsLookup } from '../../src/domains/dns-challenge.ts';
import { createLogger } from '../../src/log/logger.ts';
import { execute } from '../../src/operations/execute.ts';
import { addDomain, verifyDomain } from '../../src/operations/domains/index.ts';
import { startCaddy, curlHttps, requireCaddy, type RunningCaddy } from '../support/caddy.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { publishAs, testContext } from '../support/publish.ts';
import { startServer, type RunningServer } from '../support/server-process.ts';

const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];

describe("the shipped Caddyfile in Debian's caddy, in front of Mosaic", () => {
  const dbs = openTestDatabases(2);
  let server: RunningServer;
  let caddy: RunningCaddy;
  let dns: TestDnsServer;
  let site: { id: string; slug: string };
  let notifier: ReturnType<typeof createSiteNotifier>;
  const custom = `shop-${randomBytes(3).toString('hex')}.example`;
  const pending = `pending-${randomBytes(3).toString('hex')}.example`;

  beforeAll(async () => {
    requireCaddy();
    dns = await startDnsServer(['example']);
    const env = { DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `cd${randomBytes(3).toString('hex')}:`, INTERNAL_PORT: '0' };
    notifier = createSiteNotifier(loadConfig({ ...env, LOG_LEVEL: 'silent' }), createLogger('silent', 'test'), dbs.app);
    site = await createTestTenant(dbs.admin, { plan: 'pro', domains: [] });
    await publishAs(dbs.app, site.id, { path: '/', title: `Site ${site.slug}`, sections: [{ type: 'hero', props: { title: site.slug } }] });
    const context = { ...testContext(dbs.app, { notify: (c) => notifier.notify(c) }), dns: createDnsLookup([dns.address], { timeoutMs: 1000, tries: 1 }) };
    const on = (hostname: string) => ({ tenant: { id: site.id }, input: { hostname } });
    const added = await execute(context, addDomain, on(custom));
    await execute(context, addDomain, on(pending));
    await dns.setRecords({ [added.records[0]!.name]: [added.records[0]!.value] });
    expect(await execute(context, verifyDomain, on(custom))).toMatchObject({ verified: true });
    server = await startServer(env);
    caddy = await startCaddy({
      PLATFORM_DOMAIN: 'localhost',
      ADMIN_HOST: 'admin.localhost',
      MOSAIC_UPSTREAM: `127.0.0.1:${server.port}`,
      MOSAIC_INTERNAL: `127.0.0.1:${server.metricsPort}`,
    });
  }, 60_000);
  afterAll(async () => {
    await caddy?.stop();
    await server?.stop();
    await notifier?.close();
    await dns?.stop();
    await dbs.close();
  });

  test('a verified custom domain gets a certificate on demand and its own site, compressed', async () => {
    const res = await curlHttps(custom, caddy.httpsPort, '/', ['Accept-Encoding: identity']);
    expect(res.exitCode, caddy.output.join('')).toBe(0);
    expect(res.status).toBe(200);
    expect(title(res.body)).toBe(`Site ${site.slug}`);
    const compressed = await curlHttps(custom, caddy.httpsPort, '/', ['Accept-Encoding: gzip']);
    expect(compressed.headers.toLowerCase()).toContain('content-encoding: gzip');
  });

  test('an unknown or unverified domain fails the TLS handshake', async () => {
    for (const host of [`nobody-${randomBytes(3).toString('hex')}.example`, pending]) {
      const res = await curlHttps(host, caddy.httpsPort);
      expect(res.exitCode, host).toBe(35);
      expect(res.status).toBe(0);
    }
  });

  test('platform addresses use the wildcard block; the admin host its own', async () => {
    const platform = await curlHttps(`${site.slug}.localhost`, caddy.httpsPort);
    expect(platform.exitCode).toBe(0);
    expect(title(platform.body)).toBe(`Site ${site.slug}`);
    const admin = await curlHttps('admin.localhost', caddy.httpsPort, '/healthz');
    expect(admin).toMatchObject({ exitCode: 0, status: 200 });
    expect(admin.body).toBe('ok');
  });
});
