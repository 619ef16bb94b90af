import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { withScope } from '../../src/db/scope.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import type { Actor } from '../../src/operations/actor.ts';
import { execute } from '../../src/operations/execute.ts';
import { defineOperation } from '../../src/operations/operation.ts';
import { createUser, listUsers, readUser } from '../../src/operations/users/create-user.ts';
import { setPlatformRole, setUserDisabled } from '../../src/operations/users/manage-user.ts';
import { createTestUser, uniqueEmail } from '../support/accounts.ts';
import { createTestAuth } from '../support/auth.ts';
import { openTestDatabases } from '../support/databases.ts';

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isMosaicError(error) ? error.code : String(error)),
  );
const client = { address: null, userAgent: null };

describe('platform user operations', () => {
  const dbs = openTestDatabases(3);
  const { auth } = createTestAuth(dbs);
  afterAll(() => dbs.close());
  const cli: Actor = { kind: 'cli', name: 'ops' };

  test('create with or without a password, with a platform role; emails are unique and lower case', async () => {
    const email = uniqueEmail('Created').toUpperCase();
    const user = await execute(auth.context(cli, null), createUser, {
      input: { email, name: 'Created', platformAdmin: true, password: 'created password' },
    });
    expect(user).toMatchObject({ email: email.toLowerCase(), name: 'Created', platformAdmin: true, disabled: false });
    expect((await auth.signIn({ email, password: 'created password' }, client)).actor).toMatchObject({ userId: user.id, platformAdmin: true });
    expect(await code(execute(auth.context(cli, null), createUser, { input: { email } }))).toBe('EmailTaken');

    const passwordless = await execute(auth.context(cli, null), createUser, { input: { email: uniqueEmail('nopass') } });
    expect(passwordless.platformAdmin).toBe(false);
    // No password: sign-in answers like for an unknown email.
    expect(await code(auth.signIn({ email: passwordless.email, password: 'any password at all' }, client))).toBe('InvalidCredentials');

    const bad = await execute(auth.context(cli, null), createUser, { input: { email: 'nope', password: 'short', extra: true } }).catch(
      (e: unknown) => e,
    );
    expect(isMosaicError(bad) ? bad.details.map((d) => d.path).sort() : bad).toEqual(['(root)', 'email', 'password']);
  });

  test('two creations of one email at once: one account, and EmailTaken for the other', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all([0, 1].map(() => code(execute(auth.context(cli, null), createUser, { input: { email } }))));
    expect(results.sort()).toEqual(['EmailTaken', 'resolved']);
  });

  test('only platform actors manage users', async () => {
    const member = await createTestUser(dbs.admin);
    expect(await code(execute(auth.context(member, null), createUser, { input: { email: uniqueEmail() } }))).toBe('Forbidden');
    expect(await code(execute(auth.context(member, null), listUsers, { input: {} }))).toBe('Forbidden');
    expect(await code(execute(auth.context(member, null), setPlatformRole, { input: { userId: member.userId, platformAdmin: true } }))).toBe(
      'Forbidden',
    );
  });

  test('list by email with search and pages; read one with its sites', async () => {
    const tag = `pager${Date.now().toString(36)}`;
    for (let i = 0; i < 5; i++) await execute(auth.context(cli, null), createUser, { input: { email: `${tag}-${i}@example.test` } });
    const first = await execute(auth.context(cli, null), listUsers, { input: { search: tag, limit: 3 } });
    expect(first.items.map((u) => u.email)).toEqual([0, 1, 2].map((i) => `${tag}-${i}@example.test`));
    const second = await execute(auth.context(cli, null), listUsers, { input: { search: tag, limit: 3, after: first.nextAfter! } });
    expect(second.items.map((u) => u.email)).toEqual([3, 4].map((i) => `${tag}-${i}@example.test`));
    expect(second.nextAfter).toBeNull();
    // % and _ in a search are literal.
    expect((await execute(auth.context(cli, null), listUsers, { input: { search: '%' } })).items).toEqual([]);
    const one = await execute(auth.context(cli, null), readUser, { input: { email: `${tag}-0@example.test` } });
    expect(one).toMatchObject({ email: `${tag}-0@example.test`, memberships: [] });
    expect(await code(execute(auth.context(cli, null), readUser, { input: { email: 'nobody@example.test' } }))).toBe('NotFound');
  });

  test('disable and enable, set the platform role; never on yourself; audited in the platform trail', async () => {
    const platform = await createTestUser(dbs.admin, { platformAdmin: true });
    const target = await createTestUser(dbs.admin, { password: 'target password' });
    const disabled = await execute(auth.context(platform, '192.0.2.3'), setUserDisabled, { input: { userId: target.userId, disabled: true } });
    expect(disabled.disabled).toBe(true);
    expect(await code(auth.signIn({ email: target.email, password: 'target password' }, client))).toBe('InvalidCredentials');
    await execute(auth.context(platform, null), setUserDisabled, { input: { userId: target.userId, disabled: false } });
    expect((await auth.signIn({ email: target.email, password: 'target password' }, client)).actor.userId).toBe(target.userId);

    expect(
      (await execute(auth.context(platform, null), setPlatformRole, { input: { userId: target.userId, platformAdmin: true } })).platformAdmin,
    ).toBe(true);
    expect(await code(execute(auth.context(platform, null), setUserDisabled, { input: { userId: platform.userId, disabled: true } }))).toBe(
      'Forbidden',
    );
    expect(await code(execute(auth.context(platform, null), setPlatformRole, { input: { userId: platform.userId, platformAdmin: false } }))).toBe(
      'Forbidden',
    );

    const trail = await withScope(dbs.admin, { platform: true }, (trx) =>
      trx.selectFrom('platform_audit_log').selectAll().where('actor_id', '=', platform.userId).orderBy('created_at').execute(),
    );
    expect(trail.map((r) => r.action)).toEqual(['platform.user.disable', 'platform.user.disable', 'platform.user.set-role']);
    expect(trail[0]).toMatchObject({
      subject: target.email,
      before: { '/disabled': false },
      after: { '/disabled': true },
      client_address: '192.0.2.3',
    });
  });

  test('an operation may pass without an audit record only when it declares it changed nothing', async () => {
    const platform = await createTestUser(dbs.admin, { platformAdmin: true });
    const target = await createTestUser(dbs.admin);
    const result = await execute(auth.context(platform, null), setUserDisabled, { input: { userId: target.userId, disabled: false } });
    expect(result).toMatchObject({ disabled: false, sessionsRevoked: 0 });
    const sneaky = defineOperation({
      name: 'test.sneaky',
      scope: 'platform',
      action: 'platform.user.manage',
      mutates: true,
      input: z.object({}),
      async run(tx) {
        await tx.trx.updateTable('users').set({ name: 'changed silently' }).where('id', '=', target.userId).execute();
      },
    });
    expect(await code(execute(auth.context(platform, null), sneaky))).toMatch(/without an audit record/);
    const after = await execute(auth.context(platform, null), readUser, { input: { userId: target.userId } });
    expect(after.name).not.toBe('changed silently');
  });
});
