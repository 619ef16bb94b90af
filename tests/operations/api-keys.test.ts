import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withScope } from '../../src/db/scope.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import type { Actor } from '../../src/operations/actor.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../src/operations/api-keys/tenant-api-keys.ts';
import { createPlatformApiKey, listPlatformApiKeys, revokeAnyApiKey } from '../../src/operations/api-keys/platform-api-keys.ts';
import { execute } from '../../src/operations/execute.ts';
import { listAllTenants } from '../../src/operations/tenants/list-tenants.ts';
import { readTenant } from '../../src/operations/tenants/read-tenant.ts';
import { updateTenant } from '../../src/operations/tenants/update-tenant.ts';
import { addMembership, createTestUser } from '../support/accounts.ts';
import { createTestAuth, DAY, testClock } from '../support/auth.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';

type User = Extract<Actor, { kind: 'user' }>;
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isMosaicError(error) ? error.code : String(error)),
  );

describe('API keys', () => {
  const dbs = openTestDatabases(4);
  const clock = testClock();
  const { auth } = createTestAuth(dbs, { clock: clock.now });
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  const people: Record<'owner' | 'admin' | 'editor', User> = {} as never;
  let platform: User;

  beforeAll(async () => {
    a = await createTestTenant(dbs.admin, { plan: 'enterprise' });
    b = await createTestTenant(dbs.admin, { plan: 'enterprise' });
    for (const role of ['owner', 'admin', 'editor'] as const) {
      people[role] = await createTestUser(dbs.admin);
      await addMembership(dbs.admin, a.id, people[role].userId, role);
    }
    platform = await createTestUser(dbs.admin, { platformAdmin: true });
  });
  afterAll(() => dbs.close());

  const create = (as: Actor, input: Record<string, unknown>, tenant = a) =>
    execute(auth.context(as, '192.0.2.10'), createApiKey, { tenant: { id: tenant.id }, input });
  const bearer = (secret: string) => `Bearer ${secret}`;

  test('an admin creates a key shown once; only its hash is stored, and it acts as that key', async () => {
    const { key, secret } = await create(people.admin, { name: 'Deploy bot', role: 'editor' });
    expect(secret).toMatch(/^mk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({
      name: 'Deploy bot',
      role: 'editor',
      scope: 'tenant',
      prefix: secret.slice(0, 15),
      createdBy: people.admin.email,
      active: true,
      lastUsedAt: null,
    });
    // The secret is nowhere in the database.
    const dump = await sql<{ t: string }>`SELECT row_to_json(k)::text AS t FROM api_keys k`.execute(dbs.admin);
    expect(dump.rows.some((r) => r.t.includes(secret.slice(16)))).toBe(false);
    // Nor can the app role read the stored hash.
    await expect(withTenant(dbs.app, a.id, (trx) => sql`SELECT secret_hash FROM api_keys`.execute(trx))).rejects.toThrow(/permission denied/);

    const actor = await auth.authenticateApiKey(bearer(secret));
    expect(actor).toEqual({ kind: 'api-key', keyId: key.id, label: secret.slice(3, 15), grant: { scope: 'tenant', tenantId: a.id, role: 'editor' } });
    expect((await execute(auth.context(actor!, null), readTenant, { tenant: { id: a.id } })).id).toBe(a.id);
    expect(await code(execute(auth.context(actor!, null), updateTenant, { tenant: { id: a.id }, input: { name: 'x' } }))).toBe('Forbidden');
    const trail = await withTenant(dbs.admin, a.id, (trx) =>
      trx.selectFrom('audit_log').selectAll().where('tenant_id', '=', a.id).where('action', '=', 'apikey.create').execute(),
    );
    expect(trail.find((r) => r.detail.keyId === key.id)).toMatchObject({ actor: people.admin.email, client_address: '192.0.2.10' });
  });

  test('a key acts on its own tenant only: another tenant is NotFound, never its data', async () => {
    const { secret } = await create(people.owner, { name: 'Scoped', role: 'admin' });
    const actor = (await auth.authenticateApiKey(bearer(secret)))!;
    expect(await code(execute(auth.context(actor, null), readTenant, { tenant: { id: b.id } }))).toBe('NotFound');
    expect(await code(execute(auth.context(actor, null), readTenant, { tenant: { slug: b.slug } }))).toBe('NotFound');
    expect(await code(execute(auth.context(actor, null), listApiKeys, { tenant: { id: b.id } }))).toBe('NotFound');
    expect(await code(execute(auth.context(actor, null), listAllTenants))).toBe('Forbidden');
  });

  test('nobody creates a key above their own role; editors create none', async () => {
    expect(await code(create(people.admin, { name: 'too high', role: 'owner' }))).toBe('Forbidden');
    expect(await code(create(people.editor, { name: 'editor key', role: 'viewer' }))).toBe('Forbidden');
    expect((await create(people.owner, { name: 'owner key', role: 'owner' })).key.role).toBe('owner');
    const key = (await auth.authenticateApiKey(bearer((await create(people.admin, { name: 'admin key', role: 'admin' })).secret)))!;
    expect(await code(create(key, { name: 'made by a key', role: 'owner' }))).toBe('Forbidden');
    const made = await create(key, { name: 'made by a key', role: 'editor' });
    expect(made.key.createdBy).toBe(`key:${key.label}`);
    // Every call made with a key is audited as that key.
    const trail = await withTenant(dbs.admin, a.id, (trx) =>
      trx.selectFrom('audit_log').selectAll().where('tenant_id', '=', a.id).where('action', '=', 'apikey.create').execute(),
    );
    expect(trail.find((r) => r.detail.keyId === made.key.id)).toMatchObject({
      actor: `key:${key.label}`,
      actor_kind: 'api-key',
      actor_id: key.keyId,
    });
  });

  test('a revoked key is refused at once; an admin cannot revoke an owner key', async () => {
    const { key, secret } = await create(people.admin, { name: 'to revoke', role: 'viewer' });
    const ownerKey = await create(people.owner, { name: 'owner only', role: 'owner' });
    expect(await code(execute(auth.context(people.admin, null), revokeApiKey, { tenant: { id: a.id }, input: { keyId: ownerKey.key.id } }))).toBe(
      'Forbidden',
    );
    const revoked = await execute(auth.context(people.admin, null), revokeApiKey, { tenant: { id: a.id }, input: { keyId: key.id } });
    expect(revoked).toMatchObject({ active: false, revokedAt: clock.now().toISOString() });
    expect(await auth.authenticateApiKey(bearer(secret))).toBeNull();
    // Revoking again changes nothing and says so.
    expect((await execute(auth.context(people.admin, null), revokeApiKey, { tenant: { id: a.id }, input: { keyId: key.id } })).active).toBe(false);
    // Another tenant's key id is NotFound here.
    const theirs = await execute(auth.context(platform, null), createApiKey, { tenant: { id: b.id }, input: { name: 'theirs', role: 'viewer' } });
    expect(await code(execute(auth.context(people.owner, null), revokeApiKey, { tenant: { id: a.id }, input: { keyId: theirs.key.id } }))).toBe(
      'NotFound',
    );
  });

  test('an expired key is refused; expiry must be in the future', async () => {
    const { secret } = await create(people.admin, {
      name: 'short lived',
      role: 'viewer',
      expiresAt: new Date(clock.now().getTime() + DAY).toISOString(),
    });
    expect(await auth.authenticateApiKey(bearer(secret))).not.toBeNull();
    clock.advance(DAY + 1);
    expect(await auth.authenticateApiKey(bearer(secret))).toBeNull();
    const past = await create(people.admin, { name: 'born dead', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' }).catch((e: unknown) => e);
    expect(isMosaicError(past) && past.details).toEqual([{ path: 'expiresAt', message: 'must be in the future' }]);
    const list = await execute(auth.context(people.admin, null), listApiKeys, { tenant: { id: a.id } });
    expect(list.find((k) => k.name === 'short lived')?.active).toBe(false);
  });

  test('last use is recorded, at most once a minute', async () => {
    const { key, secret } = await create(people.admin, { name: 'busy', role: 'viewer' });
    const lastUsed = async () =>
      (await execute(auth.context(people.admin, null), listApiKeys, { tenant: { id: a.id } })).find((k) => k.id === key.id)?.lastUsedAt;
    await auth.authenticateApiKey(bearer(secret));
    const first = clock.now().toISOString();
    expect(await lastUsed()).toBe(first);
    clock.advance(30_000);
    await auth.authenticateApiKey(bearer(secret));
    expect(await lastUsed()).toBe(first);
    clock.advance(31_000);
    await auth.authenticateApiKey(bearer(secret));
    expect(await lastUsed()).toBe(clock.now().toISOString());
  });

  test('a wrong secret with a real prefix, and malformed headers, are refused', async () => {
    const { secret } = await create(people.admin, { name: 'guessed', role: 'viewer' });
    const wrong = `${secret.slice(0, 16)}${'A'.repeat(43)}`;
    for (const header of [bearer(wrong), secret, `Basic ${secret}`, '', 'Bearer', `Bearer ${secret} extra`])
      expect(await auth.authenticateApiKey(header), header).toBeNull();
    expect(await auth.authenticateApiKey(`bearer   ${secret}`)).not.toBeNull();
  });

  test('platform keys: made by platform admins only, act on every tenant, listed and revoked by them', async () => {
    expect(await code(execute(auth.context(people.owner, null), createPlatformApiKey, { input: { name: 'nope' } }))).toBe('Forbidden');
    const { key, secret } = await execute(auth.context(platform, null), createPlatformApiKey, { input: { name: 'Agency automation' } });
    expect(key).toMatchObject({ scope: 'platform', role: null, createdBy: platform.email });
    const actor = (await auth.authenticateApiKey(bearer(secret)))!;
    expect(actor.grant).toEqual({ scope: 'platform' });
    expect((await execute(auth.context(actor, null), readTenant, { tenant: { id: b.id } })).id).toBe(b.id);
    expect((await execute(auth.context(actor, null), listAllTenants)).map((t) => t.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await execute(auth.context(platform, null), listPlatformApiKeys)).map((k) => k.id)).toContain(key.id);
    // A platform key's creation is in the platform trail.
    const trail = await withScope(dbs.admin, { platform: true }, (trx) =>
      trx.selectFrom('platform_audit_log').selectAll().where('action', '=', 'platform.apikey.create').execute(),
    );
    expect(trail.some((r) => (r.detail as { keyId?: string }).keyId === key.id)).toBe(true);
    await execute(auth.context(platform, null), revokeAnyApiKey, { input: { keyId: key.id } });
    expect(await auth.authenticateApiKey(bearer(secret))).toBeNull();
  });
});
