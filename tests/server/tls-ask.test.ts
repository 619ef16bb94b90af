import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createSiteNotifier } from '../../src/app/site-notifier.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createDnsLookup } from '../../src/domains/dns-challenge.ts';
import { createLogger } from '../../src/log/logger.ts';
import { execute } from '../../src/operations/execute.ts';
import { addDomain, makePrimaryDomain, removeDomain, verifyDomain } from '../../src/operations/domains/index.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { publishAs, testContext } from '../support/publish.ts';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

/** Polls until `read` gives `expected` or `withinMs` passes; returns the last value. */
async function settle<T>(read: () => Promise<T>, expected: T, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    value = await read();
  }
  return value;
}

describe('the TLS ask and domain changes on every instance', () => {
  const dbs = openTestDatabases(2);
  const servers: RunningServer[] = [];
  let dns: TestDnsServer;
  let env: Record<string, string>;
  let notifier: ReturnType<typeof createSiteNotifier>;
  let site: { id: string; slug: string };

  const ask = (server: RunningServer, domain: string) => request(server.metricsPort!, `/tls/ask?domain=${encodeURIComponent(domain)}`).then((r) => r.status);
  const context = () => ({ ...testContext(dbs.app, { notify: (c) => notifier.notify(c) }), dns: createDnsLookup([dns.address], { timeoutMs: 1000, tries: 1 }) });
  const on = (input: object) => ({ tenant: { id: site.id }, input });
  /** Adds and verifies a domain, as the API will. */
  async function verified(hostname: string) {
    const added = await execute(context(), addDomain, on({ hostname }));
    await dns.setRecords({ [added.records[0]!.name]: [added.records[0]!.value] });
    expect(await execute(context(), verifyDomain, on({ hostname }))).toMatchObject({ verified: true });
  }

  beforeAll(async () => {
    dns = await startDnsServer(['example']);
    env = {
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `ta${randomBytes(3).toString('hex')}:`,
      INTERNAL_PORT: '0',
      // Host lookups (and not-found answers) would live for ten minutes without the notice.
      CACHE_TTL_SECONDS: '600',
      NEGATIVE_TTL_SECONDS: '600',
      TENANT_TTL_SECONDS: '600',
    };
    notifier = createSiteNotifier(loadConfig({ ...env, LOG_LEVEL: 'silent' }), createLogger('silent', 'test'), dbs.app);
    site = await createTestTenant(dbs.admin, { plan: 'pro' });
    await publishAs(dbs.app, site.id, { path: '/', title: `Site ${site.slug}`, sections: [{ type: 'hero', props: { title: site.slug } }] });
    servers.push(await startServer(env), await startServer(env));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await notifier?.close();
    await dns?.stop();
    await dbs.close();
  });

  test('the ask answers from what was loaded at start: yes for a verified domain, no otherwise, 400 for a non-hostname', async () => {
    for (const server of servers) {
      expect(await ask(server, `${site.slug}.test`)).toBe(200);
      expect(await ask(server, `${site.slug.toUpperCase()}.TEST.`)).toBe(200);
      expect(await ask(server, 'nobody-here.example')).toBe(404);
      expect(await ask(server, `${site.slug}.localhost`)).toBe(404);
      expect(await ask(server, '')).toBe(400);
      expect(await ask(server, 'a/b')).toBe(400);
    }
    // Never on a tenant's host.
    expect((await request(servers[0]!.port, '/tls/ask?domain=x.example', { host: `${site.slug}.test` })).status).toBe(404);
  });

  test('a domain verified, made primary and removed: every instance answers the ask and routes accordingly within a second', async () => {
    const hostname = `new-${randomBytes(3).toString('hex')}.example`;
    for (const server of servers) {
      expect(await ask(server, hostname)).toBe(404);
      // The not-found answer is cached now, for ten minutes unless the notice drops it.
      expect((await request(server.port, '/', { host: hostname })).status).toBe(404);
    }
    await verified(hostname);
    for (const server of servers) {
      expect(await settle(() => ask(server, hostname), 200, 1000)).toBe(200);
      expect(await settle(() => request(server.port, '/', { host: hostname }).then((r) => r.status), 301, 1000)).toBe(301);
    }

    await execute(context(), makePrimaryDomain, on({ hostname }));
    for (const server of servers) {
      const location = () => request(server.port, '/', { host: `${site.slug}.test` }).then((r) => String(r.headers.location ?? ''));
      expect(await settle(location, `https://${hostname}/`, 1000)).toBe(`https://${hostname}/`);
    }

    await execute(context(), removeDomain, on({ hostname }));
    for (const server of servers) {
      expect(await settle(() => ask(server, hostname), 404, 1000)).toBe(404);
      expect(await settle(() => request(server.port, '/', { host: hostname }).then((r) => r.status), 404, 1000)).toBe(404);
    }
  });
});
