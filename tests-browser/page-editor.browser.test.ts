import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addMembership, createTestUser } from '../tests/support/accounts.ts';
import { createTestTenant, openTestDatabases } from '../tests/support/databases.ts';
import { request } from '../tests/support/server-process.ts';
import { launchBrowser, seriousViolations, signIn, startEditorServer, watchErrors, type EditorServer } from './support/editor-browser.ts';

const PASSWORD = 'a long enough passphrase 7';
// The editor's first call before signing in answers 401; a preview of an invalid draft answers 422 in the frame.
const EXPECTED = [/401 \(Unauthorized\)/];

describe('the page editor in a real browser', { timeout: 180_000 }, () => {
  const dbs = openTestDatabases(2);
  let editor: EditorServer;
  let browser: Browser;
  let site: { id: string; slug: string };
  let other: { id: string; slug: string };

  beforeAll(async () => {
    [editor, browser, site, other] = await Promise.all([startEditorServer(), launchBrowser(), createTestTenant(dbs.admin, { domains: [] }), createTestTenant(dbs.admin, { domains: [] })]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await editor?.server.stop();
    await dbs.close();
  });

  async function member(role: 'editor' | 'viewer', tenantId = site.id) {
    const user = await createTestUser(dbs.admin, { password: PASSWORD });
    await addMembership(dbs.admin, tenantId, user.userId, role);
    return user;
  }
  const served = async (path: string) => (await request(editor.server.port, path, { host: `${site.slug}.localhost` })).body;
  const saved = (page: Page) => expect.poll(() => page.getByTestId('save-status').innerText(), { timeout: 15_000 }).toBe('All changes saved');
  // What the preview frame shows: the site's own host rendering the draft's current link.
  const previewText = (page: Page) => page.frameLocator('[data-testid="preview"]').locator('main').innerText({ timeout: 2000 }).catch(() => '');

  async function createPage(page: Page, path: string, title: string) {
    await page.getByRole('link', { name: 'Pages' }).click();
    await page.locator('main[data-screen="pages"]').waitFor();
    await page.getByRole('button', { name: 'New page' }).click();
    await page.getByLabel('Path', { exact: true }).fill(path);
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByRole('button', { name: 'Create page' }).click();
    await page.getByTestId('page-editor').waitFor();
  }
  async function addSection(page: Page, label: string) {
    await page.getByLabel('Add a section').selectOption({ label });
    await page.getByRole('button', { name: 'Add section' }).click();
  }

  test('the full story: sign in, create, add Hero and Features, edit with the preview following, publish, publish again, roll back', async () => {
    const user = await member('editor');
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = await watchErrors(page, EXPECTED);
    await signIn(page, editor, user.email, PASSWORD);
    await createPage(page, '/spring', 'Spring menu');

    await addSection(page, 'Hero');
    await page.getByLabel('Title', { exact: true }).fill('Fresh bread daily');
    await addSection(page, 'Features');
    expect(await page.getByRole('list', { name: 'Sections of the page' }).getByRole('listitem').count()).toBe(2);
    await saved(page);
    await expect.poll(() => previewText(page), { timeout: 30_000 }).toContain('Fresh bread daily');
    await expect.poll(() => previewText(page), { timeout: 15_000 }).toContain('Why choose us');

    // Edit the hero again: the preview follows the saved draft.
    await page.getByRole('button', { name: /^1\. Hero/ }).click();
    await page.getByLabel('Title', { exact: true }).fill('Fresh bread, every morning');
    await saved(page);
    await expect.poll(() => previewText(page), { timeout: 30_000 }).toContain('Fresh bread, every morning');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => page.getByTestId('announcer').innerText(), { timeout: 15_000 }).toContain('Published');
    await expect.poll(() => served('/spring'), { timeout: 15_000 }).toContain('Fresh bread, every morning');

    await page.getByLabel('Title', { exact: true }).fill('Warm rolls at seven');
    await saved(page);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => served('/spring'), { timeout: 15_000 }).toContain('Warm rolls at seven');

    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await expect.poll(() => served('/spring'), { timeout: 15_000 }).toContain('Fresh bread, every morning');
    expect(await served('/spring')).not.toContain('Warm rolls at seven');

    // The draft survived all of it: a reload shows the latest text.
    await page.reload();
    await page.getByTestId('page-editor').waitFor();
    await page.getByRole('button', { name: /^1\. Hero/ }).click();
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Warm rolls at seven');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('an editor of one site gets not-found for another site’s page by URL, and a tampered preview link shows nothing', async () => {
    const user = await member('editor');
    const foreign = await dbs.admin.insertInto('pages').values({ tenant_id: other.id, path: '/secret' }).returning('id').executeTakeFirstOrThrow();
    const page = await browser.newPage();
    const errors = await watchErrors(page, [...EXPECTED, /404 \(Not Found\)/]);
    await signIn(page, editor, user.email, PASSWORD);
    for (const slug of [other.slug, site.slug]) {
      await page.goto(editor.editorUrl(`/sites/${slug}/pages/${foreign.id}`));
      await page.getByTestId('editor-error').waitFor();
      expect(await page.getByRole('alert').innerText()).toContain('Not found, or not yours to see.');
    }
    await createPage(page, '/own', 'Own page');
    const src = new URL((await page.getByTestId('preview').getAttribute('src'))!);
    const good = await request(editor.server.port, src.pathname, { host: src.host });
    expect(good.status).toBe(200);
    const tampered = src.pathname.slice(0, -2) + (src.pathname.endsWith('AA') ? 'BB' : 'AA');
    const refused = await request(editor.server.port, tampered, { host: src.host });
    expect(refused.status).toBe(404);
    expect(refused.body).not.toContain('Own page');
    // Another site's host does not open this site's link either.
    expect((await request(editor.server.port, src.pathname, { host: `${other.slug}.localhost:${editor.server.port}` })).status).toBe(404);
    expect(errors).toEqual([]);
    await page.close();
  });
});
