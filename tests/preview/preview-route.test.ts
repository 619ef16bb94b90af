import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createPurposeKeys } from '../../src/auth/purpose-keys.ts';
import { execute } from '../../src/operations/execute.ts';
import { createPage, previewPage, publishPage, saveDraft } from '../../src/operations/pages/index.ts';
import { PREVIEW_TOKEN_TTL_MS, previewPath, signPreviewToken, type PreviewClaim } from '../../src/preview/preview-token.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { roleActors, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';
import { request, startServer, TEST_SECRET_KEY, type RunningServer } from '../support/server-process.ts';

const draft = (headline: string, sections: unknown[] = [{ type: 'hero', props: { title: headline } }]) => ({ title: headline, sections });

// A real server renders a draft at /_mosaic/preview/<token> on the tenant's own host, with the
// real renderer, and nowhere else.
describe('draft previews', () => {
  const dbs = openTestDatabases(2);
  const keys = createPurposeKeys(Buffer.from(TEST_SECRET_KEY, 'utf8'));
  let server: RunningServer;
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  let editor: UserActor;
  let viewer: UserActor;
  let pageId: string;
  let revision: number;
  const call = <I>(input: I) => ({ tenant: { id: tenant.id }, input });
  const tokenFor = (claim: Partial<PreviewClaim> = {}) =>
    signPreviewToken(keys, { tenantId: tenant.id, pageId, draftRevision: revision, expiresAt: Date.now() + PREVIEW_TOKEN_TTL_MS, ...claim });
  const open = (token: string, host = `${tenant.slug}.localhost`) => request(server.port, previewPath(token), { host });

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    other = await createTestTenant(dbs.admin);
    ({ editor, viewer } = await roleActors(dbs.admin, tenant.id));
    const as = testContext(dbs.app, { actor: editor });
    const page = await execute(as, createPage, call({ path: '/launch', title: 'Launch' }));
    pageId = page.id;
    await execute(as, saveDraft, call({ pageId, expectedRevision: 1, draft: draft('Published headline') }));
    await execute(as, publishPage, call({ pageId }));
    const saved = await execute(as, saveDraft, call({ pageId, expectedRevision: 2, draft: draft('Secret draft headline') }));
    revision = saved.revision;
    server = await startServer({ DATABASE_URL: inject('appDatabaseUrl') });
  });
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('the operation names the current draft revision, for any role that may preview', async () => {
    const target = await execute(testContext(dbs.app, { actor: viewer }), previewPage, call({ pageId }));
    expect(target).toEqual({ tenantId: tenant.id, pageId, path: '/launch', draftRevision: revision });
  });

  test('a token renders the draft with the real renderer: never stored, never indexed, framable by the admin only', async () => {
    const res = await open(tokenFor());
    expect(res.status).toBe(200);
    expect(res.body).toContain('Secret draft headline');
    expect(res.body).not.toContain('Published headline');
    expect(res.body).toMatch(/<meta name="robots" content="noindex/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(res.headers['x-frame-options']).toBeUndefined();
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain('frame-ancestors http://admin.localhost');
    expect(csp).not.toContain("frame-ancestors 'self'");
    expect(csp).toMatch(/style-src[^;]*'sha256-/);
    expect(res.headers['set-cookie']).toBeUndefined();

    // Visitors still see the published page; the preview put nothing in the page cache.
    const live = await request(server.port, '/launch', { host: `${tenant.slug}.localhost` });
    expect(live.body).toContain('Published headline');
    expect(live.body).not.toContain('Secret draft headline');
  });

  test('an expired token, or one whose draft has moved on, is 410; a forged, malformed or other-site token is 404', async () => {
    expect((await open(tokenFor({ expiresAt: Date.now() - 1 }))).status).toBe(410);
    const moved = await open(tokenFor({ draftRevision: revision - 1 }));
    expect(moved.status).toBe(410);
    // The editor's frame may show a stale link's answer between two saves; nothing else may frame it.
    expect(String(moved.headers['content-security-policy'])).toMatch(/frame-ancestors http:\/\/admin\.localhost(;|$)/);
    const forged = tokenFor().replace(/\.[A-Za-z0-9_-]{43}$/, `.${'A'.repeat(43)}`);
    const refused = await open(forged);
    expect(refused.status).toBe(404);
    expect(String(refused.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect((await open('not-a-token')).status).toBe(404);
    // A valid token opened on another tenant's host shows nothing of this tenant.
    const elsewhere = await open(tokenFor(), `${other.slug}.localhost`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).not.toContain('Secret draft headline');
    // The admin host never serves previews.
    expect((await open(tokenFor(), 'admin.localhost')).status).toBe(404);
    // A token naming the other tenant is refused on this tenant's host too.
    expect((await open(tokenFor({ tenantId: other.id }))).status).toBe(404);
  });

  test('a draft that would not publish lists its problems instead of rendering', async () => {
    const as = testContext(dbs.app, { actor: editor });
    const saved = await execute(as, saveDraft, call({ pageId, expectedRevision: revision, draft: draft('Broken', [{ type: 'hero', props: {} }, { type: 'no-such-section', props: {} }]) }));
    const res = await open(tokenFor({ draftRevision: saved.revision }));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('sections[0].props.title');
    expect(res.body).toContain('sections[1]');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors http://admin.localhost');
  });

  test('only GET and HEAD', async () => {
    const res = await request(server.port, previewPath(tokenFor()), { host: `${tenant.slug}.localhost`, method: 'POST' });
    expect(res.status).toBe(405);
  });
});
