import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestUser } from '../support/accounts.ts';
import { ADMIN_HOST, ApiClient, startApiServer } from '../support/api-client.ts';
import { openTestDatabases } from '../support/databases.ts';
import { request, type RunningServer } from '../support/server-process.ts';

const PASSWORD = 'a long enough passphrase 7';

describe('the admin API framework', () => {
  const dbs = openTestDatabases();
  let server: RunningServer;
  let email: string;

  beforeAll(async () => {
    [server, { email }] = await Promise.all([startApiServer(), createTestUser(dbs.admin, { password: PASSWORD })]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('signing in sets an HttpOnly session cookie and gives a CSRF token; /me then names the person', async () => {
    const client = new ApiClient(server.port);
    const signIn = await client.signIn(email, PASSWORD);
    expect(signIn.status).toBe(200);
    expect(signIn.headers['set-cookie']?.[0]).toMatch(/^mosaic_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    expect(signIn.json.csrfToken).toEqual(expect.any(String));
    expect(signIn.headers['cache-control']).toBe('no-store');
    const me = await client.call('GET', '/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ kind: 'user', email, platformAdmin: false, memberships: [] });
    expect(me.json.csrfToken).toBe(signIn.json.csrfToken);
  });

  test('without credentials a signed-in route is 401 problem+json, and nothing leaks', async () => {
    const response = await new ApiClient(server.port).call('GET', '/me');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json).toMatchObject({ type: 'urn:mosaic:problem:Unauthorized', code: 'Unauthorized', status: 401, title: 'Sign-in required' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  test('invalid input is 422 listing every failing path', async () => {
    const response = await new ApiClient(server.port).call('POST', '/session', { body: { email: 'not-an-email', extra: 1 } });
    expect(response.status).toBe(422);
    expect(response.json.code).toBe('InvalidInput');
    expect(response.json.errors).toEqual(
      expect.arrayContaining([
        { path: 'email', message: 'must be an email address' },
        { path: 'password', message: 'required' },
      ]),
    );
    expect(response.json.errors).toHaveLength(3);
  });

  test('malformed JSON is 400 and another media type is 415, both as problems', async () => {
    const client = new ApiClient(server.port);
    const malformed = await client.call('POST', '/session', { rawBody: '{"email":' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.code).toBe('BadRequest');
    const form = await client.call('POST', '/session', { rawBody: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.json.code).toBe('UnsupportedMediaType');
  });

  test('an unknown API path is a 404 problem, a method a path does not take is 405 with Allow, a body over the limit is 413', async () => {
    const missing = await new ApiClient(server.port).call('GET', '/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('NotFound');
    const wrongMethod = await new ApiClient(server.port).call('PUT', '/tenants/some-site/members');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json.code).toBe('MethodNotAllowed');
    expect(wrongMethod.headers.allow).toBe('GET, POST, HEAD');
    const big = await request(server.port, '/api/v1/session', {
      host: ADMIN_HOST,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).code).toBe('PayloadTooLarge');
  });

  test('the API answers only on the admin host', async () => {
    const response = await request(server.port, '/api/v1/me', { host: 'some-tenant.localhost' });
    expect(response.status).not.toBe(401);
    expect(response.headers['content-type']).not.toBe('application/problem+json');
  });

  test('a signed-in write from another origin, or without the CSRF token, is refused and changes nothing', async () => {
    const client = new ApiClient(server.port);
    await client.signIn(email, PASSWORD);
    const crossOrigin = await client.call('DELETE', '/session', { headers: { origin: 'https://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    expect(crossOrigin.json.code).toBe('CrossSiteRequest');
    const token = client.csrfToken;
    client.csrfToken = null;
    expect((await client.call('DELETE', '/session')).status).toBe(403);
    expect((await client.call('GET', '/me')).status).toBe(200);
    client.csrfToken = token;
    expect((await client.call('DELETE', '/session')).status).toBe(204);
    expect((await client.call('GET', '/me')).status).toBe(401);
  });

  test('the OpenAPI document and its reference page are served', async () => {
    const client = new ApiClient(server.port);
    const document = await client.call('GET', '/openapi.json');
    expect(document.status).toBe(200);
    expect(document.json.openapi).toBe('3.1.0');
    expect(Object.keys(document.json.paths)).toEqual(expect.arrayContaining(['/api/v1/session', '/api/v1/me']));
    const page = await client.call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(page.body).toContain('<code>/api/v1/me</code>');
  });
});
