import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';
import { openTestDatabases } from '../support/databases.ts';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

const DEMO_NAMES = ['Coders in Flow', 'DarkFlows'];

describe('one process serves many sites, chosen by host', () => {
  let server: RunningServer;
  const dbs = openTestDatabases(2);

  beforeAll(async () => {
    server = await startServer({
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `t${randomBytes(3).toString('hex')}:`,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  const get = (host: string, path = '/', headers: Record<string, string> = {}) => request(server.port, path, { host, headers });

  test('each demo host gets its own site, theme and title', async () => {
    const pages = await Promise.all(['codersinflow.localhost', 'darkflows.localhost', 'clientsite.localhost'].map((h) => get(h)));
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    }
    const titles = pages.map((p) => /<title>([^<]*)<\/title>/.exec(p.body)?.[1]);
    expect(new Set(titles).size).toBe(3);
    const themes = pages.map((p) => /<style id="mosaic-theme">([^<]*)<\/style>/.exec(p.body)?.[1]);
    expect(new Set(themes).size).toBe(3);
    expect(pages[0]?.body).toContain('Coders in Flow');
    expect(pages[1]?.body).toContain('DarkFlows');
    expect(pages[0]?.body).not.toContain('DarkFlows');
    expect(pages[1]?.body).toContain('<link rel="icon" href="/brand/darkflows/favicon.svg"');
    expect(pages[1]?.body).toContain('src="/brand/darkflows/logo.svg"');
    const logo = await request(server.port, '/brand/darkflows/logo.svg', { host: 'darkflows.localhost' });
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toContain('image/svg+xml');
  });

  test('theme CSS is inlined in the head, before the body, and names the html class', async () => {
    const page = await get('codersinflow.localhost');
    const head = page.body.slice(0, page.body.indexOf('<body'));
    expect(head).toMatch(/<style id="mosaic-theme">[^<]*--color-primary:/);
    const htmlClass = /<html[^>]*class="([^"]+)"/.exec(page.body)?.[1];
    expect(htmlClass).toBeTruthy();
    expect(head).toContain(`.${htmlClass}`);
  });

  test('custom primary domain serves the site; canonical uses it, not the request host', async () => {
    const page = await get('CodersInFlow.com.:4321', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<link rel="canonical" href="https://codersinflow.com/"');
    const viaPlatform = await get('codersinflow.localhost', '/', { 'x-forwarded-host': 'evil.example' });
    expect(viaPlatform.body).toContain('href="https://codersinflow.com/"');
    expect(viaPlatform.body).not.toContain('evil.example');
  });

  test('a non-primary domain answers 301 to the primary, keeping path and query', async () => {
    const page = await get('www.codersinflow.com', '/services?ref=ad');
    expect(page.status).toBe(301);
    expect(page.headers.location).toBe('https://codersinflow.com/services?ref=ad');
  });

  test('an unknown host gets a plain 404 that names no tenant', async () => {
    const page = await get('nobody-here.example');
    expect(page.status).toBe(404);
    expect(page.body).toContain('Site not found');
    for (const name of DEMO_NAMES) expect(page.body).not.toContain(name);
    expect(page.body).not.toMatch(/mosaic-theme|codersinflow|darkflows/);
  });

  test('a suspended tenant answers 503', async () => {
    const page = await get('oldshop.localhost');
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBeDefined();
    expect(page.body).toContain('temporarily unavailable');
  });

  test.each([['a..b'], ['bad_host.example'], ['x'.repeat(300)], ['evil.com/path']])('malformed host %s gets 400', async (host) => {
    const page = await get(host);
    expect(page.status).toBe(400);
    expect(page.body).not.toMatch(/at .*\.ts:\d+/);
  });

  test('forwarded headers are ignored unless the server is told it sits behind a proxy', async () => {
    const page = await get('nobody-here.example', '/', { 'x-forwarded-host': 'codersinflow.localhost' });
    expect(page.status).toBe(404);
    const plain = await get('darkflows.localhost', '/', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'codersinflow.localhost' });
    expect(plain.body).toContain('DarkFlows');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    // A page varies only by the encoding the client accepts, never by forwarded headers here.
    expect(plain.headers.vary).toBe('Accept-Encoding');
  });

  test('the tenant override is refused outside development', async () => {
    const page = await request(server.port, '/?tenant=codersinflow', { host: 'nobody-here.example', headers: { 'x-mosaic-tenant': 'codersinflow' } });
    expect(page.status).toBe(404);
  });

  test('an unknown path renders the tenant’s own 404 page with status 404', async () => {
    const page = await get('darkflows.localhost', '/no/such/page');
    expect(page.status).toBe(404);
    expect(page.body).toContain('DarkFlows');
    expect(page.body).toContain('name="robots" content="noindex"');
  });

  test('pages ship no client JavaScript unless a section is interactive', async () => {
    const page = await get('codersinflow.localhost', '/about');
    expect(page.status).toBe(200);
    expect(page.body).not.toMatch(/<script|astro-island/);
  });

  test('the contact form stores a submission for the host’s tenant only and is never cached', async () => {
    const marker = `hello-${randomBytes(4).toString('hex')}`;
    const body = new URLSearchParams({ name: 'Ada', email: 'ada@example.com', message: marker, page: '/contact', tenant_id: 'ignored' }).toString();
    const res = await request(server.port, '/_mosaic/forms/contact', {
      host: 'clientsite.localhost',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/contact?contact=sent#contact');
    expect(res.headers['cache-control']).toBe('no-store');
    const clientId = await findTenantId(dbs.admin, 'clientsite');
    const rows = await dbs.admin.selectFrom('form_submissions').select(['tenant_id', 'data']).execute();
    const mine = rows.filter((r) => JSON.stringify(r.data).includes(marker));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.tenant_id).toBe(clientId);
  });

  test('an invalid contact form changes nothing and says so', async () => {
    const clientId = (await findTenantId(dbs.admin, 'clientsite')) as string;
    const count = () => withTenant(dbs.admin, clientId, (trx) => trx.selectFrom('form_submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow());
    const before = await count();
    const body = new URLSearchParams({ name: '', email: 'not-an-email', message: '', page: '/contact' }).toString();
    const res = await request(server.port, '/_mosaic/forms/contact', {
      host: 'clientsite.localhost',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(res.status).toBe(303);
    // The first field to fix, in form order, is named for the form to mark.
    expect(res.headers.location).toBe('/contact?contact=invalid-name#contact');
    expect(await count()).toEqual(before);
  });

  const postContact = (host: string, headers: Record<string, string> = {}) =>
    request(server.port, '/_mosaic/forms/contact', {
      host,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ name: 'Eve', email: 'eve@example.com', message: 'hello', page: '/contact' }).toString(),
    });

  test('a cross-site form post is refused and stores nothing', async () => {
    const darkId = (await findTenantId(dbs.admin, 'darkflows')) as string;
    const count = () => withTenant(dbs.admin, darkId, (trx) => trx.selectFrom('form_submissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow());
    const before = await count();
    const refused = await postContact('darkflows.localhost', { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(await count()).toEqual(before);
    const sameSite = await postContact('darkflows.localhost', { origin: 'http://darkflows.localhost:4321' });
    expect(sameSite.status).toBe(303);
  });

  test('one client cannot flood a tenant’s inbox', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await postContact('codersinflow.localhost')).status);
    expect(statuses.slice(0, 5)).toEqual([303, 303, 303, 303, 303]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  test('health and readiness', async () => {
    expect((await request(server.port, '/healthz')).status).toBe(200);
    const ready = await request(server.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toBe('ready');
  });
});
