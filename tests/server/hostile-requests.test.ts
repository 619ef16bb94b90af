import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

const SITE = 'darkflows.localhost';
const get = (target: string, hostLines: string[], method = 'GET', extra: string[] = []) =>
  [`${method} ${target} HTTP/1.1`, ...hostLines.map((h) => `Host: ${h}`), ...extra, 'Connection: close', '', ''].join('\r\n');

/** A refusal: the plain status page with the usual security headers, never a stack trace. */
function expectPlainRefusal(res: RawResponse, status: number, title: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']?.[0]).toBe('text/html; charset=utf-8');
  expect(res.headers['x-content-type-options']).toEqual(['nosniff']);
  expect(res.headers['content-security-policy']?.[0]).toMatch(/^default-src 'none'/);
  expect(res.headers['cache-control']).toEqual(['no-store']);
  expect(res.body).toContain(`<h1>${title}</h1>`);
  expect(res.body).not.toMatch(/DarkFlows|at .*\.(ts|js|mjs):\d+/);
}

describe('the front refuses malformed requests itself, before Astro', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(
      { DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `h${randomBytes(3).toString('hex')}:`, LOG_LEVEL: 'info' },
      { captureOutput: true },
    );
  });
  afterAll(() => server?.stop());

  test('more than one Host header → 400', async () => {
    expectPlainRefusal(await rawRequest(server.port, get('/', [SITE, 'codersinflow.localhost'])), 400, 'Bad request');
    expectPlainRefusal(await rawRequest(server.port, get('/', [SITE, SITE])), 400, 'Bad request');
  });

  test('no Host header → 400', async () => {
    expectPlainRefusal(await rawRequest(server.port, 'GET / HTTP/1.0\r\n\r\n'), 400, 'Bad request');
    expectPlainRefusal(await rawRequest(server.port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n'), 400, 'Bad request');
  });

  test('an absolute-form target that disagrees with Host → 400; one that agrees is served', async () => {
    expectPlainRefusal(await rawRequest(server.port, get('http://codersinflow.localhost/', [SITE])), 400, 'Bad request');
    const agreeing = await rawRequest(server.port, get(`http://${SITE}/?from=proxy`, [SITE]));
    expect(agreeing.status).toBe(200);
    expect(agreeing.body).toContain('DarkFlows');
  });

  test.each([['user@darkflows.localhost'], ['darkflows.localhost:notaport'], ['darkflows..localhost'], ['darkflows.localhost\\x']])('host %s that does not normalize → 400', async (host) => {
    expectPlainRefusal(await rawRequest(server.port, get('/', [host])), 400, 'Bad request');
  });

  test.each([['BREW'], ['PROPFIND'], ['MKCOL']])('unknown method %s → 501', async (method) => {
    expectPlainRefusal(await rawRequest(server.port, get('/', [SITE], method)), 501, 'Not implemented');
  });

  test.each([['POST', '/'], ['PUT', '/about'], ['DELETE', '/'], ['OPTIONS', '/'], ['PATCH', '/blog']])('%s %s on a page → 405 with Allow, never cached', async (method, path) => {
    const res = await rawRequest(server.port, get(path, [SITE], method, ['Content-Length: 0']));
    expectPlainRefusal(res, 405, 'Method not allowed');
    expect(res.headers.allow).toEqual(['GET, HEAD']);
    expect(res.headers['x-mosaic-cache']).toBeUndefined();
    expect((await request(server.port, path, { host: SITE })).status).not.toBe(405);
  });

  test('GET on the form endpoint → 405 with Allow: POST', async () => {
    const res = await rawRequest(server.port, get('/_mosaic/forms/contact', [SITE]));
    expectPlainRefusal(res, 405, 'Method not allowed');
    expect(res.headers.allow).toEqual(['POST']);
  });

  test('a refused request with a body is answered without reading it, and the connection closes', async () => {
    const res = await rawRequest(server.port, `POST / HTTP/1.1\r\nHost: ${SITE}\r\nContent-Length: 1000000\r\n\r\npartial`);
    expect(res.status).toBe(405);
    expect(res.headers.connection).toEqual(['close']);
    expect(res.closed).toBe(true);
  });

  test('CONNECT → 405', async () => {
    const res = await rawRequest(server.port, `CONNECT ${SITE}:443 HTTP/1.1\r\nHost: ${SITE}:443\r\n\r\n`);
    expect(res.status).toBe(405);
    expect(res.headers['content-security-policy']?.[0]).toMatch(/^default-src 'none'/);
  });

  test('requests Node itself cannot parse get the plain page and one log line each', async () => {
    const before = server.output.length;
    const garbage = await rawRequest(server.port, 'GET / HTTP/1.1\r\nHost: darkflows.localhost\r\nBad Header Line\r\n\r\n');
    expectPlainRefusal(garbage, 400, 'Bad request');
    const huge = await rawRequest(server.port, `GET / HTTP/1.1\r\nHost: ${SITE}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectPlainRefusal(huge, 431, 'Headers too large');
    await new Promise((r) => setTimeout(r, 100));
    const lines = server.output.slice(before).filter((line) => line.includes('malformed request refused') && line.includes('"code":"HPE_'));
    expect(lines).toHaveLength(2);
  });

  test('IP-literal hosts answer only health checks', async () => {
    for (const host of [`127.0.0.1:${server.port}`, '[::1]', '10.0.0.8:80']) {
      expect((await request(server.port, '/healthz', { host })).body).toBe('ok');
      expect((await request(server.port, '/readyz', { host })).status).toBe(200);
      const page = await request(server.port, '/', { host });
      expect(page.status).toBe(404);
      expect(page.body).toContain('Page not found');
      expect((await request(server.port, '/metrics', { host })).status).toBe(404);
      expect((await request(server.port, '/brand/darkflows/logo.svg', { host })).status).toBe(404);
    }
  });

  test('the admin host never serves a tenant page or file; a tenant host never answers health', async () => {
    const admin = await request(server.port, '/', { host: 'admin.localhost' });
    expect(admin.status).toBe(200);
    expect(admin.body).toContain('<astro-island');
    expect(admin.body).not.toContain('DarkFlows');
    expect((await request(server.port, '/about', { host: 'admin.localhost' })).status).toBe(404);
    expect((await request(server.port, '/brand/darkflows/logo.svg', { host: 'admin.localhost' })).status).toBe(404);
    expect((await request(server.port, '/healthz', { host: 'admin.localhost' })).body).toBe('ok');
    const tenantHealth = await request(server.port, '/healthz', { host: SITE });
    expect(tenantHealth.status).toBe(404);
    expect(tenantHealth.body).toContain('DarkFlows');
  });

  test('everything the process wrote is one JSON line per event: no stack dumps', async () => {
    await new Promise((r) => setTimeout(r, 100));
    expect(server.output.length).toBeGreaterThan(0);
    for (const line of server.output.filter((l) => l.length > 0)) expect(() => JSON.parse(line)).not.toThrow();
  });
});
