import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { ADMIN_HOST, ApiClient } from '../support/api-client.ts';
import { createTestApiKey } from '../support/api-fixtures.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { publishAs } from '../support/publish.ts';
import { readCounter, request, startServer, type RunningServer } from '../support/server-process.ts';

const page = (path: string, headline: string) => ({ path, title: headline, sections: [{ type: 'hero', props: { title: headline } }] });

describe('pre-rendering on publish, across two instances', () => {
  const dbs = openTestDatabases(2);
  const servers: RunningServer[] = [];
  let tenant: { id: string; slug: string };
  let api: ApiClient;
  const host = () => `${tenant.slug}.localhost`;
  const renders = (server: RunningServer) => readCounter(server, 'mosaic_page_renders_total');
  const prerendered = async () => {
    let sum = 0;
    for (const server of servers) sum += await readCounter(server, 'mosaic_prerenders_total', 'result="stored"');
    return sum;
  };

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    await publishAs(dbs.app, tenant.id, page('/', 'Home one'));
    await publishAs(dbs.app, tenant.id, page('/about', 'About one'));
    const env = {
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `pr${randomBytes(3).toString('hex')}:`,
      ADMIN_HOST,
      INTERNAL_PORT: '0',
      // Only the change notices can explain a new version being served.
      TENANT_TTL_SECONDS: '600',
      VERSION_CHECK_MS: '200',
      PRERENDER_CONCURRENCY: '2',
      // Undelivered notices of other tests' sites (a shared database) would add renders of their pages here.
      OUTBOX_POLL_MS: '0',
    };
    // Started together: two cold starts one after the other can outlast the hook's time on a loaded machine.
    servers.push(...(await Promise.all([startServer(env), startServer(env)])));
    api = ApiClient.withKey(servers[0]!.port, (await createTestApiKey(dbs.admin, { tenantId: tenant.id, role: 'owner' })).key);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await dbs.close();
  });

  const pageId = async (path: string) => {
    const list = await api.call('GET', `/tenants/${tenant.slug}/pages`);
    expect(list.status).toBe(200);
    return (list.json.items as { id: string; path: string }[]).find((p) => p.path === path)!.id;
  };

  test('a publish leaves the page cached before any request: the first request on either instance is a hit, and renders nothing', async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const id = await pageId('/about');
    const current = await api.call('GET', `/tenants/${tenant.slug}/pages/${id}`);
    const saved = await api.call('PUT', `/tenants/${tenant.slug}/pages/${id}/draft`, {
      headers: { 'if-match': current.headers.etag as string },
      body: { draft: { title: 'About two', sections: [{ type: 'hero', props: { title: 'About two' } }] } },
    });
    expect(saved.status).toBe(200);
    // The other instance holds the old version of the site (its tenant record and pages).
    expect((await request(b.port, '/about', { host: host() })).body).toContain('<title>About one</title>');
    const rendersBefore = [await renders(a), await renders(b)];
    const published = await api.call('POST', `/tenants/${tenant.slug}/pages/${id}/publish`);
    expect(published.status).toBe(200);

    // The first request on the other instance that sees the new version is already a hit.
    const first = await eventually(() => request(b.port, '/about', { host: host() }), (res) => res.body.includes('About two'), 5000, 5);
    expect(first.body).toContain('<title>About two</title>');
    expect(first.headers['x-mosaic-cache']).toBe('hit');
    // No request has been made on the publisher: both pages are already stored (memory and Redis).
    for (const server of [a, b]) {
      for (const [path, title] of [['/about', 'About two'], ['/', 'Home one']] as const) {
        const res = await request(server.port, path, { host: host() });
        expect(res.status).toBe(200);
        expect(res.headers['x-mosaic-cache']).toBe('hit');
        expect(res.body).toContain(`<title>${title}</title>`);
      }
    }
    // The instance that did not publish rendered nothing: its pages came from Redis.
    expect(await renders(b)).toBe(rendersBefore[1]);
    // The publisher rendered each page once.
    expect(await renders(a)).toBe(rendersBefore[0]! + 2);
  }, 60_000);

  test('the other instance fetches the new version of the pages it held into memory on hearing of the change: its first request is a memory hit', async () => {
    const [, b] = servers as [RunningServer, RunningServer];
    const id = await pageId('/about');
    // The other instance serves both pages now, so it holds them.
    for (const path of ['/', '/about']) expect((await request(b.port, path, { host: host() })).status).toBe(200);
    const current = await api.call('GET', `/tenants/${tenant.slug}/pages/${id}`);
    const saved = await api.call('PUT', `/tenants/${tenant.slug}/pages/${id}/draft`, {
      headers: { 'if-match': current.headers.etag as string },
      body: { draft: { title: 'About warm', sections: [{ type: 'hero', props: { title: 'About warm' } }] } },
    });
    expect(saved.status).toBe(200);
    const warmed = () => readCounter(b, 'mosaic_page_warms_total', 'result="stored"');
    const warmedBefore = await warmed();
    expect((await api.call('POST', `/tenants/${tenant.slug}/pages/${id}/publish`)).status).toBe(200);

    // No request reaches the other instance until both pages are in its memory at the new version.
    expect(await eventually(warmed, (n) => n >= warmedBefore + 2, 10_000)).toBe(warmedBefore + 2);
    const layers = async () => [await readCounter(b, 'mosaic_page_cache_total', 'layer="memory"'), await readCounter(b, 'mosaic_page_cache_total', 'layer="redis"')];
    const [memoryBefore, redisBefore] = await layers();
    const rendersBefore = await renders(b);
    const first = await request(b.port, '/about', { host: host() });
    expect(first.body).toContain('<title>About warm</title>');
    expect(first.headers['x-mosaic-cache']).toBe('hit');
    expect(await layers()).toEqual([memoryBefore! + 1, redisBefore]);
    expect(await renders(b)).toBe(rendersBefore);
  }, 60_000);

  test('a theme change pre-renders every page of the tenant in the background, once for the cluster', async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const oldCss = /<style id="mosaic-theme">([^<]*)<\/style>/.exec((await request(a.port, '/', { host: host() })).body)?.[1];
    expect(oldCss).toBeTruthy();
    const storedBefore = await prerendered();
    const rendersBefore = (await renders(a)) + (await renders(b));
    const theme = await api.call('GET', `/tenants/${tenant.slug}/theme`);
    const saved = await api.call('PUT', `/tenants/${tenant.slug}/theme`, {
      headers: { 'if-match': theme.headers.etag as string },
      body: { preset: 'forest', overrides: {} },
    });
    expect(saved.status).toBe(200);

    expect(await eventually(prerendered, (n) => n >= storedBefore + 2, 15_000)).toBe(storedBefore + 2);
    // Two pages, rendered once each in the whole cluster.
    expect((await renders(a)) + (await renders(b))).toBe(rendersBefore + 2);
    for (const server of [a, b]) {
      for (const path of ['/', '/about']) {
        const res = await request(server.port, path, { host: host() });
        expect(res.headers['x-mosaic-cache']).toBe('hit');
        const css = /<style id="mosaic-theme">([^<]*)<\/style>/.exec(res.body)?.[1];
        expect(css).toBeTruthy();
        expect(css).not.toBe(oldCss);
      }
    }
    expect((await renders(a)) + (await renders(b))).toBe(rendersBefore + 2);
  }, 60_000);
});
