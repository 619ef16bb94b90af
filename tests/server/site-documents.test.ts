import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createSiteNotifier } from '../../src/app/site-notifier.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { publishAs } from '../support/publish.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

const page = (path: string, title: string, meta: object = {}) => ({ path, title, meta, sections: [{ type: 'hero', props: { title } }] });
const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);

describe('sitemap.xml and robots.txt per host, from the page cache', () => {
  const dbs = openTestDatabases(2);
  let server: RunningServer;
  let withDomain: { id: string; slug: string };
  let bare: { id: string; slug: string };
  let notifier: ReturnType<typeof createSiteNotifier>;

  beforeAll(async () => {
    withDomain = await createTestTenant(dbs.admin);
    bare = await createTestTenant(dbs.admin, { domains: [] });
    await publishAs(dbs.app, withDomain.id, page('/', 'Home'));
    await publishAs(dbs.app, withDomain.id, page('/about', 'About'));
    await publishAs(dbs.app, withDomain.id, page('/hidden', 'Hidden', { noindex: true }));
    await publishAs(dbs.app, bare.id, page('/', 'Bare'));
    const env = { DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `sd${randomBytes(3).toString('hex')}:`, TENANT_TTL_SECONDS: '600' };
    notifier = createSiteNotifier(loadConfig({ ...env, LOG_LEVEL: 'silent' }), createLogger('silent', 'test'), dbs.app);
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.stop();
    await notifier?.close();
    await dbs.close();
  });

  test('the sitemap lists the published pages on the primary domain, from any of the site’s hosts; noindex pages are left out', async () => {
    for (const host of [`${withDomain.slug}.test`, `${withDomain.slug}.localhost`]) {
      const res = await request(server.port, '/sitemap.xml', { host });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
      expect(locs(res.body)).toEqual([`https://${withDomain.slug}.test/`, `https://${withDomain.slug}.test/about`]);
    }
    const bareMap = await request(server.port, '/sitemap.xml', { host: `${bare.slug}.localhost` });
    expect(locs(bareMap.body)).toEqual([`http://${bare.slug}.localhost/`]);
  });

  test('robots.txt names the sitemap on the primary domain', async () => {
    const res = await request(server.port, '/robots.txt', { host: `${withDomain.slug}.localhost` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe(`User-agent: *\nDisallow: /_mosaic/\n\nSitemap: https://${withDomain.slug}.test/sitemap.xml\n`);
    const head = await request(server.port, '/robots.txt', { host: `${withDomain.slug}.localhost`, method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect((await request(server.port, '/robots.txt', { host: 'nobody-here.localhost' })).status).toBe(404);
  });

  test('served from the page cache until a publish, which brings the new page in', async () => {
    const host = `${withDomain.slug}.test`;
    const first = await request(server.port, '/sitemap.xml', { host });
    const again = await request(server.port, '/sitemap.xml', { host });
    expect(again.headers['x-mosaic-cache']).toBe('hit');
    expect(again.body).toBe(first.body);
    const revalidated = await request(server.port, '/sitemap.xml', { host, headers: { 'if-none-match': String(again.headers.etag) } });
    expect(revalidated.status).toBe(304);

    await publishAs(dbs.app, withDomain.id, page('/contact-us', 'Contact'), { notify: (c) => notifier.notify(c) });
    const seen = async () => locs((await request(server.port, '/sitemap.xml', { host })).body);
    const deadline = Date.now() + 1000;
    let current = await seen();
    while (!current.includes(`https://${host}/contact-us`) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      current = await seen();
    }
    expect(current).toContain(`https://${host}/contact-us`);
  });
});
