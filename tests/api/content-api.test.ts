import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { submitContact } from '../../src/forms/contact-submission.ts';
import { startApiServer, type ApiClient } from '../support/api-client.ts';
import { signedInMember } from '../support/api-members.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { request, type RunningServer } from '../support/server-process.ts';


// The theme, posts and form messages over HTTP, against a running server on real Postgres and Redis.
describe('theme, posts and messages in the admin API', () => {
  const dbs = openTestDatabases(2);
  let server: RunningServer;
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  let editor: ApiClient;
  let viewer: ApiClient;
  let stranger: ApiClient;
  const on = (path: string) => `/tenants/${tenant.slug}${path}`;
  const signedIn = (tenantId: string, role: 'editor' | 'viewer') => signedInMember(dbs.admin, server.port, tenantId, role);
  const themeRevision = async () =>
    (await dbs.admin.selectFrom('themes').select('revision').where('tenant_id', '=', tenant.id).executeTakeFirst())?.revision ?? 0;

  beforeAll(async () => {
    [server, tenant, other] = await Promise.all([startApiServer(), createTestTenant(dbs.admin), createTestTenant(dbs.admin)]);
    [editor, viewer, stranger] = await Promise.all([signedIn(tenant.id, 'editor'), signedIn(tenant.id, 'viewer'), signedIn(other.id, 'editor')]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  describe('theme', () => {
    test('read with an ETag; save with If-Match; a stale save is 412 with the current theme', async () => {
      const read = await viewer.call('GET', on('/theme'));
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({ preset: 'ocean' });
      expect(read.headers.etag).toBe(`"theme-${read.json.revision}"`);

      const saved = await editor.call('PUT', on('/theme'), { body: { preset: 'ocean', overrides: { radius: '4px' } }, headers: { 'if-match': read.headers.etag! } });
      expect(saved.status).toBe(200);
      expect(saved.json).toMatchObject({ overrides: { radius: '4px' }, revision: read.json.revision + 1 });
      expect(saved.headers.etag).toBe(`"theme-${read.json.revision + 1}"`);

      const stale = await editor.call('PUT', on('/theme'), { body: { preset: 'ocean', overrides: { radius: '9px' } }, headers: { 'if-match': read.headers.etag! } });
      expect(stale.status).toBe(412);
      expect(stale.json).toMatchObject({ code: 'PreconditionFailed', current: { overrides: { radius: '4px' }, revision: read.json.revision + 1 } });
      expect(stale.headers.etag).toBe(saved.headers.etag);
      expect(await themeRevision()).toBe(read.json.revision + 1);
    });

    test('text below WCAG AA is refused with the failing tokens, and nothing changes', async () => {
      const before = await viewer.call('GET', on('/theme'));
      const refused = await editor.call('PUT', on('/theme'), {
        body: { preset: 'ocean', overrides: { colors: { text: '#777777', background: '#888888' } } },
        headers: { 'if-match': before.headers.etag! },
      });
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(refused.json.code).toBe('ThemeContrast');
      expect(refused.json.errors).toEqual(expect.arrayContaining([{ path: 'light.text/background', message: expect.stringMatching(/below 4\.5:1/) }]));
      expect(refused.json.failures).toEqual(expect.arrayContaining([expect.objectContaining({ palette: 'light', pair: 'text/background', required: 4.5 })]));
      expect(await themeRevision()).toBe(before.json.revision);
    });

    test('bad input names every path; viewers may not save; another site’s theme is 404', async () => {
      const bad = await editor.call('PUT', on('/theme'), { body: { expectedRevision: -1, preset: '', logoUrl: 'javascript:alert(1)', css: 'body{}' } });
      expect(bad.status).toBe(422);
      expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['expectedRevision', 'preset', 'logoUrl', '(root)']));
      const current = await viewer.call('GET', on('/theme'));
      expect((await viewer.call('PUT', on('/theme'), { body: { preset: 'ocean' }, headers: { 'if-match': current.headers.etag! } })).status).toBe(403);
      expect((await stranger.call('GET', on('/theme'))).status).toBe(404);
      expect((await stranger.call('PUT', on('/theme'), { body: { preset: 'ocean' }, headers: { 'if-match': current.headers.etag! } })).status).toBe(404);
      expect(await themeRevision()).toBe(current.json.revision);
    });
  });

  describe('posts', () => {
    test('create (once per Idempotency-Key), read, update, schedule, list, delete', async () => {
      const body = { slug: 'hello-api', title: 'Hello from the API', excerpt: 'Short', body: 'Long' };
      const headers = { 'idempotency-key': 'post-hello-1' };
      const created = await editor.call('POST', on('/posts'), { body, headers });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ slug: 'hello-api', status: 'draft' });
      const again = await editor.call('POST', on('/posts'), { body, headers });
      expect(again.status).toBe(201);
      expect(again.json.id).toBe(created.json.id);
      expect(again.headers['idempotent-replayed']).toBe('true');

      const id = created.json.id as string;
      expect((await viewer.call('GET', on(`/posts/${id}`))).json.title).toBe('Hello from the API');
      const updated = await editor.call('PATCH', on(`/posts/${id}`), { body: { title: 'Hello, again' } });
      expect(updated.json).toMatchObject({ title: 'Hello, again', body: 'Long' });
      const published = await editor.call('POST', on(`/posts/${id}/schedule`), { body: { at: 'now' } });
      expect(published.json.status).toBe('published');
      const site = await request(server.port, '/blog/hello-api', { host: `${tenant.slug}.localhost` });
      expect(site.status).toBe(200);
      expect(site.body).toContain('Hello, again');

      const listed = await viewer.call('GET', on('/posts?status=published'));
      expect(listed.json.items.map((p: { id: string }) => p.id)).toEqual([id]);
      const removed = await editor.call('DELETE', on(`/posts/${id}`));
      expect(removed.status).toBe(200);
      expect((await viewer.call('GET', on(`/posts/${id}`))).status).toBe(404);
    });

    test('bad input lists every path and creates nothing; another site’s posts are 404', async () => {
      const bad = await editor.call('POST', on('/posts'), { body: { slug: 'Not A Slug', title: '', publishedAt: 'tomorrow', extra: 1 } });
      expect(bad.status).toBe(422);
      expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['slug', 'title', 'publishedAt', '(root)']));
      expect((await viewer.call('GET', on('/posts'))).json.items).toEqual([]);

      const created = await editor.call('POST', on('/posts'), { body: { slug: 'mine', title: 'Mine' } });
      expect((await stranger.call('GET', on(`/posts/${created.json.id}`))).status).toBe(404);
      expect((await stranger.call('PATCH', on(`/posts/${created.json.id}`), { body: { title: 'Taken' } })).status).toBe(404);
      expect((await stranger.call('GET', `/tenants/${other.slug}/posts/${created.json.id}`)).status).toBe(404);
      expect((await viewer.call('GET', on(`/posts/${created.json.id}`))).json.title).toBe('Mine');
    });
  });

  describe('messages', () => {
    test('list, read, export as CSV and delete; viewers and other sites see none', async () => {
      await submitContact(dbs.app, tenant.id, { name: 'Ada', email: 'ada@example.test', message: '=HYPERLINK("x")', page: '/contact' });
      await submitContact(dbs.app, tenant.id, { name: 'Bo', email: 'bo@example.test', message: 'Hello', page: '/contact' });
      await submitContact(dbs.app, other.id, { name: 'Theirs', email: 't@example.test', message: 'Not yours', page: '/' });

      const listed = await editor.call('GET', on('/submissions?limit=1'));
      expect(listed.status).toBe(200);
      expect(listed.json.items).toHaveLength(1);
      expect(listed.json.items[0].data.name).toBe('Bo');
      const next = await editor.call('GET', on(`/submissions?limit=1&cursor=${listed.json.nextCursor}`));
      expect(next.json.items[0].data.name).toBe('Ada');

      const one = await editor.call('GET', on(`/submissions/${next.json.items[0].id}`));
      expect(one.json).toMatchObject({ form: 'contact', page: '/contact', data: { email: 'ada@example.test' } });

      const csv = await editor.call('GET', on('/submissions/export'));
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="${tenant.slug}-messages-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
      expect(csv.body).toContain(`'=HYPERLINK`);
      expect(csv.body).not.toContain('Not yours');

      expect((await viewer.call('GET', on('/submissions'))).status).toBe(403);
      expect((await viewer.call('GET', on('/submissions/export'))).status).toBe(403);
      expect((await stranger.call('GET', on('/submissions'))).status).toBe(404);
      expect((await stranger.call('DELETE', on(`/submissions/${one.json.id}`))).status).toBe(404);
      expect((await editor.call('GET', on('/submissions/export?from=yesterday'))).json.errors[0].path).toBe('from');

      expect((await editor.call('DELETE', on(`/submissions/${one.json.id}`))).status).toBe(204);
      expect((await editor.call('GET', on(`/submissions/${one.json.id}`))).status).toBe(404);
      expect((await editor.call('GET', on('/submissions'))).json.items.map((m: { data: { name: string } }) => m.data.name)).toEqual(['Bo']);
    });
  });
});
