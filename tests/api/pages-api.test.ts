import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApiServer, type ApiClient } from '../support/api-client.ts';
import { signedInMember } from '../support/api-members.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { request, type RunningServer } from '../support/server-process.ts';

const draft = (title: string, sections: unknown[] = [{ type: 'hero', props: { title } }]) => ({ title, sections });

// Pages over HTTP against a running server on real Postgres and Redis: each call a real request.
describe('pages in the admin API', () => {
  const dbs = openTestDatabases(2);
  let server: RunningServer;
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  let alice: ApiClient;
  let bob: ApiClient;
  let viewer: ApiClient;
  const pages = (path = '') => `/tenants/${tenant.slug}/pages${path}`;
  const pageCount = async (tenantId: string) =>
    Number((await dbs.admin.selectFrom('pages').select((eb) => eb.fn.countAll().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()).n);
  const signedIn = (tenantId: string, role: 'editor' | 'viewer') => signedInMember(dbs.admin, server.port, tenantId, role);
  const newPage = async (path: string) => {
    const created = await alice.call('POST', pages(), { body: { path, title: path } });
    expect(created.status).toBe(201);
    return created.json as { id: string; draftRevision: number };
  };

  beforeAll(async () => {
    [server, tenant, other] = await Promise.all([startApiServer(), createTestTenant(dbs.admin), createTestTenant(dbs.admin)]);
    [alice, bob, viewer] = await Promise.all([signedIn(tenant.id, 'editor'), signedIn(tenant.id, 'editor'), signedIn(tenant.id, 'viewer')]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('create, read with an ETag, save with If-Match, list', async () => {
    const created = await alice.call('POST', pages(), { body: { path: '/about', title: 'About us' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ path: '/about', title: 'About us', status: 'draft', draftRevision: 1 });
    expect(created.headers.etag).toBe('"draft-1"');

    const read = await viewer.call('GET', pages(`/${created.json.id}`));
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"draft-1"');
    expect(read.json.draft).toEqual({ title: 'About us', meta: {}, sections: [] });

    const saved = await alice.call('PUT', pages(`/${created.json.id}/draft`), { body: { draft: draft('About') }, headers: { 'if-match': read.headers.etag! } });
    expect(saved.status).toBe(200);
    expect(saved.json.revision).toBe(2);
    expect(saved.headers.etag).toBe('"draft-2"');

    const listed = await viewer.call('GET', `${pages()}?search=about&limit=5`);
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((p: { path: string }) => p.path)).toEqual(['/about']);
    expect(listed.json.nextCursor).toBeNull();
  });

  test('two writers on one draft: the second gets 412 with the current draft and its ETag, and neither change is lost', async () => {
    const { id } = await newPage('/two-writers');
    const [seenByAlice, seenByBob] = await Promise.all([alice.call('GET', pages(`/${id}`)), bob.call('GET', pages(`/${id}`))]);
    expect(seenByAlice.headers.etag).toBe(seenByBob.headers.etag);

    const first = await alice.call('PUT', pages(`/${id}/draft`), { body: { draft: draft('Alice’s headline') }, headers: { 'if-match': seenByAlice.headers.etag! } });
    expect(first.status).toBe(200);
    const stale = await bob.call('PUT', pages(`/${id}/draft`), {
      body: { draft: draft('Bob’s headline', [{ type: 'rich-text', props: { html: '<p>Bob</p>' } }]) },
      headers: { 'if-match': seenByBob.headers.etag! },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toBe('application/problem+json');
    expect(stale.json).toMatchObject({ code: 'PreconditionFailed', status: 412, current: { revision: 2, draft: { title: 'Alice’s headline' } } });
    expect(stale.headers.etag).toBe('"draft-2"');

    // Bob merges his section into what Alice saved and retries with the current ETag.
    const merged = { ...stale.json.current.draft, sections: [...stale.json.current.draft.sections, { type: 'rich-text', props: { html: '<p>Bob</p>' } }] };
    const retried = await bob.call('PUT', pages(`/${id}/draft`), { body: { draft: merged }, headers: { 'if-match': stale.headers.etag! } });
    expect(retried.status).toBe(200);
    const final = await viewer.call('GET', pages(`/${id}`));
    expect(final.json.draft.title).toBe('Alice’s headline');
    expect(final.json.draft.sections.map((s: { type: string }) => s.type)).toEqual(['hero', 'rich-text']);
  });

  test('the same Idempotency-Key twice creates one page; with another body it is refused', async () => {
    const before = await pageCount(tenant.id);
    const body = { path: '/once', title: 'Once' };
    const headers = { 'idempotency-key': 'create-once-1' };
    const first = await alice.call('POST', pages(), { body, headers });
    const second = await alice.call('POST', pages(), { body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await pageCount(tenant.id)).toBe(before + 1);

    const reused = await alice.call('POST', pages(), { body: { path: '/twice', title: 'Twice' }, headers });
    expect(reused.status).toBe(422);
    expect(reused.json.code).toBe('IdempotencyKeyReused');
    expect(await pageCount(tenant.id)).toBe(before + 1);
  });

  test('bad input is a problem listing every failing path, and changes nothing', async () => {
    const { id } = await newPage('/bad-input');
    const badDraft = await alice.call('PUT', pages(`/${id}/draft`), {
      body: { expectedRevision: 1, draft: { title: 'x'.repeat(200), sections: [{ props: {} }, { type: 'hero', props: 'no' }], extra: true } },
    });
    expect(badDraft.status).toBe(422);
    expect(badDraft.headers['content-type']).toBe('application/problem+json');
    const paths = badDraft.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['draft.title', 'draft.sections[0].type', 'draft.sections[1].props', 'draft']));

    // A draft that saves but would not publish: the registry names each problem by its path.
    const saved = await alice.call('PUT', pages(`/${id}/draft`), { body: { expectedRevision: 1, draft: draft('Broken', [{ type: 'hero', props: {} }, { type: 'hero', props: { title: 'ok' } }, { type: 'hero', props: { title: 5 } }]) } });
    expect(saved.status).toBe(200);
    const publish = await alice.call('POST', pages(`/${id}/publish`), { body: {} });
    expect(publish.status).toBe(422);
    expect(publish.json.code).toBe('InvalidComposition');
    expect(publish.json.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['sections[0].props.title', 'sections[2].props.title']));

    const cases: [string, string, unknown, Record<string, string>, string][] = [
      ['POST', pages(), { path: 'no-slash', title: 'x'.repeat(200) }, {}, 'path'],
      ['GET', `${pages()}?limit=1000`, undefined, {}, 'limit'],
      ['GET', pages('/not-a-uuid'), undefined, {}, 'pageId'],
      ['PUT', pages(`/${id}/draft`), { draft: {} }, {}, 'expectedRevision'],
      ['PUT', pages(`/${id}/draft`), { draft: {} }, { 'if-match': 'W/"draft-2"' }, 'If-Match'],
      ['PUT', pages(`/${id}/draft`), { draft: {}, expectedRevision: 1 }, { 'if-match': '"draft-2"' }, 'expectedRevision'],
    ];
    for (const [method, path, body, headers, failing] of cases) {
      const answer = await alice.call(method, path, { body, headers });
      expect(answer.status, `${method} ${path}`).toBe(422);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(answer.json.errors.map((e: { path: string }) => e.path), `${method} ${path}`).toContain(failing);
    }
    const after = await viewer.call('GET', pages(`/${id}`));
    expect(after.json).toMatchObject({ draftRevision: 2, status: 'draft' });
    expect(after.json.draft.title).toBe('Broken');
  });

  test('publish, versions, one version, diff, rollback, schedule and cancel', async () => {
    const { id } = await newPage('/history');
    const v1 = await alice.call('PUT', pages(`/${id}/draft`), { body: { draft: draft('First') }, headers: { 'if-match': '"draft-1"' } });
    expect((await alice.call('POST', pages(`/${id}/publish`), { headers: { 'if-match': v1.headers.etag! } })).json).toMatchObject({ version: 1 });
    await alice.call('PUT', pages(`/${id}/draft`), { body: { draft: draft('Second') }, headers: { 'if-match': v1.headers.etag! } });
    expect((await alice.call('POST', pages(`/${id}/publish`), { body: {} })).json).toMatchObject({ version: 2 });

    const versions = await viewer.call('GET', pages(`/${id}/versions`));
    expect(versions.json.items.map((v: { version: number; published: boolean }) => [v.version, v.published])).toEqual([[2, true], [1, false]]);
    const one = await viewer.call('GET', pages(`/${id}/versions/1`));
    expect(one.json.composition).toMatchObject({ title: 'First' });
    const diff = await viewer.call('GET', pages(`/${id}/diff?from=1&to=published`));
    expect(diff.status).toBe(200);
    expect(diff.json).toMatchObject({ from: 1, to: 'published', unchanged: false });
    expect(diff.json.summary.join('\n')).toContain('title');

    const rolledBack = await alice.call('POST', pages(`/${id}/rollback`), { body: {} });
    expect(rolledBack.json).toMatchObject({ version: 1 });
    const live = await request(server.port, '/history', { host: `${tenant.slug}.localhost` });
    expect(live.body).toContain('First');

    const scheduled = await alice.call('POST', pages(`/${id}/schedules`), { body: { at: '2031-01-01T09:00:00Z' } });
    expect(scheduled.status).toBe(201);
    const listed = await viewer.call('GET', pages(`/${id}/schedules`));
    expect(listed.json.items.map((j: { id: string }) => j.id)).toEqual([scheduled.json.id]);
    const cancelled = await alice.call('DELETE', pages(`/${id}/schedules/${scheduled.json.id}`));
    expect(cancelled.json.status).toBe('cancelled');
    expect((await viewer.call('GET', pages(`/${id}/schedules`))).json.items).toEqual([]);

    // A stale schedule names the current draft.
    const staleSchedule = await alice.call('POST', pages(`/${id}/schedules`), { body: { at: '2031-01-01T09:00:00Z' }, headers: { 'if-match': '"draft-1"' } });
    expect(staleSchedule.status).toBe(412);
    expect(staleSchedule.headers.etag).toBe('"draft-3"');
  });

  test('a preview link shows the draft on the site’s own host; viewers may ask for one', async () => {
    const { id } = await newPage('/preview-me');
    await alice.call('PUT', pages(`/${id}/draft`), { body: { draft: draft('Only in the draft') }, headers: { 'if-match': '"draft-1"' } });
    const link = await viewer.call('GET', pages(`/${id}/preview`));
    expect(link.status).toBe(200);
    expect(link.json.draftRevision).toBe(2);
    const url = new URL(link.json.url);
    expect(url.hostname).toBe(`${tenant.slug}.test`);
    const shown = await request(server.port, url.pathname, { host: `${tenant.slug}.localhost` });
    expect(shown.status).toBe(200);
    expect(shown.body).toContain('Only in the draft');
  });

  test('If-Match guards every page write: a stale one is 412 and changes nothing', async () => {
    const { id } = await newPage('/guarded-writes');
    await alice.call('PUT', pages(`/${id}/draft`), { body: { draft: draft('Current') }, headers: { 'if-match': '"draft-1"' } });
    const stale = { 'if-match': '"draft-1"' };
    for (const [method, path, body] of [
      ['DELETE', pages(`/${id}`), undefined],
      ['POST', pages(`/${id}/publish`), {}],
      ['PUT', pages(`/${id}/path`), { path: '/moved' }],
    ] as const) {
      const answer = await alice.call(method, path, { body, headers: stale });
      expect(answer.status, `${method} ${path}`).toBe(412);
      expect(answer.headers.etag).toBe('"draft-2"');
    }
    expect((await viewer.call('GET', pages(`/${id}`))).json).toMatchObject({ path: '/guarded-writes', status: 'draft', deletedAt: null });
    const deleted = await alice.call('DELETE', pages(`/${id}`), { headers: { 'if-match': '"draft-2"' } });
    expect(deleted.status).toBe(200);
    expect((await viewer.call('GET', pages(`/${id}`))).json.status).toBe('deleted');
  });

  test('viewers cannot write; another tenant’s pages are 404 and show nothing', async () => {
    const { id } = await newPage('/guarded');
    const refused = await viewer.call('PUT', pages(`/${id}/draft`), { body: { draft: draft('Viewer') }, headers: { 'if-match': '"draft-1"' } });
    expect(refused.status).toBe(403);

    const stranger = await signedIn(other.id, 'editor');
    for (const [method, path] of [
      ['GET', pages(`/${id}`)],
      ['GET', pages()],
      ['POST', pages(`/${id}/publish`)],
      ['DELETE', pages(`/${id}`)],
    ] as const) {
      const answer = await stranger.call(method, path, { body: method === 'POST' ? {} : undefined });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body).not.toContain('/guarded');
    }
    // With an Idempotency-Key, refusals keep nothing: no claim is left behind for a retry to find.
    const keyed = { 'idempotency-key': 'refused-create' };
    expect((await stranger.call('POST', pages(), { body: { path: '/intruder', title: 'x' }, headers: keyed })).status).toBe(404);
    expect((await viewer.call('POST', pages(), { body: { path: '/intruder', title: 'x' }, headers: keyed })).status).toBe(403);
    expect((await stranger.call('POST', '/tenants/no-such-site/pages', { body: { path: '/intruder', title: 'x' }, headers: keyed })).status).toBe(404);
    const claims = await dbs.admin.selectFrom('idempotency_keys').select('id').where('key', '=', 'refused-create').execute();
    expect(claims).toEqual([]);
    // This tenant's page id under the stranger's own tenant is not found either.
    const crossed = await stranger.call('GET', `/tenants/${other.slug}/pages/${id}`);
    expect(crossed.status).toBe(404);
    expect(await pageCount(other.id)).toBe(0);
  });
});
