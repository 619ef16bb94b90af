import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createSiteNotifier } from '../../src/app/site-notifier.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { publishAs } from '../support/publish.ts';
import { provisionTenant, type TenantDefinition } from '../../src/tenants/provision-tenant.ts';
import { openTestDatabases, uniqueSlug } from '../support/databases.ts';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

const definition = (slug: string, domains: string[]): TenantDefinition => ({
  slug,
  name: `Tenant ${slug}`,
  status: 'active',
  plan: 'starter',
  settings: {},
  domains: domains.map((hostname, i) => ({ hostname, primary: i === 0, verified: true })),
  theme: { preset: 'ocean', overrides: {} },
});

describe('a change of domains', () => {
  const dbs = openTestDatabases(2);
  const servers: RunningServer[] = [];
  const moved = `moved-${randomBytes(3).toString('hex')}.example`;
  const a = uniqueSlug('dom-a');
  const b = uniqueSlug('dom-b');
  let env: Record<string, string>;

  /** Provisions as `npm run seed` does: the notice is recorded with the change and delivered right after. */
  async function provision(slug: string, domains: string[]) {
    const notifier = createSiteNotifier(loadConfig({ ...env, LOG_LEVEL: 'silent' }), createLogger('silent', 'test'), dbs.admin);
    try {
      const { tenantId, change } = await provisionTenant(dbs.admin, definition(slug, domains), [], { actor: 'test', platformDomain: 'localhost' });
      await notifier.notify(change);
      return tenantId;
    } finally {
      await notifier.close();
    }
  }
  const titleAt = async (server: RunningServer, hostname: string) => {
    const res = await request(server.port, '/', { host: hostname });
    return res.status === 200 ? /<title>([^<]*)<\/title>/.exec(res.body)?.[1] : res.status;
  };
  async function everyInstanceSees(hostname: string, expected: string | number, withinMs: number): Promise<number> {
    const since = Date.now();
    for (const server of servers) {
      let seen = await titleAt(server, hostname);
      while (seen !== expected && Date.now() - since < withinMs) {
        await new Promise((r) => setTimeout(r, 20));
        seen = await titleAt(server, hostname);
      }
      expect(seen).toBe(expected);
    }
    return Date.now() - since;
  }

  beforeAll(async () => {
    env = {
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `dc${randomBytes(3).toString('hex')}:`,
      // Host lookups (and not-found answers) would live for ten minutes without the message.
      CACHE_TTL_SECONDS: '600',
      NEGATIVE_TTL_SECONDS: '600',
      TENANT_TTL_SECONDS: '600',
    };
    for (const [slug, domains] of [[a, [moved]], [b, [`${b}.example`]]] as const) {
      const tenantId = await provision(slug, [...domains]);
      const page = { path: '/', title: `Site ${slug}`, sections: [{ type: 'hero', props: { title: slug } }] };
      await publishAs(dbs.app, tenantId, page);
    }
    servers.push(await startServer(env), await startServer(env));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await dbs.close();
  });

  test('a domain moved to another tenant routes there on every instance within a second', async () => {
    await everyInstanceSees(moved, `Site ${a}`, 1000); // both instances hold the lookup now
    await provision(a, [`${a}.example`]);
    await provision(b, [moved, `${b}.example`]);
    expect(await everyInstanceSees(moved, `Site ${b}`, 1000)).toBeLessThan(1000);
  });

  test('a domain removed stops routing on every instance within a second', async () => {
    await everyInstanceSees(moved, `Site ${b}`, 1000);
    await provision(b, [`${b}.example`]);
    expect(await everyInstanceSees(moved, 404, 1000)).toBeLessThan(1000);
  });
});
