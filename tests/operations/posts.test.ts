import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execute } from '../../src/operations/execute.ts';
import { createPost, deletePost, listPosts, readPost, schedulePost, updatePost } from '../../src/operations/posts/index.ts';
import { queryLatestPosts, queryPost } from '../../src/site/site-queries.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { auditOf, failure, mosaicError, roleActors, siteVersionOf, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

describe('post operations', () => {
  const dbs = openTestDatabases(2);
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  let users: Record<string, UserActor>;
  const as = (actor: UserActor) => testContext(dbs.app, { actor });
  const call = <I>(input: I) => ({ tenant: { id: tenant.id }, input });
  const version = () => siteVersionOf(dbs.admin, tenant.id);

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    other = await createTestTenant(dbs.admin);
    users = await roleActors(dbs.admin, tenant.id, other.id);
  });
  afterAll(() => dbs.close());

  test('a draft post changes nothing visitors see; publishing it does', async () => {
    const before = await version();
    const draft = await execute(as(users.editor!), createPost, call({ slug: 'hello', title: 'Hello', body: 'First words.' }));
    expect(draft).toMatchObject({ slug: 'hello', status: 'draft', publishedAt: null, updatedBy: users.editor!.email });
    expect(await version()).toBe(before);
    expect(await queryPost(dbs.app, tenant.id, 'hello')).toBeNull();
    const live = await execute(as(users.editor!), schedulePost, call({ postId: draft.id, at: 'now' }));
    expect(live.status).toBe('published');
    expect(await version()).toBe(before + 1);
    expect((await queryPost(dbs.app, tenant.id, 'hello'))?.title).toBe('Hello');
  });

  test('a post scheduled for later is not shown yet, and the blog knows when it will be', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const post = await execute(as(users.editor!), createPost, call({ slug: 'later', title: 'Later', publishedAt: at }));
    expect(post.status).toBe('scheduled');
    expect(await queryPost(dbs.app, tenant.id, 'later')).toBeNull();
    expect((await queryLatestPosts(dbs.app, tenant.id, 5)).nextPublishAt).toBe(new Date(at).toISOString());
    expect(await failure(execute(as(users.editor!), schedulePost, call({ postId: post.id, at: new Date(Date.now() - 1000).toISOString() })))).toBe('InvalidInput');
  });

  test('editing a live post changes the site and the trail keeps what changed; editing a draft does not change the site', async () => {
    const live = (await execute(as(users.viewer!), listPosts, call({ status: 'published' }))).items.find((p) => p.slug === 'hello')!;
    let before = await version();
    await execute(as(users.editor!), updatePost, call({ postId: live.id, title: 'Hello again' }));
    expect(await version()).toBe(before + 1);
    expect((await auditOf(dbs.admin, tenant.id)).filter((r) => r.action === 'post.update').at(-1)).toMatchObject({
      subject: 'post:hello',
      before: { '/title': 'Hello' },
      after: { '/title': 'Hello again' },
    });
    const draft = await execute(as(users.editor!), createPost, call({ slug: 'quiet', title: 'Quiet' }));
    before = await version();
    await execute(as(users.editor!), updatePost, call({ postId: draft.id, body: 'Still a draft.' }));
    expect(await version()).toBe(before);
  });

  test('bad input is refused by path; a taken slug is a Conflict; a viewer cannot write; another tenant sees nothing', async () => {
    const error = await mosaicError(execute(as(users.editor!), createPost, call({ slug: 'Bad Slug', title: '', publishedAt: 'tomorrow' })));
    expect(error.code).toBe('InvalidInput');
    expect(error.details.map((d) => d.path).sort()).toEqual(['publishedAt', 'slug', 'title']);
    expect(await failure(execute(as(users.editor!), createPost, call({ slug: 'hello', title: 'Again' })))).toBe('Conflict');
    expect(await failure(execute(as(users.viewer!), createPost, call({ slug: 'v', title: 'V' })))).toBe('Forbidden');
    const hello = (await execute(as(users.viewer!), listPosts, call({ search: 'hello' }))).items[0]!;
    expect(await failure(execute(as(users.outsider!), readPost, { tenant: { id: other.id }, input: { postId: hello.id } }))).toBe('NotFound');
    expect(await failure(execute(as(users.outsider!), readPost, call({ postId: hello.id })))).toBe('NotFound');
  });

  test('lists newest first, a page at a time', async () => {
    const all = await execute(as(users.viewer!), listPosts, call({ limit: 2 }));
    expect(all.items.map((p) => p.slug)).toEqual(['quiet', 'later']);
    const rest = await execute(as(users.viewer!), listPosts, call({ limit: 2, cursor: all.nextCursor! }));
    expect(rest).toEqual({ items: [expect.objectContaining({ slug: 'hello' })], nextCursor: null });
    expect((await execute(as(users.viewer!), listPosts, call({ status: 'draft' }))).items.map((p) => p.slug)).toEqual(['quiet']);
  });

  test('deleting a live post takes it off the site; the trail keeps what it said', async () => {
    const hello = (await execute(as(users.viewer!), listPosts, call({ search: 'hello' }))).items[0]!;
    const before = await version();
    await execute(as(users.editor!), deletePost, call({ postId: hello.id }));
    expect(await version()).toBe(before + 1);
    expect(await queryPost(dbs.app, tenant.id, 'hello')).toBeNull();
    expect((await auditOf(dbs.admin, tenant.id)).filter((r) => r.action === 'post.delete').at(-1)).toMatchObject({ before: { title: 'Hello again' } });
    expect(await failure(execute(as(users.editor!), readPost, call({ postId: hello.id })))).toBe('NotFound');
  });
});
