import { afterAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { submitContact } from '../../src/forms/contact-submission.ts';
import { execute } from '../../src/operations/execute.ts';
import { createPage } from '../../src/operations/pages/create-page.ts';
import { listVersions } from '../../src/operations/pages/list-versions.ts';
import { cloneTenant } from '../../src/operations/tenants/clone-tenant.ts';
import { createTenant } from '../../src/operations/tenants/create-tenant.ts';
import { queryPublishedPage, queryTheme } from '../../src/site/site-queries.ts';
import { listBlueprints, loadBlueprint } from '../../src/tenants/blueprints.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { addMembership, createTestUser } from '../support/accounts.ts';
import { openTestDatabases, uniqueSlug } from '../support/databases.ts';
import { mosaicError } from '../support/operations.ts';
import { createTestMedia } from '../support/images.ts';
import { publishAs, testContext } from '../support/publish.ts';
import { postgresMediaStore, type MediaStore } from '../../src/media/media-store.ts';

describe('blueprints and clones', () => {
  const dbs = openTestDatabases(2);
  const platform = () => testContext(dbs.app);
  afterAll(() => dbs.close());

  const newSite = async (blueprintName: string, overrides: { plan?: 'free' | 'starter' | 'pro' } = {}) => {
    const blueprint = await loadBlueprint(blueprintName, catalog);
    const slug = uniqueSlug('bp');
    const input = {
      tenant: { slug, name: `From ${blueprintName}`, status: 'trial' as const, plan: overrides.plan ?? blueprint.plan, settings: blueprint.settings, domains: [], theme: blueprint.theme },
      posts: blueprint.posts,
      pages: blueprint.pages,
    };
    return { slug, blueprint, result: () => execute(platform(), createTenant, { input }) };
  };
  const countOf = (tenantId: string, table: 'pages' | 'posts' | 'form_submissions' | 'memberships' | 'domains') =>
    withTenant(dbs.admin, tenantId, (trx) => trx.selectFrom(table).select('tenant_id').where('tenant_id', '=', tenantId).execute()).then((r) => r.length);

  test('the blueprints are the blueprints/ folders and the demo sites, each valid', async () => {
    const all = await listBlueprints();
    expect(all).toEqual(expect.arrayContaining([{ name: 'local-business', dir: expect.any(String), kind: 'blueprint' }, expect.objectContaining({ name: 'clientsite', kind: 'demo' })]));
    // Each loads and checks cleanly (an invalid one would throw InvalidTenantFile, naming every problem).
    for (const { name } of all) expect((await loadBlueprint(name, catalog)).name).toBe(name);
    expect((await loadBlueprint('local-business', catalog)).pages).toHaveLength(2);
    expect((await mosaicError(loadBlueprint('no-such-blueprint', catalog))).code).toBe('NotFound');
  });

  test('a site from a blueprint has its pages published, its theme and its posts', async () => {
    const { slug, blueprint, result } = await newSite('local-business');
    const created = await result();
    expect(created.pages.sort()).toEqual(['/', '/contact']);
    const home = await queryPublishedPage(dbs.app, created.tenantId, '/');
    expect(home).toEqual(blueprint.pages.find((p) => (p as { path: string }).path === '/'));
    expect((await queryTheme(dbs.app, created.tenantId))?.preset).toBe(blueprint.theme.preset);
    expect(await countOf(created.tenantId, 'posts')).toBe(blueprint.posts.length);
    expect(slug).toBe(created.slug);
  });

  test('a blueprint with more pages than the plan allows leaves nothing', async () => {
    const { slug, result } = await newSite('clientsite', { plan: 'free' });
    const error = await mosaicError(result());
    expect(error.code).toBe('PlanLimitReached');
    expect(await dbs.admin.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirst()).toBeUndefined();
  });

  test('a clone copies published pages as new history, the theme and published posts; never drafts, messages, members or domains', async () => {
    const { result } = await newSite('local-business');
    const source = await result();
    // The source has history, a draft-only page, a message, a member and a domain: none of them travel.
    await execute(platform(), createPage, { tenant: { id: source.tenantId }, input: { path: '/draft-only' } });
    await submitContact(dbs.app, source.tenantId, { name: 'A', email: 'a@example.test', message: 'Hi', page: '/contact' });
    const member = await createTestUser(dbs.admin);
    await addMembership(dbs.admin, source.tenantId, member.userId, 'owner');

    const to = uniqueSlug('clone');
    const cloned = await execute(platform(), cloneTenant, { input: { from: source.slug, tenant: { slug: to, name: 'The Clone' } } });
    expect(cloned).toMatchObject({ slug: to, from: source.slug, created: true });
    expect(cloned.pages.sort()).toEqual(['/', '/contact']);
    for (const path of cloned.pages) expect(await queryPublishedPage(dbs.app, cloned.tenantId, path)).toEqual(await queryPublishedPage(dbs.app, source.tenantId, path));
    const page = (await withTenant(dbs.admin, cloned.tenantId, (trx) => trx.selectFrom('pages').select('id').where('tenant_id', '=', cloned.tenantId).where('path', '=', '/').executeTakeFirstOrThrow()));
    const versions = await execute(platform(), listVersions, { tenant: { id: cloned.tenantId }, input: { pageId: page.id } });
    expect(versions.items.map((v) => v.version)).toEqual([1]);
    expect(await countOf(cloned.tenantId, 'pages')).toBe(2);
    expect(await countOf(cloned.tenantId, 'posts')).toBe(await countOf(source.tenantId, 'posts'));
    expect(await countOf(cloned.tenantId, 'form_submissions')).toBe(0);
    expect(await countOf(cloned.tenantId, 'memberships')).toBe(0);
    expect(await countOf(cloned.tenantId, 'domains')).toBe(0);

    expect((await mosaicError(execute(platform(), cloneTenant, { input: { from: source.slug, tenant: { slug: to, name: 'Again' } } }))).code).toBe('Conflict');
    expect((await mosaicError(execute(platform(), cloneTenant, { input: { from: 'no-such-site', tenant: { slug: uniqueSlug('x'), name: 'X' } } }))).code).toBe('NotFound');
  });

  test('a clone copies the images its pages and theme show, with their bytes, under new ids its addresses follow; other images stay', async () => {
    const { result } = await newSite('local-business', { plan: 'pro' });
    const source = await result();
    const shown = await createTestMedia(dbs.admin, source.tenantId, { alt: 'On the team page', format: 'jpeg', width: 40, height: 30 });
    const logo = await createTestMedia(dbs.admin, source.tenantId, { alt: 'The logo' });
    await createTestMedia(dbs.admin, source.tenantId, { alt: 'Never shown' });
    const photo = `/_mosaic/media/${shown.id}/640.webp`;
    await publishAs(dbs.admin, source.tenantId, {
      path: '/team',
      title: 'Team',
      sections: [{ type: 'team', props: { title: 'Our team', members: [{ name: 'Ada', role: 'Owner', photo: { src: photo, alt: 'Ada' } }] } }],
    });
    await withTenant(dbs.admin, source.tenantId, (trx) => trx.updateTable('themes').set({ logo_url: `/_mosaic/media/${logo.id}/320.webp` }).where('tenant_id', '=', source.tenantId).execute());

    const cloned = await execute(platform(), cloneTenant, { input: { from: source.slug, tenant: { slug: uniqueSlug('clone-media'), name: 'With images' } } });
    expect(cloned.media).toBe(2);
    const library = (tenantId: string) =>
      withTenant(dbs.admin, tenantId, (trx) =>
        trx
          .selectFrom('media as m')
          .innerJoin('media_blobs as b', (join) => join.onRef('b.tenant_id', '=', 'm.tenant_id').onRef('b.media_id', '=', 'm.id'))
          .select(['m.id', 'm.alt', 'm.sha256', 'b.bytes'])
          .where('m.tenant_id', '=', tenantId)
          .orderBy('m.alt')
          .execute(),
      );
    const [from, copies] = await Promise.all([library(source.tenantId), library(cloned.tenantId)]);
    expect(copies.map((c) => c.alt)).toEqual(['On the team page', 'The logo']);
    for (const copy of copies) {
      const original = from.find((m) => m.alt === copy.alt)!;
      expect(copy.id).not.toBe(original.id);
      expect(copy.bytes.equals(original.bytes)).toBe(true);
      expect(copy.sha256).toBe(original.sha256);
    }
    const team = JSON.stringify(await queryPublishedPage(dbs.app, cloned.tenantId, '/team'));
    expect(team).toContain(`/_mosaic/media/${copies[0]!.id}/640.webp`);
    expect(team).not.toContain(shown.id);
    expect((await queryTheme(dbs.app, cloned.tenantId))?.logoUrl).toBe(`/_mosaic/media/${copies[1]!.id}/320.webp`);
  });

  test("a clone whose images exceed the new site's media storage is refused before any image bytes are read, and changes nothing", async () => {
    const { result } = await newSite('local-business', { plan: 'pro' });
    const source = await result();
    const big = await createTestMedia(dbs.admin, source.tenantId, { alt: 'Larger than the Starter plan holds' });
    // The plan counts the records' sizes: this one claims 1.5 GiB, past Starter's 1 GiB.
    await withTenant(dbs.admin, source.tenantId, (trx) => trx.updateTable('media').set({ byte_size: 1_610_612_736 }).where('id', '=', big.id).execute());
    await publishAs(dbs.admin, source.tenantId, {
      path: '/gallery',
      title: 'Gallery',
      sections: [{ type: 'team', props: { title: 'Us', members: [{ name: 'Ada', role: 'Owner', photo: { src: `/_mosaic/media/${big.id}/640.webp`, alt: 'Ada' } }] } }],
    });
    const bytesRead: string[] = [];
    const written: string[] = [];
    const mediaStore: MediaStore = {
      ...postgresMediaStore,
      get: (trx, tenantId, mediaId) => (bytesRead.push(mediaId), postgresMediaStore.get(trx, tenantId, mediaId)),
      put: (trx, tenantId, mediaId, bytes) => (written.push(mediaId), postgresMediaStore.put(trx, tenantId, mediaId, bytes)),
    };
    const slug = uniqueSlug('clone-big');
    const error = await mosaicError(execute({ ...platform(), mediaStore }, cloneTenant, { input: { from: source.slug, tenant: { slug, name: 'Too big', plan: 'starter' } } }));
    expect(error.code).toBe('PlanLimitReached');
    expect(error.extensions).toMatchObject({ limit: 'mediaBytes' });
    expect(bytesRead).toEqual([]);
    expect(written).toEqual([]);
    expect(await dbs.admin.selectFrom('tenants').select('id').where('slug', '=', slug).execute()).toEqual([]);
  });
});
