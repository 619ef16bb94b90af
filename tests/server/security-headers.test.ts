import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { request, startServer, type RunningServer, type SimpleResponse } from '../support/server-process.ts';

const SCRIPT_JS = readdirSync(fileURLToPath(new URL('../../dist/client/_astro/', import.meta.url))).find((f) => f.endsWith('.js'));

/** The headers every response must carry, whatever produced it. */
function expectSecurityHeaders(name: string, headers: IncomingHttpHeaders): void {
  expect(headers['x-content-type-options'], name).toBe('nosniff');
  expect(headers['referrer-policy'], name).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy'], name).toMatch(/camera=\(\)/);
  expect(headers['content-security-policy'], name).toMatch(/frame-ancestors '(none|self)'/);
  expect(headers['content-security-policy'], name).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers['x-frame-options'], name).toMatch(/^(DENY|SAMEORIGIN)$/);
}

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const inline = (html: string, tag: 'script' | 'style') => [...html.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);

describe('security headers on every response', () => {
  const dbs = openTestDatabases(2);
  let server: RunningServer;
  let broken: { id: string; slug: string };

  beforeAll(async () => {
    const env = { DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `s${randomBytes(3).toString('hex')}:`, INTERNAL_PORT: '0' };
    server = await startServer(env);
    // A page whose stored composition no longer renders: its request fails inside Astro.
    broken = await createTestTenant(dbs.admin);
    const unknownSection = { path: '/', title: 'Broken', sections: [{ type: 'no-such-section', props: {} }] };
    const page = await dbs.admin.insertInto('pages').values({ tenant_id: broken.id, path: '/' }).returning('id').executeTakeFirstOrThrow();
    const version = await dbs.admin
      .insertInto('page_versions')
      .values({ tenant_id: broken.id, page_id: page.id, version: 1, composition: JSON.stringify(unknownSection), created_by: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await dbs.admin.updateTable('pages').set({ published_version_id: version.id }).where('id', '=', page.id).execute();
  });
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('pages, hits, 304s, status pages, errors, redirects, refusals, files and health checks', async () => {
    const site = (path: string, host = 'codersinflow.localhost', method = 'GET', headers: Record<string, string> = {}) => request(server.port, path, { host, method, headers });
    const miss = await site('/services');
    const hit = await site('/services');
    expect(hit.headers['x-mosaic-cache']).toBe('hit');
    const responses: [string, SimpleResponse][] = [
      ['page, rendered', miss],
      ['page, from the cache', hit],
      ['page, 304', await site('/services', undefined, 'GET', { 'if-none-match': hit.headers.etag as string })],
      ['page, HEAD', await site('/', undefined, 'HEAD')],
      ['tenant 404 page', await site('/no/such/page')],
      ['form answer (uncached)', await site('/contact?contact=sent', 'clientsite.localhost')],
      ['unknown host', await site('/', 'nobody.example')],
      ['suspended site', await site('/', 'oldshop.localhost')],
      ['bad host', await site('/', 'bad_host.example')],
      ['redirect to the primary domain', await site('/', 'www.codersinflow.com')],
      ['method not allowed', await site('/', undefined, 'DELETE')],
      ['reserved path', await site('/_mosaic/nothing')],
      ['render error', await site('/', `${broken.slug}.localhost`)],
      ['build asset', await site(`/_astro/${SCRIPT_JS}`)],
      ['brand file (SVG)', await site('/brand/codersinflow/logo.svg')],
      ['missing file', await site('/brand/codersinflow/nope.svg')],
      ['contact form redirect', await site('/_mosaic/forms/contact', 'clientsite.localhost', 'POST', { 'content-type': 'application/x-www-form-urlencoded' })],
      ['health on the main port', await request(server.port, '/healthz')],
      ['readiness on the main port', await request(server.port, '/readyz')],
      ['admin host', await site('/', 'admin.localhost')],
      ['metrics on the internal listener', await request(server.metricsPort!, '/metrics')],
      ['health on the internal listener', await request(server.metricsPort!, '/healthz')],
    ];
    expect(responses.find(([name]) => name === 'render error')?.[1].status).toBeGreaterThanOrEqual(500);
    expect(responses.find(([name]) => name === 'page, 304')?.[1].status).toBe(304);
    for (const [name, res] of responses) expectSecurityHeaders(name, res.headers);
  });

  test('a page’s policy allows exactly its own inline scripts and styles, by hash', async () => {
    const page = await request(server.port, '/', { host: 'codersinflow.localhost' });
    const policy = page.headers['content-security-policy'] as string;
    const scripts = inline(page.body, 'script');
    expect(scripts.length).toBeGreaterThan(0);
    const scriptSrc = /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
    const styleSrc = /style-src ([^;]*)/.exec(policy)?.[1] ?? '';
    for (const script of scripts) expect(scriptSrc).toContain(hashOf(script));
    for (const style of inline(page.body, 'style')) expect(styleSrc).toContain(hashOf(style));
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toMatch(/default-src 'self'/);
    expect(policy).toMatch(/object-src 'none'/);
    expect(policy).toMatch(/base-uri 'self'/);
    // A hit carries the policy stored with the page.
    expect((await request(server.port, '/', { host: 'codersinflow.localhost' })).headers['content-security-policy']).toBe(policy);
  });

  test('SVG files are served under a policy that runs no script', async () => {
    const svg = await request(server.port, '/brand/darkflows/logo.svg', { host: 'darkflows.localhost' });
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox");
  });

  test('a tenant’s files are served only on its own hosts', async () => {
    const logo = '/brand/darkflows/logo.svg';
    expect((await request(server.port, logo, { host: 'darkflows.localhost' })).status).toBe(200);
    expect((await request(server.port, logo, { host: 'darkflows.com' })).status).toBe(200);
    expect((await request(server.port, logo, { host: 'www.darkflows.com' })).status).toBe(301);
    for (const host of ['codersinflow.localhost', 'codersinflow.com', 'nobody.example', 'admin.localhost', '127.0.0.1']) {
      expect((await request(server.port, logo, { host })).status, host).toBe(404);
    }
    expect((await request(server.port, logo, { host: 'oldshop.localhost' })).status).toBe(503);
    for (const path of ['/brand/darkflows/..%2fcodersinflow/logo.svg', '/brand/darkflows/%2e%2e/codersinflow/logo.svg', '/brand/darkflows/../codersinflow/logo.svg', '/brand/darkflows%2flogo.svg', '/brand/darkflows/']) {
      expect((await request(server.port, path, { host: 'darkflows.localhost' })).status, path).toBe(404);
    }
  });
});
