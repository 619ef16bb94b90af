import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashToken, newToken } from '../../src/auth/tokens.ts';
import { createTestUser, uniqueEmail } from '../support/accounts.ts';
import { ApiClient, startApiServer } from '../support/api-client.ts';
import { createTestApiKey, createTestInvitation, createTestMember, createTestPasswordReset } from '../support/api-fixtures.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import type { RunningServer } from '../support/server-process.ts';

const PASSWORD = 'a long enough passphrase 7';

// Each test signs in several times (scrypt, ~100 ms each when the machine is idle).
describe('accounts over HTTP', { timeout: 60_000 }, () => {
  const dbs = openTestDatabases();
  let server: RunningServer;
  let site: { id: string; slug: string };
  let other: { id: string; slug: string };

  beforeAll(async () => {
    [server, site, other] = await Promise.all([startApiServer(), createTestTenant(dbs.admin), createTestTenant(dbs.admin)]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  const newClient = () => new ApiClient(server.port);
  async function signedIn(email: string, password = PASSWORD): Promise<ApiClient> {
    const client = newClient();
    expect((await client.signIn(email, password)).status).toBe(200);
    return client;
  }
  const sessionIdOf = (client: ApiClient) => hashToken(client.cookie!);

  describe('sessions', () => {
    test('a session that has expired, or was revoked in the database, no longer works', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const expired = await signedIn(email);
      const revoked = await signedIn(email);
      await dbs.admin.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', sessionIdOf(expired)).execute();
      await dbs.admin.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', sessionIdOf(revoked)).execute();
      expect((await expired.call('GET', '/me')).status).toBe(401);
      expect((await revoked.call('GET', '/me')).status).toBe(401);
    });

    test('an idle session ends', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const client = await signedIn(email);
      await dbs.admin.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 25 * 3_600_000) }).where('id', '=', sessionIdOf(client)).execute();
      expect((await client.call('GET', '/me')).status).toBe(401);
    });

    test('signing in again with a session cookie ends that session: the new token is another one', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const client = await signedIn(email);
      const first = client.cookie!;
      expect((await client.signIn(email, PASSWORD)).status).toBe(200);
      expect(client.cookie).not.toBe(first);
      const stale = newClient();
      stale.cookie = first;
      expect((await stale.call('GET', '/me')).status).toBe(401);
      expect((await client.call('GET', '/me')).status).toBe(200);
    });

    test('lists my sessions, marks this one, and ends another one or all of them', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const laptop = await signedIn(email);
      const phone = await signedIn(email);
      const list = await laptop.call('GET', '/me/sessions');
      expect(list.status).toBe(200);
      expect(list.json.items).toHaveLength(2);
      expect(list.json.items.filter((s: { current: boolean }) => s.current).map((s: { id: string }) => s.id)).toEqual([sessionIdOf(laptop)]);
      expect((await laptop.call('DELETE', `/me/sessions/${sessionIdOf(phone)}`)).status).toBe(204);
      expect((await phone.call('GET', '/me')).status).toBe(401);
      const third = await signedIn(email);
      const everywhere = await laptop.call('DELETE', '/me/sessions');
      expect(everywhere.json).toEqual({ revoked: 2 });
      expect((await laptop.call('GET', '/me')).status).toBe(401);
      expect((await third.call('GET', '/me')).status).toBe(401);
    });

    test('another person’s session id cannot be ended', async () => {
      const [a, b] = await Promise.all([createTestUser(dbs.admin, { password: PASSWORD }), createTestUser(dbs.admin, { password: PASSWORD })]);
      const mine = await signedIn(a.email);
      const theirs = await signedIn(b.email);
      expect((await mine.call('DELETE', `/me/sessions/${sessionIdOf(theirs)}`)).status).toBe(204);
      expect((await theirs.call('GET', '/me')).status).toBe(200);
    });

    test('changing my password needs the current one and ends my other sessions only', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const here = await signedIn(email);
      const elsewhere = await signedIn(email);
      const wrong = await here.call('POST', '/me/password', { body: { currentPassword: 'not my password at all', newPassword: 'another long passphrase 9' } });
      expect(wrong.status).toBe(422);
      expect(wrong.json.errors).toEqual([{ path: 'currentPassword', message: 'is not your current password' }]);
      const changed = await here.call('POST', '/me/password', { body: { currentPassword: PASSWORD, newPassword: 'another long passphrase 9' } });
      expect(changed.status).toBe(200);
      expect(changed.json).toEqual({ sessionsRevoked: 1 });
      expect((await here.call('GET', '/me')).status).toBe(200);
      expect((await elsewhere.call('GET', '/me')).status).toBe(401);
      expect((await newClient().signIn(email, 'another long passphrase 9')).status).toBe(200);
    });
  });

  describe('CSRF', () => {
    test('an anonymous sign-in from another site is refused before any password is checked', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const client = newClient();
      const fromElsewhere = await client.call('POST', '/session', { body: { email, password: PASSWORD }, headers: { origin: 'https://evil.example' } });
      expect(fromElsewhere.status).toBe(403);
      expect(fromElsewhere.json.code).toBe('CrossSiteRequest');
      expect(fromElsewhere.headers['set-cookie']).toBeUndefined();
      const crossSite = await client.call('POST', '/session', { body: { email, password: PASSWORD }, headers: { origin: '', 'sec-fetch-site': 'cross-site' } });
      expect(crossSite.status).toBe(403);
    });

    test('a session’s CSRF token does not work for another session', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const a = await signedIn(email);
      const b = await signedIn(email);
      a.csrfToken = b.csrfToken;
      expect((await a.call('DELETE', '/me/sessions')).status).toBe(403);
      expect((await a.call('GET', '/me')).status).toBe(200);
    });

    test('calls with an API key need no CSRF token and may come from anywhere', async () => {
      const key = await createTestApiKey(dbs.admin, { tenantId: site.id, role: 'admin' });
      const client = ApiClient.withKey(server.port, key.key);
      const response = await client.call('PATCH', `/tenants/${site.slug}`, { body: { settings: { tagline: 'by key' } }, headers: { origin: 'https://elsewhere.example' } });
      expect(response.status).toBe(200);
    });
  });

  describe('sign-in throttling and enumeration', () => {
    test('an unknown email and a wrong password get the same answer', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const unknown = await newClient().call('POST', '/session', { body: { email: uniqueEmail('nobody'), password: 'wrong password here' } });
      const wrong = await newClient().call('POST', '/session', { body: { email, password: 'wrong password here' } });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body).toBe(wrong.body);
    });

    test('asking for a password reset answers the same whether or not the email has an account', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const known = await newClient().call('POST', '/password-resets', { body: { email } });
      const unknown = await newClient().call('POST', '/password-resets', { body: { email: uniqueEmail('nobody') } });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(known.body).toBe(unknown.body);
    });

    test('after five failures an email is held back with 429 and Retry-After, even with the right password', async () => {
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      for (let i = 0; i < 5; i++) expect((await newClient().signIn(email, 'wrong password here')).status).toBe(401);
      const held = await newClient().signIn(email, PASSWORD);
      expect(held.status).toBe(429);
      expect(held.json.code).toBe('RateLimited');
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
      expect(held.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('links from emails', () => {
    test('accepting an invitation makes the account and the membership; the link works once', async () => {
      const invitation = await createTestInvitation(dbs.admin, site.id, { role: 'editor' });
      const client = newClient();
      const preview = await client.call('POST', '/invitations/preview', { body: { token: invitation.token } });
      expect(preview.json).toMatchObject({ email: invitation.email, role: 'editor', accountExists: false, site: { slug: site.slug } });
      const accepted = await client.call('POST', '/invitations/accept', { body: { token: invitation.token, password: PASSWORD, name: 'New Editor' } });
      expect(accepted.status).toBe(200);
      expect(accepted.json).toMatchObject({ email: invitation.email, role: 'editor', createdAccount: true });
      const again = await client.call('POST', '/invitations/accept', { body: { token: invitation.token, password: PASSWORD } });
      expect(again.status).toBe(410);
      expect(again.json.code).toBe('LinkUsed');
      const member = await signedIn(invitation.email);
      expect((await member.call('GET', '/me')).json.memberships).toEqual([expect.objectContaining({ slug: site.slug, role: 'editor' })]);
    });

    test('a reset link sets a new password once and ends every session', async () => {
      const user = await createTestUser(dbs.admin, { password: PASSWORD });
      const before = await signedIn(user.email);
      const token = await createTestPasswordReset(dbs.admin, user.userId);
      const confirmed = await newClient().call('POST', '/password-resets/confirm', { body: { token, password: 'brand new passphrase 11' } });
      expect(confirmed.status).toBe(200);
      expect(confirmed.json.sessionsRevoked).toBe(1);
      expect((await before.call('GET', '/me')).status).toBe(401);
      expect((await newClient().call('POST', '/password-resets/confirm', { body: { token, password: 'another new passphrase 12' } })).json.code).toBe('LinkUsed');
      expect((await newClient().signIn(user.email, 'brand new passphrase 11')).status).toBe(200);
    });

    test('a made-up token is refused without saying more', async () => {
      const response = await newClient().call('POST', '/invitations/accept', { body: { token: newToken(), password: PASSWORD } });
      expect(response.status).toBe(404);
      expect(response.json.code).toBe('LinkInvalid');
    });
  });

  describe('API keys', () => {
    test('a key created over the API works at once, as its role on its own site only, and stops when revoked', async () => {
      const owner = await createTestMember(dbs.admin, site.id, 'owner', { password: PASSWORD });
      const client = await signedIn(owner.email);
      const created = await client.call('POST', `/tenants/${site.slug}/api-keys`, { body: { name: 'reader', role: 'viewer' } });
      expect(created.status).toBe(201);
      expect(created.json.secret).toMatch(/^mk_/);
      const key = ApiClient.withKey(server.port, created.json.secret);
      expect((await key.call('GET', `/tenants/${site.slug}`)).status).toBe(200);
      expect((await key.call('PATCH', `/tenants/${site.slug}`, { body: { name: 'Not allowed' } })).status).toBe(403);
      const elsewhere = await key.call('GET', `/tenants/${other.slug}`);
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.body).not.toContain(other.id);
      expect((await key.call('GET', '/tenants')).json.items.map((t: { slug: string }) => t.slug)).toEqual([site.slug]);
      const listed = await client.call('GET', `/tenants/${site.slug}/api-keys`);
      expect(JSON.stringify(listed.json)).not.toContain(created.json.secret);
      expect((await client.call('DELETE', `/tenants/${site.slug}/api-keys/${created.json.key.id}`)).json.active).toBe(false);
      const after = await key.call('GET', `/tenants/${site.slug}`);
      expect(after.status).toBe(401);
      expect(after.json.code).toBe('Unauthorized');
    });

    test('a key cannot be made above its creator’s role', async () => {
      const admin = await createTestMember(dbs.admin, site.id, 'admin', { password: PASSWORD });
      const client = await signedIn(admin.email);
      const response = await client.call('POST', `/tenants/${site.slug}/api-keys`, { body: { name: 'too strong', role: 'owner' } });
      expect(response.status).toBe(403);
      const keys = await dbs.admin.selectFrom('api_keys').select('id').where('name', '=', 'too strong').where('tenant_id', '=', site.id).execute();
      expect(keys).toEqual([]);
    });

    test('expired, revoked, malformed and unknown keys are 401 and never fall back to the cookie', async () => {
      const expired = await createTestApiKey(dbs.admin, { tenantId: site.id, role: 'owner' }, { expiresAt: new Date(Date.now() - 1000) });
      const revoked = await createTestApiKey(dbs.admin, { tenantId: site.id, role: 'owner' }, { revoked: true });
      const valid = await createTestApiKey(dbs.admin, { tenantId: site.id, role: 'owner' });
      const forged = `${valid.key.slice(0, -4)}AAAA`;
      for (const key of [expired.key, revoked.key, 'mk_nonsense', forged, '']) {
        const response = await ApiClient.withKey(server.port, key).call('GET', `/tenants/${site.slug}`);
        expect(response.status, key).toBe(401);
        expect(response.headers['content-type']).toBe('application/problem+json');
      }
      const { email } = await createTestUser(dbs.admin, { password: PASSWORD });
      const both = await signedIn(email);
      both.apiKey = 'mk_nonsense';
      expect((await both.call('GET', '/me')).status).toBe(401);
    });
  });
});
