import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

const post = (server: RunningServer, client: string, forwardedHost = 'clientsite.localhost') =>
  request(server.port, '/_mosaic/forms/contact', {
    host: 'internal:8080',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client, 'x-forwarded-host': forwardedHost },
    body: new URLSearchParams({ name: 'Eve', email: 'eve@example.com', message: 'hello', page: '/contact' }).toString(),
  });

describe('behind trusted proxies', () => {
  const servers: RunningServer[] = [];
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    // Two instances behind a proxy on the loopback, sharing Redis.
    const env = { DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `p${randomBytes(3).toString('hex')}:`, TRUST_PROXY: 'loopback' };
    servers.push(...(await Promise.all([startServer(env), startServer(env)])));
    [a, b] = servers as [RunningServer, RunningServer];
  });
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  test('the site is the one the trusted proxy names, not a value the client put ahead of it', async () => {
    const res = await request(a.port, '/', { host: 'internal:8080', headers: { 'x-forwarded-host': 'codersinflow.localhost, darkflows.localhost' } });
    expect(res.status).toBe(200);
    expect(res.body).toContain('DarkFlows');
    expect(res.body).not.toContain('Coders in Flow');
    expect(res.headers.vary).toBe('X-Forwarded-Host, X-Forwarded-Proto, Accept-Encoding');
    const bad = await request(a.port, '/', { host: 'internal:8080', headers: { 'x-forwarded-host': 'darkflows.localhost, user@evil.example' } });
    expect(bad.status).toBe(400);
  });

  test('HSTS only when the trusted proxy says the client used HTTPS; Vary on every site response', async () => {
    const via = (path: string, proto: string) => request(a.port, path, { host: 'internal:8080', headers: { 'x-forwarded-host': 'darkflows.localhost', 'x-forwarded-proto': proto } });
    for (const path of ['/', '/', '/nope', '/brand/darkflows/logo.svg']) {
      const res = await via(path, 'https');
      expect(res.headers['strict-transport-security'], path).toBe('max-age=31536000');
      // Pages are also sent in the encoding the client accepts.
      const page = path.startsWith('/brand/') ? '' : ', Accept-Encoding';
      expect(res.headers.vary, path).toBe(`X-Forwarded-Host, X-Forwarded-Proto${page}`);
    }
    const plain = await via('/', 'http');
    expect(plain.body).toContain('DarkFlows');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(plain.headers.vary).toBe('X-Forwarded-Host, X-Forwarded-Proto, Accept-Encoding');
  });

  test('the form limit counts one client across both instances (Redis), and tells clients apart by their forwarded address', async () => {
    const client = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
    const statuses: number[] = [];
    for (const server of [a, b, a, b, a]) statuses.push((await post(server, client)).status);
    expect(statuses).toEqual([303, 303, 303, 303, 303]);
    const sixth = await post(b, client);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post(a, client)).status).toBe(429);
    // Another client behind the same proxy has an allowance of its own.
    expect((await post(a, '203.0.113.77')).status).toBe(303);
    // A client cannot claim another address by adding one ahead of the proxy's.
    expect((await post(b, `203.0.113.78, ${client}`)).status).toBe(429);
  });
});
