import { afterAll, describe, expect, test } from 'vitest';
import { execute, type JoinedTransaction } from '../../src/operations/execute.ts';
import { createTenant } from '../../src/operations/tenants/create-tenant.ts';
import { replaceTenant } from '../../src/operations/tenants/replace-tenant.ts';
import { readTenant } from '../../src/operations/tenants/read-tenant.ts';
import type { SiteChange } from '../../src/publishing/site-version.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';
import { createTestUser } from '../support/accounts.ts';
import { openTestDatabases, uniqueSlug } from '../support/databases.ts';
import { auditOf, failure, mosaicError } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

const definition = (slug: string, extra: object = {}) => ({
  tenant: {
    slug,
    name: `Site ${slug}`,
    status: 'trial',
    plan: 'free',
    domains: [{ hostname: `${slug}.example`, primary: true, verified: true }],
    theme: { preset: 'ocean', overrides: {} },
    ...extra,
  },
  posts: [{ slug: 'welcome', title: 'Welcome', excerpt: '', body: 'Hi', author: null, publishedAt: '2026-01-01T00:00:00Z' }],
});

describe('provisioning as platform operations, as the app role', () => {
  const dbs = openTestDatabases(2);
  afterAll(() => dbs.close());

  test('a platform admin creates a site with its domains, theme and posts; the trail and the routing change', async () => {
    const platform = await createTestUser(dbs.admin, { platformAdmin: true });
    const notices: SiteChange[] = [];
    const slug = uniqueSlug('prov');
    const created = await execute(testContext(dbs.app, { actor: platform, notify: async (c) => void notices.push(c) }), createTenant, { input: definition(slug) });
    expect(created).toMatchObject({ slug, created: true, hostnames: [`${slug}.example`] });
    expect(await findTenantId(dbs.app, slug)).toBe(created.tenantId);
    expect(notices).toEqual([expect.objectContaining({ tenantId: created.tenantId, hostnames: [`${slug}.example`], noticeId: expect.any(String) })]);
    const view = await execute(testContext(dbs.app, { actor: platform }), readTenant, { tenant: { slug } });
    expect(view).toMatchObject({ status: 'trial', domains: [{ hostname: `${slug}.example`, primary: true, verified: true }] });
    expect((await auditOf(dbs.admin, created.tenantId)).map((r) => [r.action, r.actor])).toEqual([['platform.tenant.create', platform.email]]);

    const replaced = await execute(testContext(dbs.app, { actor: platform }), replaceTenant, { input: definition(slug, { status: 'active', plan: 'pro', domains: [] }) });
    expect(replaced).toMatchObject({ created: false, hostnames: [`${slug}.example`] });
    expect(await execute(testContext(dbs.app, { actor: platform }), readTenant, { tenant: { slug } })).toMatchObject({ status: 'active', plan: 'pro', domains: [] });
    expect(await failure(execute(testContext(dbs.app, { actor: platform }), createTenant, { input: definition(slug) }))).toBe('Conflict');
  });

  test('a tenant owner is not a platform admin; bad definitions and taken domains are refused before anything is written', async () => {
    const member = await createTestUser(dbs.admin);
    const slug = uniqueSlug('prov');
    expect(await failure(execute(testContext(dbs.app, { actor: member }), createTenant, { input: definition(slug) }))).toBe('Forbidden');
    const cli = testContext(dbs.app);
    const bad = await mosaicError(execute(cli, createTenant, { input: definition(slug, { theme: { preset: 'neon', overrides: {} } }) }));
    expect(bad.details).toEqual([{ path: 'tenant.theme.preset', message: expect.stringContaining('neon') }]);
    const taken = await mosaicError(execute(cli, createTenant, { input: definition(slug, { domains: [{ hostname: 'codersinflow.com', verified: true }] }) }));
    expect(taken.code).toBe('DomainUnavailable');
    const platformName = await mosaicError(execute(cli, createTenant, { input: definition(slug, { domains: [{ hostname: 'shop.localhost' }] }) }));
    expect(platformName.code).toBe('DomainUnavailable');
    expect(await findTenantId(dbs.admin, slug)).toBeNull();
  });

  test('inside a caller’s transaction: checked the same, announced by no one until the caller commits', async () => {
    const slug = uniqueSlug('joined');
    const member = await createTestUser(dbs.admin);
    const announced: SiteChange[] = [];
    const context = testContext(dbs.admin, { notify: async (c) => void announced.push(c) });
    await dbs.admin
      .transaction()
      .execute(async (trx) => {
        const joined: JoinedTransaction = { trx, pendingChanges: [] };
        expect(await failure(execute(testContext(dbs.admin, { actor: member }), createTenant, { input: definition(slug) }, joined))).toBe('Forbidden');
        const created = await execute(context, createTenant, { input: definition(slug) }, joined);
        expect(joined.pendingChanges).toEqual([expect.objectContaining({ tenantId: created.tenantId })]);
        // Seen inside the transaction, by slug too.
        expect((await execute(context, readTenant, { tenant: { slug } }, joined)).id).toBe(created.tenantId);
        throw new Error('roll back');
      })
      .catch((error: Error) => expect(error.message).toBe('roll back'));
    expect(announced).toEqual([]);
    expect(await findTenantId(dbs.admin, slug)).toBeNull();
  });
});
