import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execute } from '../../src/operations/execute.ts';
import type { Actor } from '../../src/operations/actor.ts';
import {
  changePath,
  createPage,
  deletePage,
  diffVersions,
  listPages,
  listVersions,
  publishPage,
  readPage,
  readVersion,
  restorePage,
  rollbackPage,
  saveDraft,
  unpublishPage,
} from '../../src/operations/pages/index.ts';
import type { SiteChange } from '../../src/publishing/site-version.ts';
import { queryPublishedPage } from '../../src/site/site-queries.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { auditOf, failure, mosaicError, roleActors, siteVersionOf, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

const hero = (title: string) => ({ type: 'hero', props: { title } });
const draft = (title: string, sections: object[] = [hero(title)]) => ({ title, meta: { description: `About ${title}` }, sections });

describe('page operations, on PostgreSQL as the app role', () => {
  const dbs = openTestDatabases(4);
  const notices: SiteChange[] = [];
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  let users: Record<string, UserActor>;

  const as = (actor: Actor) => testContext(dbs.app, { actor, notify: async (c) => void notices.push(c) });

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    other = await createTestTenant(dbs.admin);
    users = await roleActors(dbs.admin, tenant.id, other.id);
  });
  afterAll(() => dbs.close());

  async function newPage(path: string, title = 'Draft') {
    const page = await execute(as(users.editor!), createPage, { tenant: { id: tenant.id }, input: { path, title } });
    const saved = await execute(as(users.editor!), saveDraft, { tenant: { id: tenant.id }, input: { pageId: page.id, expectedRevision: page.draftRevision, draft: draft(title) } });
    return { ...page, draftRevision: saved.revision };
  }

  test('a new page is an unpublished draft; saving it changes nothing visitors see', async () => {
    const before = await siteVersionOf(dbs.admin, tenant.id);
    const created = await execute(as(users.editor!), createPage, { tenant: { id: tenant.id }, input: { path: '/fresh', title: 'Fresh' } });
    expect(created).toMatchObject({ path: '/fresh', title: 'Fresh', status: 'draft', draftRevision: 1, draftPending: false, published: null });
    const saved = await execute(as(users.editor!), saveDraft, {
      tenant: { id: tenant.id },
      input: { pageId: created.id, expectedRevision: 1, draft: draft('Fresh', [hero('Hello')]) },
    });
    expect(saved.revision).toBe(2);
    await execute(as(users.editor!), saveDraft, {
      tenant: { id: tenant.id },
      input: { pageId: created.id, expectedRevision: 2, draft: draft('Fresh', [hero('Goodbye')]) },
    });
    expect(await siteVersionOf(dbs.admin, tenant.id)).toBe(before);
    expect(await queryPublishedPage(dbs.app, tenant.id, '/fresh')).toBeNull();
    const audit = (await auditOf(dbs.admin, tenant.id)).filter((r) => r.action === 'page.save-draft' && r.subject === '/fresh');
    expect(audit).toHaveLength(2);
    expect(audit[1]).toMatchObject({ actor: users.editor!.email, actor_kind: 'user', detail: { pageId: created.id, revision: 3 } });
    // Only what changed is kept: the hero's title, not the whole draft.
    expect(audit[1]!.before).toEqual({ '/sections/0/props/title': 'Hello' });
    expect(audit[1]!.after).toEqual({ '/sections/0/props/title': 'Goodbye' });
  });

  test('a viewer cannot create or save; another tenant’s member gets NotFound; an editor can publish', async () => {
    const page = await newPage('/roles');
    const input = { pageId: page.id, expectedRevision: page.draftRevision, draft: draft('Nope') };
    expect(await failure(execute(as(users.viewer!), saveDraft, { tenant: { id: tenant.id }, input }))).toBe('Forbidden');
    expect(await failure(execute(as(users.viewer!), createPage, { tenant: { id: tenant.id }, input: { path: '/nope' } }))).toBe('Forbidden');
    expect(await failure(execute(as(users.outsider!), readPage, { tenant: { id: tenant.id }, input: { pageId: page.id } }))).toBe('NotFound');
    // Asking for this page in the outsider's own tenant finds nothing either.
    expect(await failure(execute(as(users.outsider!), readPage, { tenant: { id: other.id }, input: { pageId: page.id } }))).toBe('PageNotFound');
    const published = await execute(as(users.editor!), publishPage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    expect(published).toMatchObject({ path: '/roles', version: 1 });
    expect((await queryPublishedPage(dbs.app, tenant.id, '/roles'))?.title).toBe('Draft');
  });

  test('two writers on one revision: one is refused with the other’s draft, and nothing is lost', async () => {
    const page = await newPage('/shared');
    const base = { pageId: page.id, expectedRevision: page.draftRevision };
    const results = await Promise.allSettled([
      execute(as(users.editor!), saveDraft, { tenant: { id: tenant.id }, input: { ...base, draft: draft('Alice’s words') } }),
      execute(as(users.admin!), saveDraft, { tenant: { id: tenant.id }, input: { ...base, draft: draft('Bob’s words') } }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = lost[0]!.reason as { code: string; extensions: { current: { revision: number; draft: { title: string } } } };
    expect(error.code).toBe('PreconditionFailed');
    const stored = await execute(as(users.viewer!), readPage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    // The refused writer is handed exactly what is stored, so they can merge and save again.
    expect(error.extensions.current).toMatchObject({ revision: stored.draftRevision, draft: { title: stored.draft.title } });
    const loserTitle = stored.draft.title === 'Alice’s words' ? 'Bob’s words' : 'Alice’s words';
    const retried = await execute(as(users.editor!), saveDraft, {
      tenant: { id: tenant.id },
      input: { pageId: page.id, expectedRevision: error.extensions.current.revision, draft: draft(`${stored.draft.title} + ${loserTitle}`) },
    });
    expect(retried.revision).toBe(stored.draftRevision + 1);
  });

  test('publishing validates the draft fully, naming every problem; nothing changes', async () => {
    const page = await newPage('/invalid');
    const saved = await execute(as(users.editor!), saveDraft, {
      tenant: { id: tenant.id },
      input: {
        pageId: page.id,
        expectedRevision: page.draftRevision,
        draft: { title: '', sections: [{ type: 'hero', props: {} }, { type: 'cta', props: { title: 'x', action: { label: 'Go', href: 'javascript:x' } } }, { type: 'nope' }] },
      },
    });
    const before = await siteVersionOf(dbs.admin, tenant.id);
    const error = await mosaicError(execute(as(users.editor!), publishPage, { tenant: { id: tenant.id }, input: { pageId: page.id } }));
    expect(error.code).toBe('InvalidComposition');
    expect(error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['title', 'sections[0].props.title', 'sections[1].props.action.href', 'sections[2].type']),
    );
    expect(await siteVersionOf(dbs.admin, tenant.id)).toBe(before);
    const view = await execute(as(users.viewer!), readPage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    expect(view).toMatchObject({ status: 'draft', draftRevision: saved.revision, published: null });
  });

  test('saving a draft refuses a malformed one, listing every path, and text PostgreSQL cannot store', async () => {
    const page = await newPage('/shape');
    const error = await mosaicError(
      execute(as(users.editor!), saveDraft, {
        tenant: { id: tenant.id },
        input: { pageId: page.id, expectedRevision: page.draftRevision, draft: { title: 'x'.repeat(200), sections: [{ props: {} }, { type: 'hero', props: 'no' }], extra: 1 } },
      }),
    );
    expect(error.code).toBe('InvalidInput');
    expect(error.details.map((d) => d.path).sort()).toEqual(['draft', 'draft.sections[0].type', 'draft.sections[1].props', 'draft.title']);
    const nul = await mosaicError(
      execute(as(users.editor!), saveDraft, { tenant: { id: tenant.id }, input: { pageId: page.id, expectedRevision: page.draftRevision, draft: draft('A\u0000') } }),
    );
    expect(nul.details.map((d) => d.path)).toContain('draft.title');
    expect((await execute(as(users.viewer!), readPage, { tenant: { id: tenant.id }, input: { pageId: page.id } })).draftRevision).toBe(page.draftRevision);
  });

  test('publish, then edit: visitors keep the published version, the page shows a pending draft', async () => {
    const page = await newPage('/pending', 'First');
    const siteBefore = await siteVersionOf(dbs.admin, tenant.id);
    notices.length = 0;
    const v1 = await execute(as(users.editor!), publishPage, { tenant: { id: tenant.id }, input: { pageId: page.id, expectedRevision: page.draftRevision } });
    expect(v1.siteVersion).toBe(siteBefore + 1);
    expect(notices).toEqual([expect.objectContaining({ tenantId: tenant.id, siteVersion: v1.siteVersion })]);
    await execute(as(users.editor!), saveDraft, { tenant: { id: tenant.id }, input: { pageId: page.id, expectedRevision: page.draftRevision, draft: draft('Second') } });
    expect((await queryPublishedPage(dbs.app, tenant.id, '/pending'))?.title).toBe('First');
    const view = await execute(as(users.viewer!), readPage, { tenant: { id: tenant.id }, input: { path: '/pending' } });
    expect(view).toMatchObject({ status: 'published', draftPending: true, publishedVersion: 1, draft: { title: 'Second' } });
    expect(view.published).toMatchObject({ version: 1, composition: { title: 'First' }, publishedBy: users.editor!.email });
    // Publishing a revision that is no longer the draft's is refused.
    expect(await failure(execute(as(users.editor!), publishPage, { tenant: { id: tenant.id }, input: { pageId: page.id, expectedRevision: page.draftRevision } }))).toBe(
      'PreconditionFailed',
    );
    const v2 = await execute(as(users.editor!), publishPage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    expect(v2.version).toBe(2);
    expect((await execute(as(users.viewer!), readPage, { tenant: { id: tenant.id }, input: { pageId: page.id } })).draftPending).toBe(false);
    const audit = (await auditOf(dbs.admin, tenant.id)).filter((r) => r.action === 'page.publish' && r.subject === '/pending');
    expect(audit.map((r) => r.after)).toEqual([{ '/version': 1 }, { '/version': 2 }]);
  });

  test('versions, one version, a structured diff, and rollback', async () => {
    const page = await newPage('/history', 'One');
    await execute(as(users.editor!), publishPage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    await execute(as(users.editor!), saveDraft, {
      tenant: { id: tenant.id },
      input: { pageId: page.id, expectedRevision: page.draftRevision, draft: draft('Two', [{ type: 'cta', props: { title: 'Buy', action: { label: 'Go', href: '/go' } } }, hero('Two')]) },
    });
    await execute(as(users.admin!), publishPage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    const versions = await execute(as(users.viewer!), listVersions, { tenant: { id: tenant.id }, input: { pageId: page.id, limit: 1 } });
    expect(versions.items).toEqual([expect.objectContaining({ version: 2, createdBy: users.admin!.email, published: true })]);
    const older = await execute(as(users.viewer!), listVersions, { tenant: { id: tenant.id }, input: { pageId: page.id, limit: 1, cursor: versions.nextCursor! } });
    expect(older).toEqual({ items: [expect.objectContaining({ version: 1, createdBy: users.editor!.email, published: false })], nextCursor: null });
    expect((await execute(as(users.viewer!), readVersion, { tenant: { id: tenant.id }, input: { pageId: page.id, version: 1 } })).composition).toMatchObject({ title: 'One' });
    const diff = await execute(as(users.viewer!), diffVersions, { tenant: { id: tenant.id }, input: { pageId: page.id, from: 1, to: 2 } });
    expect(diff.fields).toEqual(
      expect.arrayContaining([
        { path: 'title', change: 'changed', before: 'One', after: 'Two' },
        { path: 'meta.description', change: 'changed', before: 'About One', after: 'About Two' },
      ]),
    );
    expect(diff.sections).toEqual([
      { change: 'modified', type: 'hero', from: 0, to: 1, moved: false, props: [{ path: 'title', change: 'changed', before: 'One', after: 'Two' }] },
      { change: 'added', type: 'cta', to: 0 },
    ]);
    const back = await execute(as(users.editor!), rollbackPage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    expect(back.version).toBe(1);
    expect((await queryPublishedPage(dbs.app, tenant.id, '/history'))?.title).toBe('One');
    expect(await failure(execute(as(users.editor!), rollbackPage, { tenant: { id: tenant.id }, input: { pageId: page.id, version: 9 } }))).toBe('UnknownPageVersion');
    expect(await failure(execute(as(users.viewer!), rollbackPage, { tenant: { id: tenant.id }, input: { pageId: page.id } }))).toBe('Forbidden');
  });

  test('unpublish and delete take a page off the site; only a platform admin restores it', async () => {
    const page = await newPage('/gone', 'Gone');
    await execute(as(users.editor!), publishPage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    await execute(as(users.editor!), unpublishPage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    expect(await queryPublishedPage(dbs.app, tenant.id, '/gone')).toBeNull();
    expect(await failure(execute(as(users.editor!), unpublishPage, { tenant: { id: tenant.id }, input: { pageId: page.id } }))).toBe('Conflict');
    expect(await failure(execute(as(users.owner!), restorePage, { tenant: { id: tenant.id }, input: { pageId: page.id } }))).toBe('Forbidden');
    await execute(as(users.platform!), restorePage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    expect((await queryPublishedPage(dbs.app, tenant.id, '/gone'))?.title).toBe('Gone');

    const before = await siteVersionOf(dbs.admin, tenant.id);
    await execute(as(users.editor!), deletePage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    expect(await siteVersionOf(dbs.admin, tenant.id)).toBe(before + 1);
    expect(await queryPublishedPage(dbs.app, tenant.id, '/gone')).toBeNull();
    expect(await failure(execute(as(users.editor!), readPage, { tenant: { id: tenant.id }, input: { path: '/gone' } }))).toBe('PageNotFound');
    const listed = await execute(as(users.viewer!), listPages, { tenant: { id: tenant.id }, input: { state: 'deleted' } });
    expect(listed.items.map((p) => p.id)).toContain(page.id);

    // Its path is free meanwhile; a restore then finds it taken and changes nothing.
    const squatter = await newPage('/gone', 'Squatter');
    expect(await failure(execute(as(users.platform!), restorePage, { tenant: { id: tenant.id }, input: { pageId: page.id } }))).toBe('Conflict');
    await execute(as(users.editor!), deletePage, { tenant: { id: tenant.id }, input: { pageId: squatter.id } });
    const restored = await execute(as(users.platform!), restorePage, { tenant: { id: tenant.id }, input: { pageId: page.id } });
    expect(restored).toMatchObject({ status: 'published', publishedVersion: 1 });
    expect((await queryPublishedPage(dbs.app, tenant.id, '/gone'))?.title).toBe('Gone');
    const audit = (await auditOf(dbs.admin, tenant.id)).filter((r) => r.action === 'page.restore');
    expect(audit.at(-1)).toMatchObject({ actor: users.platform!.email, subject: '/gone' });
  });

  test('changing a path refuses one that is taken and moves a published page for visitors', async () => {
    const a = await newPage('/move-a', 'A');
    await newPage('/move-b', 'B');
    await execute(as(users.editor!), publishPage, { tenant: { id: tenant.id }, input: { pageId: a.id } });
    const taken = await mosaicError(execute(as(users.editor!), changePath, { tenant: { id: tenant.id }, input: { pageId: a.id, path: '/move-b' } }));
    expect(taken.code).toBe('Conflict');
    expect(taken.details).toEqual([{ path: 'path', message: expect.stringContaining('/move-b') }]);
    expect(await failure(execute(as(users.editor!), changePath, { tenant: { id: tenant.id }, input: { pageId: a.id, path: 'no-slash' } }))).toBe('InvalidInput');
    const moved = await execute(as(users.editor!), changePath, { tenant: { id: tenant.id }, input: { pageId: a.id, path: '/moved' } });
    expect(moved.path).toBe('/moved');
    expect(await queryPublishedPage(dbs.app, tenant.id, '/move-a')).toBeNull();
    expect((await queryPublishedPage(dbs.app, tenant.id, '/moved'))?.title).toBe('A');
  });

  test('creating from another page copies its draft; a taken path is a Conflict', async () => {
    const source = await newPage('/template', 'Template');
    const copy = await execute(as(users.editor!), createPage, { tenant: { id: tenant.id }, input: { path: '/copy', fromPageId: source.id, title: 'Copy' } });
    expect(copy.draft).toMatchObject({ title: 'Copy', sections: [hero('Template')] });
    expect(await failure(execute(as(users.editor!), createPage, { tenant: { id: tenant.id }, input: { path: '/copy' } }))).toBe('Conflict');
  });

  test('lists pages by path a page at a time, with search and states', async () => {
    for (const path of ['/list/a', '/list/b', '/list/c']) await newPage(path, `Listed ${path.slice(-1)}`);
    const first = await execute(as(users.viewer!), listPages, { tenant: { id: tenant.id }, input: { search: 'listed', limit: 2 } });
    expect(first.items.map((p) => p.path)).toEqual(['/list/a', '/list/b']);
    const rest = await execute(as(users.viewer!), listPages, { tenant: { id: tenant.id }, input: { search: 'listed', limit: 2, cursor: first.nextCursor! } });
    expect(rest).toEqual({ items: [expect.objectContaining({ path: '/list/c', status: 'draft' })], nextCursor: null });
    const bySearch = await execute(as(users.viewer!), listPages, { tenant: { id: tenant.id }, input: { search: '/list/b' } });
    expect(bySearch.items.map((p) => p.path)).toEqual(['/list/b']);
    const pending = await execute(as(users.viewer!), listPages, { tenant: { id: tenant.id }, input: { state: 'draft-pending' } });
    expect(pending.items.every((p) => p.status === 'published' && p.draftPending)).toBe(true);
    // Rolled back to version 1 while the draft is at its latest revision.
    expect(pending.items.map((p) => p.path)).toContain('/history');
    expect(pending.items.map((p) => p.path)).not.toContain('/pending');
    expect(await failure(execute(as(users.viewer!), listPages, { tenant: { id: tenant.id }, input: { cursor: 'not-a-cursor' } }))).toBe('InvalidInput');
    // A wildcard typed by a person matches itself.
    expect((await execute(as(users.viewer!), listPages, { tenant: { id: tenant.id }, input: { search: '%' } })).items).toEqual([]);
    // The other tenant's pages never show.
    const theirs = await execute(as(users.outsider!), listPages, { tenant: { id: other.id }, input: {} });
    expect(theirs.items.filter((p) => p.path.startsWith('/list'))).toEqual([]);
  });

  test('a suspended site is read-only for its members', async () => {
    const suspended = await createTestTenant(dbs.admin, { status: 'suspended' });
    const owner = (await roleActors(dbs.admin, suspended.id)).owner;
    expect(await failure(execute(as(owner), createPage, { tenant: { id: suspended.id }, input: { path: '/x' } }))).toBe('TenantReadOnly');
    expect((await execute(as(owner), listPages, { tenant: { id: suspended.id }, input: {} })).items).toEqual([]);
  });
});
