import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createPurposeKeys } from '../../src/auth/purpose-keys.ts';
import { execute } from '../../src/operations/execute.ts';
import { createPage, publishPage, readPage, saveDraft } from '../../src/operations/pages/index.ts';
import { PREVIEW_SCRIPT } from '../../src/render/preview-script.ts';
import { contentHash } from '../../src/render/security-headers.ts';
import { PREVIEW_TOKEN_TTL_MS, previewPath, signPreviewToken } from '../../src/preview/preview-token.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { roleActors } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';
import { request, startServer, TEST_SECRET_KEY, type RunningServer } from '../support/server-process.ts';

const sections = [
  { type: 'hero', props: { title: 'Shown headline' } },
  { type: 'cta', hidden: true, props: { title: 'Hidden offer', action: { label: 'Go', href: '/go' } } },
  { type: 'rich-text', props: { html: '<p>Shown body text</p>' } },
];

// Hidden sections stay in the page but never reach visitors; previews mark sections for the editor
// with one hashed script, and visitor pages carry neither the marks nor any script.
describe('hidden sections and preview marks', () => {
  const dbs = openTestDatabases(2);
  const keys = createPurposeKeys(Buffer.from(TEST_SECRET_KEY, 'utf8'));
  let server: RunningServer;
  let tenant: { id: string; slug: string };
  let pageId: string;
  let revision: number;
  const host = () => ({ host: `${tenant.slug}.localhost` });

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    const { editor } = await roleActors(dbs.admin, tenant.id);
    const as = testContext(dbs.app, { actor: editor });
    const call = <I>(input: I) => ({ tenant: { id: tenant.id }, input });
    pageId = (await execute(as, createPage, call({ path: '/offer', title: 'Offer' }))).id;
    revision = (await execute(as, saveDraft, call({ pageId, expectedRevision: 1, draft: { title: 'Offer', sections } }))).revision;
    await execute(as, publishPage, call({ pageId }));
    const page = await execute(as, readPage, call({ pageId }));
    revision = page.draftRevision;
    // The draft and the published version both keep the hidden section and its flag.
    expect(page.draft.sections[1]).toMatchObject({ type: 'cta', hidden: true });
    expect((page.published?.composition as { sections: unknown[] }).sections[1]).toMatchObject({ type: 'cta', hidden: true });
    server = await startServer({ DATABASE_URL: inject('appDatabaseUrl') });
  });
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('visitors get the shown sections only, with no section marks and no script', async () => {
    const res = await request(server.port, '/offer', host());
    expect(res.status).toBe(200);
    expect(res.body).toContain('Shown headline');
    expect(res.body).toContain('Shown body text');
    expect(res.body).not.toContain('Hidden offer');
    expect(res.body).not.toContain('data-mosaic-section');
    expect(res.body).not.toMatch(/<script/i);
  });

  test('a preview marks each shown section with its index and carries one script, allowed by its hash', async () => {
    const token = signPreviewToken(keys, { tenantId: tenant.id, pageId, draftRevision: revision, expiresAt: Date.now() + PREVIEW_TOKEN_TTL_MS });
    const res = await request(server.port, previewPath(token), host());
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('Hidden offer');
    expect([...res.body.matchAll(/data-mosaic-section="(\d+)"/g)].map((m) => m[1])).toEqual(['0', '2']);
    expect(res.body.match(/<script/g)).toHaveLength(1);
    expect(res.body).toContain(PREVIEW_SCRIPT);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(new RegExp(`script-src[^;]*'${contentHash(PREVIEW_SCRIPT).replace(/[+/]/g, '\\$&')}'`));
    expect(csp).not.toContain('unsafe-inline');
  });
});
