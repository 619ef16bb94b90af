import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RESET_REQUESTED } from '../../src/auth/password-reset-flow.ts';
import { withScope } from '../../src/db/scope.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import { createSmtpMailer } from '../../src/mail/mailer.ts';
import type { Actor } from '../../src/operations/actor.ts';
import { execute } from '../../src/operations/execute.ts';
import { changePassword } from '../../src/operations/me/passwords.ts';
import { issuePasswordReset } from '../../src/operations/users/issue-password-reset.ts';
import { setUserDisabled } from '../../src/operations/users/manage-user.ts';
import { createTestUser, uniqueEmail } from '../support/accounts.ts';
import { createTestAuth, HOUR, testClock } from '../support/auth.ts';
import { openTestDatabases } from '../support/databases.ts';
import { linkIn, startSmtpCatcher } from '../support/smtp-catcher.ts';

const client = { address: '203.0.113.77', userAgent: null };
const OLD = 'the old password';
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isMosaicError(error) ? error.code : String(error)),
  );

describe('password resets', () => {
  const dbs = openTestDatabases(4);
  const clock = testClock();
  let catcher: Awaited<ReturnType<typeof startSmtpCatcher>>;
  let mailed: ReturnType<typeof createTestAuth>;
  let unmailed: ReturnType<typeof createTestAuth>;

  beforeAll(async () => {
    catcher = await startSmtpCatcher();
    mailed = createTestAuth(dbs, { clock: clock.now, mailer: createSmtpMailer(catcher.url, 'Mosaic <no-reply@example.test>') });
    unmailed = createTestAuth(dbs, { clock: clock.now });
  });
  afterAll(async () => {
    await catcher.close();
    await dbs.close();
  });

  const tokenMailedTo = (email: string) => {
    const mail = catcher.mails.filter((m) => m.to.includes(email)).at(-1);
    return mail ? linkIn(mail) : null;
  };
  const resets = (userId: string) =>
    withScope(dbs.admin, { platform: true }, (trx) => trx.selectFrom('password_resets').selectAll().where('user_id', '=', userId).execute());

  test('the answer is the same for an account, an unknown email and a disabled account; only the account gets mail', async () => {
    const user = await createTestUser(dbs.admin, { password: OLD });
    const disabled = await createTestUser(dbs.admin, { password: OLD });
    const platform = await createTestUser(dbs.admin, { platformAdmin: true });
    await execute(mailed.auth.context(platform, null), setUserDisabled, { input: { userId: disabled.userId, disabled: true } });
    const answers = [];
    for (const email of [user.email, uniqueEmail('nobody'), disabled.email]) {
      const { response, delivery } = await mailed.auth.requestPasswordReset({ email }, client);
      await delivery;
      answers.push(response);
    }
    expect(answers).toEqual([RESET_REQUESTED, RESET_REQUESTED, RESET_REQUESTED]);
    expect(tokenMailedTo(user.email)?.pathname).toBe('/reset-password');
    expect(tokenMailedTo(disabled.email)).toBeNull();
    expect(await resets(disabled.userId)).toEqual([]);
  });

  test('the link sets a new password once, ends every session, and the old password stops working', async () => {
    const user = await createTestUser(dbs.admin, { password: OLD });
    const session = await mailed.auth.signIn({ email: user.email, password: OLD }, client);
    await (
      await mailed.auth.requestPasswordReset({ email: user.email }, client)
    ).delivery;
    const token = tokenMailedTo(user.email)!.searchParams.get('token')!;
    const weak = await mailed.auth.confirmPasswordReset({ token, password: 'short' }, client).catch((e: unknown) => e);
    expect(isMosaicError(weak) && weak.code).toBe('InvalidInput');

    const result = await mailed.auth.confirmPasswordReset({ token, password: 'the new password' }, client);
    expect(result).toMatchObject({ userId: user.userId, sessionsRevoked: 1 });
    expect(await mailed.auth.authenticateSession(session.token)).toBeNull();
    expect(await code(mailed.auth.signIn({ email: user.email, password: OLD }, client))).toBe('InvalidCredentials');
    expect((await mailed.auth.signIn({ email: user.email, password: 'the new password' }, client)).actor.userId).toBe(user.userId);
    expect(await code(mailed.auth.confirmPasswordReset({ token, password: 'another new one' }, client))).toBe('LinkUsed');
  });

  test('a link expires after an hour; a newer link still works and uses up the older ones', async () => {
    const user = await createTestUser(dbs.admin, { password: OLD });
    await (
      await mailed.auth.requestPasswordReset({ email: user.email }, client)
    ).delivery;
    const first = tokenMailedTo(user.email)!.searchParams.get('token')!;
    clock.advance(HOUR + 1000);
    expect(await code(mailed.auth.confirmPasswordReset({ token: first, password: 'too late password' }, client))).toBe('LinkExpired');
    await (
      await mailed.auth.requestPasswordReset({ email: user.email }, client)
    ).delivery;
    const second = tokenMailedTo(user.email)!.searchParams.get('token')!;
    await (
      await mailed.auth.requestPasswordReset({ email: user.email }, client)
    ).delivery;
    const third = tokenMailedTo(user.email)!.searchParams.get('token')!;
    expect(new Set([first, second, third]).size).toBe(3);
    await mailed.auth.confirmPasswordReset({ token: third, password: 'in time password' }, client);
    expect(await code(mailed.auth.confirmPasswordReset({ token: second, password: 'other password' }, client))).toBe('LinkUsed');
  });

  test('without SMTP the link is logged, never part of the answer; platform staff get it back', async () => {
    const user = await createTestUser(dbs.admin, { password: OLD });
    const { response, delivery } = await unmailed.auth.requestPasswordReset({ email: user.email }, client);
    await delivery;
    expect(JSON.stringify(response)).not.toMatch(/token|http/);
    const logged = unmailed.logs.filter((l) => l.to === user.email);
    expect(logged).toHaveLength(1);
    expect(String(logged[0]!.link)).toMatch(/^https:\/\/admin\.example\.test\/reset-password\?token=/);

    const platform: Actor = { kind: 'cli', name: 'ops' };
    const issued = await execute(unmailed.auth.context(platform, null), issuePasswordReset, { input: { userId: user.userId } });
    expect(issued.link).toMatch(/\/reset-password\?token=/);
    const member = await createTestUser(dbs.admin);
    expect(await code(execute(unmailed.auth.context(member, null), issuePasswordReset, { input: { userId: user.userId } }))).toBe('Forbidden');
  });

  test('garbage tokens and bad emails get clear errors', async () => {
    for (const token of ['', 'abc', null])
      expect(await code(mailed.auth.confirmPasswordReset({ token, password: 'whatever password' }, client))).toBe('InvalidInput');
    expect(await code(mailed.auth.confirmPasswordReset({ token: 'B'.repeat(43), password: 'whatever password' }, client))).toBe('LinkInvalid');
    expect(await code(mailed.auth.requestPasswordReset({ email: 'not-an-email' }, client))).toBe('InvalidInput');
  });

  test('changing a password needs the current one and ends the other sessions', async () => {
    const user = await createTestUser(dbs.admin, { password: OLD });
    const here = await unmailed.auth.signIn({ email: user.email, password: OLD }, client);
    const elsewhere = await unmailed.auth.signIn({ email: user.email, password: OLD }, client);
    const context = unmailed.auth.context(user, null);
    const wrong = await execute(context, changePassword, { input: { currentPassword: 'not it at all', newPassword: 'brand new password' } }).catch(
      (e: unknown) => e,
    );
    expect(isMosaicError(wrong) && wrong.details).toEqual([{ path: 'currentPassword', message: 'is not your current password' }]);
    await execute(context, changePassword, { input: { currentPassword: OLD, newPassword: 'brand new password', keepSessionId: here.sessionId } });
    expect(await unmailed.auth.authenticateSession(here.token)).not.toBeNull();
    expect(await unmailed.auth.authenticateSession(elsewhere.token)).toBeNull();
    expect((await unmailed.auth.signIn({ email: user.email, password: 'brand new password' }, client)).actor.userId).toBe(user.userId);
  });
});
