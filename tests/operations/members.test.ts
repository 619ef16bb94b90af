import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { isMosaicError } from '../../src/errors/catalog.ts';
import type { Actor } from '../../src/operations/actor.ts';
import { execute } from '../../src/operations/execute.ts';
import { addMember } from '../../src/operations/members/add-member.ts';
import { changeMemberRole } from '../../src/operations/members/change-member-role.ts';
import { listMembers } from '../../src/operations/members/list-members.ts';
import { removeMember } from '../../src/operations/members/remove-member.ts';
import { readMe } from '../../src/operations/me/read-me.ts';
import { addMembership, createTestUser } from '../support/accounts.ts';
import { createTestAuth } from '../support/auth.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';

type User = Extract<Actor, { kind: 'user' }>;
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isMosaicError(error) ? error.code : String(error)),
  );

describe('members', () => {
  const dbs = openTestDatabases(6);
  const { auth } = createTestAuth(dbs);
  let site: { id: string; slug: string };
  const people: Record<'owner' | 'admin' | 'editor' | 'viewer', User> = {} as never;
  afterAll(() => dbs.close());

  // A fresh site per test: the tests change who holds which role.
  beforeEach(async () => {
    site = await createTestTenant(dbs.admin);
    for (const role of ['owner', 'admin', 'editor', 'viewer'] as const) {
      people[role] = await createTestUser(dbs.admin);
      await addMembership(dbs.admin, site.id, people[role].userId, role);
    }
  });

  const run = <T>(as: Actor, op: Parameters<typeof execute>[1], input: unknown) =>
    execute(auth.context(as, null), op, { tenant: { id: site.id }, input }) as Promise<T>;
  const roles = async () =>
    Object.fromEntries((await execute(auth.context(people.viewer, null), listMembers, { tenant: { id: site.id } })).map((m) => [m.email, m.role]));

  test('every member can list the members with emails and roles; outsiders get NotFound', async () => {
    const list = await execute(auth.context(people.viewer, null), listMembers, { tenant: { slug: site.slug } });
    expect(list.map((m) => [m.email, m.role]).sort()).toEqual(
      (['owner', 'admin', 'editor', 'viewer'] as const).map((role) => [people[role].email, role]).sort(),
    );
    const outsider = await createTestUser(dbs.admin);
    expect(await code(execute(auth.context(outsider, null), listMembers, { tenant: { id: site.id } }))).toBe('NotFound');
  });

  test('admins change roles up to admin but cannot touch owners; owners can', async () => {
    await run(people.admin, changeMemberRole, { userId: people.viewer.userId, role: 'editor' });
    expect((await roles())[people.viewer.email]).toBe('editor');
    expect(await code(run(people.admin, changeMemberRole, { userId: people.editor.userId, role: 'owner' }))).toBe('Forbidden');
    expect(await code(run(people.admin, changeMemberRole, { userId: people.owner.userId, role: 'viewer' }))).toBe('Forbidden');
    expect(await code(run(people.admin, removeMember, { userId: people.owner.userId }))).toBe('Forbidden');
    expect(await code(run(people.editor, changeMemberRole, { userId: people.viewer.userId, role: 'viewer' }))).toBe('Forbidden');
    await run(people.owner, changeMemberRole, { userId: people.admin.userId, role: 'owner' });
    expect((await roles())[people.admin.email]).toBe('owner');
  });

  test('the last owner can be neither demoted nor removed, even by a platform admin', async () => {
    const platform = await createTestUser(dbs.admin, { platformAdmin: true });
    expect(await code(run(people.owner, changeMemberRole, { userId: people.owner.userId, role: 'admin' }))).toBe('LastOwner');
    expect(await code(run(platform, removeMember, { userId: people.owner.userId }))).toBe('LastOwner');
    await run(people.owner, changeMemberRole, { userId: people.admin.userId, role: 'owner' });
    await run(people.owner, changeMemberRole, { userId: people.owner.userId, role: 'admin' });
    expect((await roles())[people.owner.email]).toBe('admin');
  });

  test('two owners demoting each other at once leave one owner', async () => {
    await run(people.owner, changeMemberRole, { userId: people.admin.userId, role: 'owner' });
    const results = await Promise.all([
      code(run(people.owner, changeMemberRole, { userId: people.admin.userId, role: 'editor' })),
      code(run(people.admin, changeMemberRole, { userId: people.owner.userId, role: 'editor' })),
    ]);
    const owners = Object.values(await roles()).filter((role) => role === 'owner');
    expect(owners).toHaveLength(1);
    // The second either finds itself demoted already (Forbidden) or its target the last owner.
    expect(results.filter((r) => r === 'resolved')).toHaveLength(1);
    expect(results.find((r) => r !== 'resolved')).toMatch(/^(LastOwner|Forbidden)$/);
  });

  test('removing a member is audited and ends their access; a non-member is NotFound', async () => {
    await run(people.admin, removeMember, { userId: people.editor.userId });
    expect(await code(execute(auth.context(people.editor, null), listMembers, { tenant: { id: site.id } }))).toBe('NotFound');
    expect(await code(run(people.admin, removeMember, { userId: people.editor.userId }))).toBe('NotFound');
    const me = await execute(auth.context(people.editor, null), readMe);
    expect(me.kind === 'user' && me.memberships).toEqual([]);
  });

  test('setting the role a member already has changes nothing and passes', async () => {
    const result = await run<{ changed: boolean }>(people.admin, changeMemberRole, { userId: people.viewer.userId, role: 'viewer' });
    expect(result.changed).toBe(false);
  });

  test('only platform staff add an existing account directly', async () => {
    const person = await createTestUser(dbs.admin);
    expect(await code(run(people.owner, addMember, { email: person.email, role: 'viewer' }))).toBe('Forbidden');
    const platform = await createTestUser(dbs.admin, { platformAdmin: true });
    await run(platform, addMember, { email: person.email, role: 'viewer' });
    expect((await roles())[person.email]).toBe('viewer');
    expect(await code(run(platform, addMember, { email: person.email, role: 'viewer' }))).toBe('AlreadyMember');
    expect(await code(run(platform, addMember, { email: 'nobody-here@example.test', role: 'viewer' }))).toBe('NotFound');
  });

  test('me: the account, platform role and every site with its role', async () => {
    const other = await createTestTenant(dbs.admin);
    await addMembership(dbs.admin, other.id, people.editor.userId, 'owner');
    const me = await execute(auth.context(people.editor, null), readMe);
    expect(me).toMatchObject({ kind: 'user', id: people.editor.userId, email: people.editor.email, platformAdmin: false });
    expect(me.kind === 'user' && me.memberships.map((m) => [m.slug, m.role]).sort()).toEqual(
      [
        [other.slug, 'owner'],
        [site.slug, 'editor'],
      ].sort(),
    );
    const key: Actor = { kind: 'api-key', keyId: 'k1', label: 'abcdefabcdef', grant: { scope: 'tenant', tenantId: site.id, role: 'viewer' } };
    expect(await execute(auth.context(key, null), readMe)).toEqual({
      kind: 'api-key',
      keyId: 'k1',
      prefix: 'mk_abcdefabcdef',
      scope: 'tenant',
      tenantId: site.id,
      role: 'viewer',
    });
  });
});
