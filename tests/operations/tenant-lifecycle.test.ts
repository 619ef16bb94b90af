import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withScope } from '../../src/db/scope.ts';
import { runLifecycleSweep } from '../../src/jobs/lifecycle-sweep.ts';
import { execute } from '../../src/operations/execute.ts';
import { createPage } from '../../src/operations/pages/create-page.ts';
import { readMe } from '../../src/operations/me/read-me.ts';
import { listPages } from '../../src/operations/pages/list-pages.ts';
import { createPost } from '../../src/operations/posts/create-post.ts';
import {
  cancelTenant,
  deleteTenant,
  readTenantLifecycle,
  restoreTenant,
  resumeTenant,
  setTrial,
  suspendTenant,
} from '../../src/operations/tenants/tenant-lifecycle.ts';
import { listMyTenants } from '../../src/operations/tenants/list-tenants.ts';
import type { SiteChange } from '../../src/publishing/site-version.ts';
import { resolveSite } from '../../src/request/resolve-site.ts';
import { queryHost, queryTenant } from '../../src/site/site-queries.ts';
import type { SiteRepository } from '../../src/site/site-repository.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { auditOf, failure, mosaicError, roleActors, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

const DAY = 86_400_000;

describe('site life cycle', () => {
  const dbs = openTestDatabases(3);
  const notices: SiteChange[] = [];
  const platform = (clock?: () => Date) => testContext(dbs.app, { notify: async (change) => void notices.push(change), clock });
  const as = (actor: UserActor) => testContext(dbs.app, { actor });
  /** What a visitor's request for the site's platform address resolves to (no cache). */
  const visitorSees = async (slug: string) => {
    const repo = { findHost: (h: string | null, s: string | null) => queryHost(dbs.app, h, s), tenant: (id: string) => queryTenant(dbs.app, id) } as unknown as SiteRepository;
    return (await resolveSite(repo, { platformDomain: 'localhost', publicScheme: 'http' }, { host: `${slug}.localhost`, override: null, url: new URL('http://x/') })).kind;
  };
  let site: { id: string; slug: string };
  let users: Record<string, UserActor>;

  beforeAll(async () => {
    site = await createTestTenant(dbs.admin, { status: 'trial' });
    users = await roleActors(dbs.admin, site.id);
  });
  afterAll(() => dbs.close());

  test('a new trial ends after the default period', async () => {
    const view = await execute(platform(), readTenantLifecycle, { input: { slug: site.slug } });
    expect(view.phase).toBe('trial');
    const days = (Date.parse(view.trialEndsAt!) - Date.now()) / DAY;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
  });

  test('suspended: visitors get the 503 page, members may read but not write; resumed: back to normal', async () => {
    notices.length = 0;
    const suspended = await execute(platform(), suspendTenant, { input: { slug: site.slug } });
    expect(suspended).toMatchObject({ phase: 'suspended', changed: true });
    expect(notices).toEqual([expect.objectContaining({ tenantId: site.id, reason: 'lifecycle suspend', hostnames: [`${site.slug}.test`] })]);
    expect(await visitorSees(site.slug)).toBe('suspended');
    expect(await failure(execute(as(users.owner!), listPages, { tenant: { id: site.id }, input: {} }))).toBe('resolved');
    expect(await failure(execute(as(users.owner!), createPage, { tenant: { id: site.id }, input: { path: '/new' } }))).toBe('TenantReadOnly');
    // Suspending again changes nothing and writes nothing.
    const again = await execute(platform(), suspendTenant, { input: { slug: site.slug } });
    expect(again.changed).toBe(false);
    await execute(platform(), resumeTenant, { input: { slug: site.slug } });
    expect(await visitorSees(site.slug)).toBe('site');
    await execute(as(users.editor!), createPage, { tenant: { id: site.id }, input: { path: '/after-resume' } });
    const trail = (await auditOf(dbs.admin, site.id)).filter((r) => r.action !== 'platform.tenant.create' && r.action.startsWith('platform.tenant.'));
    expect(trail.map((r) => [r.action, r.before, r.after])).toEqual([
      ['platform.tenant.suspend', { '/phase': 'trial' }, { '/phase': 'suspended' }],
      ['platform.tenant.resume', { '/phase': 'suspended' }, { '/phase': 'active' }],
    ]);
  });

  test('only platform staff may change a life cycle; asking for the phase a site is in changes nothing', async () => {
    expect(await execute(platform(), resumeTenant, { input: { slug: site.slug } })).toMatchObject({ phase: 'active', changed: false });
    expect(await failure(execute(as(users.owner!), suspendTenant, { input: { slug: site.slug } }))).toBe('Forbidden');
    expect(await failure(execute(platform(), suspendTenant, { input: { slug: 'no-such-site' } }))).toBe('NotFound');
    expect(await failure(execute(platform(), suspendTenant, { input: { slug: 'Not A Slug' } }))).toBe('InvalidInput');
  });

  test('cancelled: visitors are told the site is gone (410); members read only', async () => {
    const other = await createTestTenant(dbs.admin);
    await execute(platform(), cancelTenant, { input: { slug: other.slug } });
    expect(await visitorSees(other.slug)).toBe('gone');
    const error = await mosaicError(execute(platform(), suspendTenant, { input: { slug: other.slug } }));
    expect(error.code).toBe('Conflict');
    expect(error.message).toMatch(/^A cancelled site cannot be suspended\./);
    expect(error.extensions).toEqual({ phase: 'cancelled' });
  });

  test('deleted: gone for visitors and members (not among their sites); restored: everything is back as it was', async () => {
    const other = await createTestTenant(dbs.admin);
    const owner = (await roleActors(dbs.admin, other.id)).owner!;
    /** The sites a member's lists name: their sites, and the memberships of who they are. */
    const listedTo = async (actor: UserActor) => ({
      mine: (await execute(as(actor), listMyTenants)).map((t) => t.slug),
      me: await execute(as(actor), readMe).then((me) => (me.kind === 'user' ? me.memberships.map((m) => m.slug) : [])),
    });
    await execute(as(owner), createPage, { tenant: { id: other.id }, input: { path: '/kept' } });
    expect(await listedTo(owner)).toEqual({ mine: [other.slug], me: [other.slug] });
    const deleted = await execute(platform(), deleteTenant, { input: { slug: other.slug } });
    expect(deleted).toMatchObject({ phase: 'deleted', status: 'active' });
    expect(await visitorSees(other.slug)).toBe('no-site');
    expect(await failure(execute(as(owner), listPages, { tenant: { id: other.id }, input: {} }))).toBe('NotFound');
    expect(await listedTo(owner)).toEqual({ mine: [], me: [] });
    expect(await failure(execute(platform(), suspendTenant, { input: { slug: other.slug } }))).toBe('Conflict');
    const restored = await execute(platform(), restoreTenant, { input: { slug: other.slug } });
    expect(restored).toMatchObject({ phase: 'active', deletedAt: null });
    expect(await visitorSees(other.slug)).toBe('site');
    const pages = await execute(as(owner), listPages, { tenant: { id: other.id }, input: {} });
    expect(pages.items.map((p) => p.path)).toContain('/kept');
    expect(await listedTo(owner)).toEqual({ mine: [other.slug], me: [other.slug] });
  });

  test('the sweep suspends ended trials and purges sites deleted longer ago than the retention, every row with them, recorded on the platform trail', async () => {
    const trial = await createTestTenant(dbs.admin);
    await execute(platform(), setTrial, { input: { slug: trial.slug, endsAt: new Date(Date.now() + DAY).toISOString() } });
    const doomed = await createTestTenant(dbs.admin);
    const owner = (await roleActors(dbs.admin, doomed.id)).owner!;
    await execute(as(owner), createPage, { tenant: { id: doomed.id }, input: { path: '/gone' } });
    await execute(as(owner), createPost, { tenant: { id: doomed.id }, input: { slug: 'gone', title: 'Gone' } });
    await execute(platform(), deleteTenant, { input: { slug: doomed.slug } });
    const recent = await createTestTenant(dbs.admin);
    await execute(platform(), deleteTenant, { input: { slug: recent.slug } });

    // Two days on: the trial has ended; with a one-day retention only sites deleted before yesterday go.
    const later = platform(() => new Date(Date.now() + 2 * DAY));
    const report = await runLifecycleSweep(later, { retentionDays: 1 });
    expect(report.suspended).toContain(trial.slug);
    expect(report.purged).toEqual(expect.arrayContaining([doomed.slug, recent.slug]));
    expect((await execute(platform(), readTenantLifecycle, { input: { slug: trial.slug } })).phase).toBe('suspended');
    for (const table of ['tenants', 'pages', 'page_versions', 'posts', 'memberships', 'audit_log', 'domains', 'themes'] as const) {
      const column = table === 'tenants' ? 'id' : 'tenant_id';
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${doomed.id}`.execute(dbs.admin);
      expect(rows[0]!.n, table).toBe(0);
    }
    const platformTrail = await dbs.admin.selectFrom('platform_audit_log').selectAll().where('action', '=', 'platform.tenant.purge').where('subject', '=', doomed.slug).execute();
    expect(platformTrail).toHaveLength(1);
    // A second sweep finds nothing more to do.
    expect(await runLifecycleSweep(later, { retentionDays: 1 })).toEqual({ suspended: [], purged: [] });
  });

  test('the database refuses to purge a site that was not deleted first, even in platform scope', async () => {
    const live = await createTestTenant(dbs.admin);
    const attempt = withScope(dbs.app, { platform: true }, (trx) => trx.deleteFrom('tenants').where('id', '=', live.id).execute());
    await expect(attempt).rejects.toThrow(/only a deleted site can be purged/);
    // Outside platform scope the row is not even visible to delete.
    const outside = await withScope(dbs.app, { tenantId: null }, (trx) => trx.deleteFrom('tenants').where('id', '=', live.id).executeTakeFirst());
    expect(Number(outside.numDeletedRows)).toBe(0);
  });
});
