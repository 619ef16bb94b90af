import { afterAll, describe, expect, test } from 'vitest';
import { submitContact } from '../../src/forms/contact-submission.ts';
import { createAccountMail } from '../../src/mail/account-mail.ts';
import { createApiKey, revokeApiKey } from '../../src/operations/api-keys/tenant-api-keys.ts';
import { execute } from '../../src/operations/execute.ts';
import { inviteMember } from '../../src/operations/invitations/invite-member.ts';
import { addMember } from '../../src/operations/members/add-member.ts';
import { createPage } from '../../src/operations/pages/create-page.ts';
import { publishComposition } from '../../src/operations/pages/publish-composition.ts';
import { createPost } from '../../src/operations/posts/create-post.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { createTestUser, uniqueEmail } from '../support/accounts.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { mosaicError } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

const quiet = { info: () => {}, warn: () => {} };

describe('plan limits in the operations', () => {
  const dbs = openTestDatabases(2);
  const context = () => ({ ...testContext(dbs.app), mail: createAccountMail({ mailer: null, adminOrigin: 'https://admin.test', logger: quiet }) });
  /** A site on `plan` with some limits lowered for the test. */
  const siteWith = async (plan: 'free' | 'starter', limits: Record<string, number>) => {
    const site = await createTestTenant(dbs.admin, { plan });
    await dbs.admin.updateTable('tenants').set({ plan_overrides: JSON.stringify({ limits }) }).where('id', '=', site.id).execute();
    return site;
  };
  const on = (site: { id: string }, input: unknown) => ({ tenant: { id: site.id }, input });
  const rows = (site: { id: string }, table: 'pages' | 'posts' | 'api_keys' | 'invitations' | 'form_submissions') =>
    withTenant(dbs.admin, site.id, (trx) => trx.selectFrom(table).select('tenant_id').where('tenant_id', '=', site.id).execute()).then((r) => r.length);

  afterAll(() => dbs.close());

  test('pages: the one past the limit is refused with the limit, the plan and the plan that lifts it; nothing is written', async () => {
    const site = await siteWith('free', { pages: 2 });
    await execute(context(), createPage, on(site, { path: '/one' }));
    await execute(context(), createPage, on(site, { path: '/two' }));
    const error = await mosaicError(execute(context(), createPage, on(site, { path: '/three' })));
    expect(error.code).toBe('PlanLimitReached');
    expect(error.status).toBe(402);
    expect(error.message).toBe('The Free plan allows 2 pages; the Starter plan allows more.');
    expect(error.extensions).toEqual({ limit: 'pages', allowed: 2, plan: 'free', liftedBy: 'starter' });
    // Publishing a whole composition at a new path counts too; at an existing path it does not.
    const composition = (path: string) => ({ path, title: 'T', meta: { description: 'A page' }, sections: [{ type: 'hero', props: { title: 'Hi' } }] });
    expect((await mosaicError(execute(context(), publishComposition, on(site, { composition: composition('/four') })))).code).toBe('PlanLimitReached');
    expect(await rows(site, 'pages')).toBe(2);
    await execute(context(), publishComposition, on(site, { composition: composition('/one') }));
    expect(await rows(site, 'pages')).toBe(2);
  });

  test('the plain plan names the plan that lifts the limit', async () => {
    const site = await createTestTenant(dbs.admin, { plan: 'free' });
    for (let i = 0; i < 5; i++) await execute(context(), createPage, on(site, { path: `/p${i}` }));
    const error = await mosaicError(execute(context(), createPage, on(site, { path: '/p5' })));
    expect(error.message).toBe('The Free plan allows 5 pages; the Starter plan allows more.');
    expect(error.extensions).toMatchObject({ liftedBy: 'starter' });
  });

  test('two writers racing for the last page: exactly one wins', async () => {
    const site = await siteWith('starter', { pages: 1 });
    const results = await Promise.allSettled([
      execute(context(), createPage, on(site, { path: '/a' })),
      execute(context(), createPage, on(site, { path: '/b' })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await rows(site, 'pages')).toBe(1);
  });

  test('posts', async () => {
    const site = await siteWith('starter', { posts: 1 });
    await execute(context(), createPost, on(site, { slug: 'first', title: 'First' }));
    expect((await mosaicError(execute(context(), createPost, on(site, { slug: 'second', title: 'Second' })))).extensions).toMatchObject({ limit: 'posts', allowed: 1 });
    expect(await rows(site, 'posts')).toBe(1);
  });

  test('members: members and open invitations hold seats; a new invitation to the same address replaces its own', async () => {
    const site = await siteWith('starter', { members: 2 });
    const person = await createTestUser(dbs.admin);
    await execute(context(), addMember, on(site, { email: person.email, role: 'editor' }));
    const invited = uniqueEmail('seat');
    await execute(context(), inviteMember, on(site, { email: invited, role: 'viewer' }));
    await execute(context(), inviteMember, on(site, { email: invited, role: 'editor' }));
    const error = await mosaicError(execute(context(), inviteMember, on(site, { email: uniqueEmail('third'), role: 'viewer' })));
    expect(error.extensions).toMatchObject({ limit: 'members', allowed: 2 });
    const other = await createTestUser(dbs.admin);
    expect((await mosaicError(execute(context(), addMember, on(site, { email: other.email, role: 'viewer' })))).code).toBe('PlanLimitReached');
    expect(await rows(site, 'invitations')).toBe(2);
  });

  test('API keys: a plan without API access is refused by feature; revoked keys free their slot', async () => {
    const free = await createTestTenant(dbs.admin, { plan: 'free' });
    const missing = await mosaicError(execute(context(), createApiKey, on(free, { name: 'ci', role: 'editor' })));
    expect(missing.code).toBe('PlanFeatureMissing');
    expect(missing.extensions).toMatchObject({ feature: 'apiAccess', plan: 'free', liftedBy: 'starter' });

    const site = await siteWith('starter', { apiKeys: 1 });
    const first = await execute(context(), createApiKey, on(site, { name: 'one', role: 'editor' }));
    expect((await mosaicError(execute(context(), createApiKey, on(site, { name: 'two', role: 'editor' })))).extensions).toMatchObject({ limit: 'apiKeys' });
    await execute(context(), revokeApiKey, on(site, { keyId: first.key.id }));
    await execute(context(), createApiKey, on(site, { name: 'two', role: 'editor' }));
    expect(await rows(site, 'api_keys')).toBe(2);
  });

  test('form messages a day: past the quota nothing is stored until the next UTC day', async () => {
    const site = await createTestTenant(dbs.admin);
    const form = { name: 'Ann', email: 'ann@example.test', message: 'Hello', page: '/contact' };
    const noon = new Date('2026-11-20T12:00:00Z');
    expect(await submitContact(dbs.app, site.id, form, 2, noon)).toEqual({ status: 'sent', page: '/contact' });
    expect(await submitContact(dbs.app, site.id, form, 2, noon)).toEqual({ status: 'sent', page: '/contact' });
    expect(await submitContact(dbs.app, site.id, form, 2, noon)).toEqual({ status: 'over-limit', page: '/contact', retryAfter: 12 * 3600 });
    expect(await rows(site, 'form_submissions')).toBe(2);
    expect(await submitContact(dbs.app, site.id, form, 2, new Date('2026-11-21T00:00:01Z'))).toMatchObject({ status: 'sent' });
    expect(await submitContact(dbs.app, site.id, form, null, noon)).toMatchObject({ status: 'sent' });
  });
});
