import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hashToken } from '../../src/auth/tokens.ts';
import { withScope } from '../../src/db/scope.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import type { Actor } from '../../src/operations/actor.ts';
import { execute } from '../../src/operations/execute.ts';
import { listMySessions, signOut, signOutEverywhere } from '../../src/operations/me/sessions.ts';
import { revokeUserSessions, setUserDisabled } from '../../src/operations/users/manage-user.ts';
import { createTestUser, uniqueEmail } from '../support/accounts.ts';
import { createTestAuth, DAY, HOUR, testClock } from '../support/auth.ts';
import { openTestDatabases } from '../support/databases.ts';

const PASSWORD = 'correct horse battery';
const client = { address: '198.51.100.20', userAgent: 'vitest' };

const errorCode = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isMosaicError(error) ? error.code : String(error)),
  );

describe('sessions, on PostgreSQL as the app role', () => {
  const dbs = openTestDatabases(4);
  const clock = testClock();
  const { auth } = createTestAuth(dbs, { clock: clock.now });
  let user: Extract<Actor, { kind: 'user' }>;
  let platform: Extract<Actor, { kind: 'user' }>;

  beforeAll(async () => {
    user = await createTestUser(dbs.admin, { password: PASSWORD, email: uniqueEmail('session') });
    platform = await createTestUser(dbs.admin, { platformAdmin: true });
  });
  afterAll(() => dbs.close());

  const storedSession = (id: string) =>
    withScope(dbs.admin, { platform: true }, (trx) => trx.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst());

  test('sign-in gives a token whose hash, not the token, is stored; the token authenticates', async () => {
    const session = await auth.signIn({ email: user.email.toUpperCase(), password: PASSWORD }, client);
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.sessionId).toBe(hashToken(session.token));
    expect(session.actor).toEqual(user);
    const row = await storedSession(session.sessionId);
    expect(row).toMatchObject({ user_id: user.userId, ip: client.address, user_agent: 'vitest', revoked_at: null });
    const dump = await sql<{ t: string }>`SELECT row_to_json(s)::text AS t FROM sessions s`.execute(dbs.admin);
    expect(dump.rows.some((r) => r.t.includes(session.token))).toBe(false);

    const found = await auth.authenticateSession(session.token);
    expect(found?.actor).toEqual(user);
    expect(found?.sessionId).toBe(session.sessionId);
    expect(await auth.authenticateSession('not-a-token')).toBeNull();
    expect(await auth.authenticateSession(`${session.token.slice(0, -1)}${session.token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
  });

  test('the sign-in is audited in the platform trail as the user, with the client address', async () => {
    const session = await auth.signIn({ email: user.email, password: PASSWORD }, client);
    const records = await withScope(dbs.admin, { platform: true }, (trx) =>
      trx.selectFrom('platform_audit_log').selectAll().where('action', '=', 'session.create').where('actor_id', '=', user.userId).execute(),
    );
    expect(records.some((r) => (r.detail as { session?: string }).session === session.sessionId.slice(0, 12))).toBe(true);
    expect(records.every((r) => r.client_address === client.address && r.actor_kind === 'user')).toBe(true);
  });

  test('an unknown email, a wrong password and a disabled account get the same answer', async () => {
    const disabled = await createTestUser(dbs.admin, { password: PASSWORD });
    await execute(auth.context(platform, null), setUserDisabled, { input: { userId: disabled.userId, disabled: true } });
    const attempts = [
      auth.signIn({ email: uniqueEmail('nobody'), password: PASSWORD }, client),
      auth.signIn({ email: user.email, password: 'wrong password!' }, client),
      auth.signIn({ email: disabled.email, password: PASSWORD }, client),
    ];
    const errors = await Promise.all(attempts.map((p) => p.catch((e: unknown) => e)));
    for (const error of errors) {
      expect(isMosaicError(error) && { code: error.code, status: error.status, message: error.message }).toEqual({
        code: 'InvalidCredentials',
        status: 401,
        message: 'The email or the password is not correct.',
      });
    }
  });

  test('bad input is InvalidInput listing every field; nothing is looked up', async () => {
    const error = await auth.signIn({ email: 'not an email', password: '' }, client).catch((e: unknown) => e);
    expect(isMosaicError(error) && error.code).toBe('InvalidInput');
    expect(isMosaicError(error) ? error.details.map((d) => d.path).sort() : []).toEqual(['email', 'password']);
    const long = await auth.signIn({ email: user.email, password: 'x'.repeat(257) }, client).catch((e: unknown) => e);
    expect(isMosaicError(long) && long.code).toBe('InvalidInput');
  });

  test('idle expiry slides with use; last_seen_at is written at most once a minute', async () => {
    const session = await auth.signIn({ email: user.email, password: PASSWORD }, client);
    const seen = async () => new Date((await storedSession(session.sessionId))!.last_seen_at).getTime();
    const first = await seen();
    clock.advance(30_000);
    expect(await auth.authenticateSession(session.token)).not.toBeNull();
    expect(await seen()).toBe(first);
    clock.advance(40_000);
    expect(await auth.authenticateSession(session.token)).not.toBeNull();
    expect(await seen()).toBe(clock.now().getTime());
    // Used every 20 hours, it outlives the 24-hour idle limit.
    for (let i = 0; i < 3; i++) {
      clock.advance(20 * HOUR);
      expect(await auth.authenticateSession(session.token), `after ${(i + 1) * 20} h`).not.toBeNull();
    }
    clock.advance(24 * HOUR + 1000);
    expect(await auth.authenticateSession(session.token)).toBeNull();
  });

  test('the absolute expiry ends a session however much it is used', async () => {
    const session = await auth.signIn({ email: user.email, password: PASSWORD }, client);
    // Used every 23 hours: never idle for 24, yet over after 14 days (336 hours).
    for (let step = 1; step <= 14; step++) {
      clock.advance(DAY - HOUR);
      expect(await auth.authenticateSession(session.token), `after ${step * 23} h`).not.toBeNull();
    }
    clock.advance(15 * HOUR);
    expect(await auth.authenticateSession(session.token)).toBeNull();
  });

  test('sign-out ends that session only; sign-out everywhere ends them all', async () => {
    const one = await auth.signIn({ email: user.email, password: PASSWORD }, client);
    const two = await auth.signIn({ email: user.email, password: PASSWORD }, client);
    const three = await auth.signIn({ email: user.email, password: PASSWORD }, client);
    await execute(auth.context(user, null), signOut, { input: { sessionId: one.sessionId } });
    expect(await auth.authenticateSession(one.token)).toBeNull();
    expect(await auth.authenticateSession(two.token)).not.toBeNull();
    const listed = await execute(auth.context(user, null), listMySessions);
    expect(listed.map((s) => s.id)).toEqual(expect.arrayContaining([two.sessionId, three.sessionId]));
    expect(listed.map((s) => s.id)).not.toContain(one.sessionId);

    const result = await execute(auth.context(user, null), signOutEverywhere);
    expect(result.revoked).toBeGreaterThanOrEqual(2);
    expect(await auth.authenticateSession(two.token)).toBeNull();
    expect(await auth.authenticateSession(three.token)).toBeNull();
  });

  test('a user cannot end another user’s session', async () => {
    const other = await createTestUser(dbs.admin, { password: PASSWORD });
    const theirs = await auth.signIn({ email: other.email, password: PASSWORD }, client);
    const result = await execute(auth.context(user, null), signOut, { input: { sessionId: theirs.sessionId } });
    expect(result.revoked).toBe(0);
    expect(await auth.authenticateSession(theirs.token)).not.toBeNull();
  });

  test('signing in again rotates: the session presented with the sign-in ends', async () => {
    const before = await auth.signIn({ email: user.email, password: PASSWORD }, client);
    const after = await auth.signIn({ email: user.email, password: PASSWORD }, { ...client, presentedToken: before.token });
    expect(after.token).not.toBe(before.token);
    expect(await auth.authenticateSession(before.token)).toBeNull();
    expect(await auth.authenticateSession(after.token)).not.toBeNull();
    // Another account signing in on the same browser ends the previous account's session too.
    const other = await createTestUser(dbs.admin, { password: PASSWORD });
    const switched = await auth.signIn({ email: other.email, password: PASSWORD }, { ...client, presentedToken: after.token });
    expect(await auth.authenticateSession(after.token)).toBeNull();
    expect((await auth.authenticateSession(switched.token))?.actor.userId).toBe(other.userId);
  });

  test('a platform admin can end every session of a user; a non-admin cannot', async () => {
    const victim = await createTestUser(dbs.admin, { password: PASSWORD });
    const session = await auth.signIn({ email: victim.email, password: PASSWORD }, client);
    expect(await errorCode(execute(auth.context(user, null), revokeUserSessions, { input: { userId: victim.userId } }))).toBe('Forbidden');
    expect(await auth.authenticateSession(session.token)).not.toBeNull();
    const result = await execute(auth.context(platform, '192.0.2.1'), revokeUserSessions, { input: { userId: victim.userId } });
    expect(result.sessionsRevoked).toBe(1);
    expect(await auth.authenticateSession(session.token)).toBeNull();
  });

  test('disabling an account stops its sessions at once; enabling it does not bring them back', async () => {
    const person = await createTestUser(dbs.admin, { password: PASSWORD });
    const session = await auth.signIn({ email: person.email, password: PASSWORD }, client);
    await execute(auth.context(platform, null), setUserDisabled, { input: { userId: person.userId, disabled: true } });
    expect(await auth.authenticateSession(session.token)).toBeNull();
    await execute(auth.context(platform, null), setUserDisabled, { input: { userId: person.userId, disabled: false } });
    expect(await auth.authenticateSession(session.token)).toBeNull();
    expect(await auth.authenticateSession((await auth.signIn({ email: person.email, password: PASSWORD }, client)).token)).not.toBeNull();
  });

  test('row-level security: a careless query in one user’s scope sees only their sessions', async () => {
    const other = await createTestUser(dbs.admin, { password: PASSWORD });
    await auth.signIn({ email: other.email, password: PASSWORD }, client);
    await auth.signIn({ email: user.email, password: PASSWORD }, client);
    const seen = await withScope(dbs.app, { userId: user.userId }, (trx) => trx.selectFrom('sessions').select(['user_id']).execute());
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((s) => s.user_id))).toEqual(new Set([user.userId]));
    const raw = await withScope(dbs.app, { userId: user.userId }, (trx) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM sessions WHERE user_id = ${other.userId}`.execute(trx),
    );
    expect(raw.rows[0]?.n).toBe(0);
    const changed = await withScope(dbs.app, { userId: user.userId }, (trx) =>
      sql`UPDATE sessions SET revoked_at = now() WHERE user_id = ${other.userId}`.execute(trx),
    );
    expect(changed.numAffectedRows).toBe(0n);
    // Without any scope, nothing at all.
    expect(await dbs.app.selectFrom('sessions').select('id').execute()).toEqual([]);
    // Nobody but the lookup function reads a password hash.
    await expect(withScope(dbs.app, { userId: user.userId }, (trx) => sql`SELECT password_hash FROM users`.execute(trx))).rejects.toThrow(
      /permission denied/,
    );
  });

  test('a user in self scope cannot make themselves a platform admin or re-enable themselves', async () => {
    await expect(
      withScope(dbs.app, { userId: user.userId }, (trx) =>
        trx.updateTable('users').set({ platform_role: 'admin' }).where('id', '=', user.userId).execute(),
      ),
    ).rejects.toThrow(/only a platform operation/);
  });

  test('CSRF: the token is an HMAC of the session, checked with a same-origin request only', async () => {
    const session = await auth.signIn({ email: user.email, password: PASSWORD }, client);
    expect(session.csrfToken).toBe(auth.csrfTokenFor(session.sessionId));
    const origin = auth.adminOrigin;
    expect(origin).toBe('https://admin.example.test');
    const check = { sessionId: session.sessionId, origin, secFetchSite: null, csrfToken: session.csrfToken };
    expect(auth.csrfAllowed(check)).toBe(true);
    expect(auth.csrfAllowed({ ...check, origin: 'https://evil.example' })).toBe(false);
    expect(auth.csrfAllowed({ ...check, origin: null, secFetchSite: 'same-origin' })).toBe(true);
    expect(auth.csrfAllowed({ ...check, origin: null, secFetchSite: 'cross-site' })).toBe(false);
    expect(auth.csrfAllowed({ ...check, origin: null, secFetchSite: null })).toBe(false);
    expect(auth.csrfAllowed({ ...check, csrfToken: null })).toBe(false);
    expect(auth.csrfAllowed({ ...check, csrfToken: auth.csrfTokenFor(hashToken('another session token, same length')) })).toBe(false);
  });

  test('the session cookie: httpOnly, SameSite=Lax, host-only, Secure over https, as long as the session', async () => {
    const cookie = auth.sessionCookie('tok', new Date(clock.now().getTime() + 14 * DAY));
    expect(cookie.header).toBe(`mosaic_session=tok; Path=/; Max-Age=${14 * 86_400}; HttpOnly; SameSite=Lax; Secure`);
    expect(cookie.header).not.toMatch(/Domain=/i);
    expect(auth.clearedSessionCookie().header).toBe('mosaic_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
    const local = createTestAuth(dbs, { adminHost: 'admin.localhost' }).auth;
    expect(local.adminOrigin).toBe('http://admin.localhost:4321');
    expect(local.sessionCookie('tok', new Date(Date.now() + 60_000)).header).not.toContain('Secure');
  });
});
