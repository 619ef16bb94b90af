import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { catalog } from '../../registry/catalog.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { isMosaicError, type ErrorName } from '../../src/errors/catalog.ts';
import type { Actor } from '../../src/operations/actor.ts';
import { execute } from '../../src/operations/execute.ts';
import { defineOperation, type OperationContext } from '../../src/operations/operation.ts';
import { listAllTenants, listMyTenants } from '../../src/operations/tenants/list-tenants.ts';
import { readTenant } from '../../src/operations/tenants/read-tenant.ts';
import { updateTenant } from '../../src/operations/tenants/update-tenant.ts';
import type { SiteChange } from '../../src/publishing/site-version.ts';
import { addMembership, createTestUser } from '../support/accounts.ts';
import { createTestTenant, lockHolder, openTestDatabases } from '../support/databases.ts';

describe('the operations runner, on PostgreSQL as the app role', () => {
  const dbs = openTestDatabases(4);
  const notices: SiteChange[] = [];
  let a: { id: string; slug: string };
  let b: { id: string; slug: string };
  const users: Record<string, Extract<Actor, { kind: 'user' }>> = {};

  const context = (actor: Actor): OperationContext => ({
    db: dbs.app,
    actor,
    clock: () => new Date('2026-11-25T10:00:00Z'),
    notify: async (change) => void notices.push(change),
    registry: catalog,
    logger: { warn: () => {} },
    clientAddress: '203.0.113.7',
  });
  const failure = async (promise: Promise<unknown>): Promise<ErrorName | string> => {
    try {
      await promise;
      return 'resolved';
    } catch (error) {
      return isMosaicError(error) ? error.code : String(error);
    }
  };
  const auditRows = (tenantId: string) =>
    withTenant(dbs.admin, tenantId, (trx) => trx.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute());

  beforeAll(async () => {
    a = await createTestTenant(dbs.admin);
    b = await createTestTenant(dbs.admin);
    for (const role of ['owner', 'admin', 'editor', 'viewer'] as const) {
      users[role] = await createTestUser(dbs.admin);
      await addMembership(dbs.admin, a.id, users[role].userId, role);
    }
    users.outsider = await createTestUser(dbs.admin);
    await addMembership(dbs.admin, b.id, users.outsider.userId, 'owner');
    users.platform = await createTestUser(dbs.admin, { platformAdmin: true });
  });
  afterAll(() => dbs.close());

  test('a member reads their site; a non-member gets NotFound, not Forbidden', async () => {
    const view = await execute(context(users.viewer!), readTenant, { tenant: { slug: a.slug } });
    expect(view).toMatchObject({ id: a.id, slug: a.slug, domains: [{ hostname: `${a.slug}.test`, primary: true }] });
    expect(await failure(execute(context(users.outsider!), readTenant, { tenant: { slug: a.slug } }))).toBe('NotFound');
    expect(await failure(execute(context(users.outsider!), readTenant, { tenant: { slug: 'no-such-site' } }))).toBe('NotFound');
  });

  test("a change waits for its site's row before its body runs; a read, a refusal and another site do not", async () => {
    const ran: string[] = [];
    const touch = defineOperation({
      name: 'test.touch',
      scope: 'tenant',
      action: 'page.publish',
      mutates: true,
      input: z.strictObject({}),
      async run(tx) {
        ran.push(tx.tenant!.slug);
        tx.noChange();
      },
    });
    let changing: Promise<unknown> | undefined;
    await dbs.admin.transaction().execute(async (trx) => {
      await trx.selectFrom('tenants').select('id').where('id', '=', a.id).forNoKeyUpdate().execute();
      const holder = await lockHolder(trx, dbs.admin);
      changing = execute(context(users.editor!), touch, { tenant: { id: a.id } });
      await holder.blocking(1);
      expect(ran).toEqual([]);
      // Reads, refusals and other sites go on meanwhile.
      expect((await execute(context(users.viewer!), readTenant, { tenant: { id: a.id } })).id).toBe(a.id);
      expect(await failure(execute(context(users.viewer!), touch, { tenant: { id: a.id } }))).toBe('Forbidden');
      await execute(context(users.outsider!), touch, { tenant: { id: b.id } });
      expect(ran).toEqual([b.slug]);
    });
    await changing;
    expect(ran).toEqual([b.slug, a.slug]);
  });

  test('a role without the permission gets Forbidden and changes nothing', async () => {
    expect(await failure(execute(context(users.editor!), updateTenant, { tenant: { id: a.id }, input: { name: 'Nope' } }))).toBe('Forbidden');
    const view = await execute(context(users.owner!), readTenant, { tenant: { id: a.id } });
    expect(view.name).toBe(`Tenant ${a.slug}`);
  });

  test('a change is audited with actor, address and only what changed, and announced after the commit', async () => {
    notices.length = 0;
    const result = await execute(context(users.admin!), updateTenant, { tenant: { slug: a.slug }, input: { name: 'Renamed site' } });
    expect(result.name).toBe('Renamed site');
    expect(notices).toEqual([{ tenantId: a.id, siteVersion: result.siteVersion, reason: 'tenant settings', noticeId: expect.any(String) }]);
    // The notice was recorded with the change, so a crash before delivery cannot lose it.
    const outbox = await dbs.admin.selectFrom('change_outbox').select('site_version').where('id', '=', notices[0]!.noticeId!).execute();
    expect(outbox.map((o) => Number(o.site_version))).toEqual([result.siteVersion]);
    const last = (await auditRows(a.id)).at(-1)!;
    expect(last).toMatchObject({
      action: 'tenant.update',
      subject: a.slug,
      actor: users.admin!.email,
      actor_kind: 'user',
      actor_id: users.admin!.userId,
      client_address: '203.0.113.7',
      before: { '/name': `Tenant ${a.slug}` },
      after: { '/name': 'Renamed site' },
    });
  });

  test('invalid input lists every problem by path and changes nothing', async () => {
    const error = await execute(context(users.owner!), updateTenant, { tenant: { id: a.id }, input: { name: '', settings: 'x', extra: 1 } }).catch((e: unknown) => e);
    expect(isMosaicError(error) && error.code).toBe('InvalidInput');
    const paths = isMosaicError(error) ? error.details.map((d) => d.path).sort() : [];
    expect(paths).toEqual(['(root)', 'name', 'settings']);
    const nul = await execute(context(users.owner!), updateTenant, { tenant: { id: a.id }, input: { name: 'A\u0000B' } }).catch((e: unknown) => e);
    expect(isMosaicError(nul) ? nul.details : []).toEqual([{ path: 'name', message: expect.stringMatching(/cannot be stored/) }]);
  });

  test('an operation that fails after writing rolls back: no change, no audit, no notice', async () => {
    const failing = defineOperation({
      name: 'test.fail-late',
      scope: 'tenant',
      action: 'tenant.update',
      mutates: true,
      input: z.object({}),
      async run(tx) {
        await tx.trx.updateTable('tenants').set({ name: 'Half done' }).where('id', '=', tx.tenant!.id).execute();
        await tx.audit({ subject: 'x' });
        await tx.siteChanged('never');
        throw new Error('boom');
      },
    });
    notices.length = 0;
    const before = (await auditRows(a.id)).length;
    expect(await failure(execute(context(users.owner!), failing, { tenant: { id: a.id } }))).toBe('Error: boom');
    expect((await execute(context(users.owner!), readTenant, { tenant: { id: a.id } })).name).not.toBe('Half done');
    expect((await auditRows(a.id)).length).toBe(before);
    expect(notices).toEqual([]);
  });

  test('a change without an audit record is refused and rolled back', async () => {
    const silent = defineOperation({
      name: 'test.silent',
      scope: 'tenant',
      action: 'tenant.update',
      mutates: true,
      input: z.object({}),
      async run(tx) {
        await tx.trx.updateTable('tenants').set({ name: 'Silent' }).where('id', '=', tx.tenant!.id).execute();
      },
    });
    expect(await failure(execute(context(users.owner!), silent, { tenant: { id: a.id } }))).toMatch(/without an audit record/);
    expect((await execute(context(users.owner!), readTenant, { tenant: { id: a.id } })).name).not.toBe('Silent');
  });

  test('row-level security holds inside an operation even when its query forgets the tenant', async () => {
    const careless = defineOperation({
      name: 'test.careless',
      scope: 'tenant',
      action: 'tenant.read',
      mutates: false,
      input: z.object({}),
      run: async ({ trx }) => ({
        tenants: await trx.selectFrom('tenants').select('id').execute(),
        members: await trx.selectFrom('memberships').select('tenant_id').execute(),
      }),
    });
    const seen = await execute(context(users.viewer!), careless, { tenant: { id: a.id } });
    expect(seen.tenants.map((t) => t.id)).toEqual([a.id]);
    expect(new Set(seen.members.map((m) => m.tenant_id))).toEqual(new Set([a.id]));
  });

  test('API keys act within their grant; another tenant is NotFound', async () => {
    const key = (tenantId: string, role: 'viewer' | 'admin'): Actor => ({ kind: 'api-key', keyId: 'k1', label: 'mk_test', grant: { scope: 'tenant', tenantId, role } });
    expect((await execute(context(key(a.id, 'viewer')), readTenant, { tenant: { id: a.id } })).id).toBe(a.id);
    expect(await failure(execute(context(key(b.id, 'admin')), readTenant, { tenant: { id: a.id } }))).toBe('NotFound');
    expect(await failure(execute(context(key(a.id, 'viewer')), updateTenant, { tenant: { id: a.id }, input: { name: 'x' } }))).toBe('Forbidden');
  });

  test('platform operations are for platform actors only', async () => {
    expect(await failure(execute(context(users.owner!), listAllTenants))).toBe('Forbidden');
    const all = await execute(context(users.platform!), listAllTenants);
    expect(all.map((t) => t.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await execute(context(users.platform!), readTenant, { tenant: { id: b.id } })).id).toBe(b.id);
  });

  test('a user lists only the sites they are a member of, with their role', async () => {
    const mine = await execute(context(users.editor!), listMyTenants);
    expect(mine).toEqual([{ id: a.id, slug: a.slug, name: expect.any(String), status: 'active', role: 'editor' }]);
  });

  test('a suspended site is read-only for its members but not for platform admins', async () => {
    const c = await createTestTenant(dbs.admin, { status: 'suspended' });
    await addMembership(dbs.admin, c.id, users.owner!.userId, 'owner');
    expect((await execute(context(users.owner!), readTenant, { tenant: { id: c.id } })).status).toBe('suspended');
    expect(await failure(execute(context(users.owner!), updateTenant, { tenant: { id: c.id }, input: { name: 'x' } }))).toBe('TenantReadOnly');
    expect((await execute(context(users.platform!), updateTenant, { tenant: { id: c.id }, input: { name: 'Fixed' } })).name).toBe('Fixed');
  });

  test('audit records cannot be changed, even by the owner connection', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x' WHERE tenant_id = ${a.id}`.execute(dbs.admin)).rejects.toThrow(/append-only/);
  });
});
