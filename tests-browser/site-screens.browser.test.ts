import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { withTenant } from '../src/db/tenant-scope.ts';
import { addMembership, createTestUser } from '../tests/support/accounts.ts';
import { createTestTenant, openTestDatabases } from '../tests/support/databases.ts';
import { makeImage } from '../tests/support/images.ts';
import { publishAs } from '../tests/support/publish.ts';
import { request } from '../tests/support/server-process.ts';
import { launchBrowser, screenshotPath, seriousViolations, signIn, startEditorServer, watchErrors, type EditorServer } from './support/editor-browser.ts';

const PASSWORD = 'a long enough passphrase 7';

describe('the site screens: theme, media, posts, messages, members, activity', { timeout: 120_000 }, () => {
  const dbs = openTestDatabases(2);
  let editor: EditorServer;
  let browser: Browser;
  let site: { id: string; slug: string };
  let owner: { email: string; userId: string };
  let page: Page;
  let errors: string[];
  const open = async (screen: string) => {
    await page.goto(editor.editorUrl(`/sites/${site.slug}${screen ? `/${screen}` : ''}`));
    await page.locator(`main[data-screen="${screen || 'dashboard'}"]`).waitFor();
  };
  const shoot = (name: string) => page.screenshot({ path: screenshotPath(name), fullPage: false });

  beforeAll(async () => {
    [editor, browser, site] = await Promise.all([startEditorServer(), launchBrowser(), createTestTenant(dbs.admin, { name: 'Harbour Bakery' })]);
    owner = await createTestUser(dbs.admin, { password: PASSWORD });
    await addMembership(dbs.admin, site.id, owner.userId, 'owner');
    await publishAs(dbs.app, site.id, { path: '/', title: 'Harbour Bakery', sections: [{ type: 'hero', props: { title: 'Fresh bread by the harbour' } }] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    errors = await watchErrors(page, [/401 \(Unauthorized\)/, /422 \(Unprocessable/]);
    await signIn(page, editor, owner.email, PASSWORD);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await editor?.server.stop();
    await dbs.close();
  });

  test('theme: a contrast failure is shown at the colour and blocks saving; a valid change is saved and served on the site’s host', async () => {
    await open('theme');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('theme');
    const text = page.locator('input[data-token="light.text"]');
    await text.fill('#bbbbbb');
    const field = page.locator('.field', { has: text });
    await expect.poll(() => field.locator('.field-error').innerText()).toContain('Too little contrast');
    expect(await field.locator('.field-error').innerText()).toContain('background');
    const save = page.getByRole('button', { name: 'Save theme' });
    expect(await save.isDisabled()).toBe(true);
    await shoot('theme-contrast');

    // The API refuses the same theme with the failing tokens, whatever a client does.
    const refused = await page.evaluate(async (slug) => {
      const session = await (await fetch('/api/v1/session')).json();
      const theme = await fetch(`/api/v1/tenants/${slug}/theme`);
      const response = await fetch(`/api/v1/tenants/${slug}/theme`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken, 'If-Match': theme.headers.get('etag') ?? '' },
        body: JSON.stringify({ preset: 'ocean', overrides: { colors: { text: '#bbbbbb' } } }),
      });
      return { status: response.status, body: await response.json() };
    }, site.slug);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('ThemeContrast');
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toContain('light.text/background');

    await text.fill('#111111');
    await page.locator('input[data-token="light.primary"]').fill('#0b5394');
    expect(await field.locator('.field-error').count()).toBe(0);
    await save.click();
    await expect.poll(() => page.getByTestId('announcer').innerText()).toContain('Theme saved');
    await expect.poll(async () => (await request(editor.server.port, '/', { host: `${site.slug}.localhost` })).body).toContain('#0b5394');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    // Usable on a phone: nothing wider than the screen (the site navigation scrolls by itself).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shoot('theme-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  test('media: upload with alt text, see the thumbnail, change the description, delete', async () => {
    await open('media');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Image file').setInputFiles({ name: 'loaf.png', mimeType: 'image/png', buffer: await makeImage('png', 800, 500, '#c08040') });
    // Without a description the form does not send: the field is required (and the API refuses it too).
    await page.getByRole('button', { name: 'Upload' }).click();
    expect(await page.getByLabel('Description (alt text)').evaluate((el: HTMLInputElement) => el.validity.valueMissing)).toBe(true);
    expect(await page.locator('.media-card').count()).toBe(0);
    await page.getByLabel('Description (alt text)').fill('A golden loaf');
    await page.getByRole('button', { name: 'Upload' }).click();
    const card = page.locator('.media-card').first();
    await card.waitFor();
    const image = card.getByRole('img', { name: 'A golden loaf' });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('media');
    await card.getByLabel('Description').fill('A golden loaf on the counter');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('announcer').innerText()).toContain('Description saved');
    const stored = await withTenant(dbs.admin, site.id, (trx) => trx.selectFrom('media').select('alt').where('tenant_id', '=', site.id).execute());
    expect(stored.map((r) => r.alt)).toEqual(['A golden loaf on the counter']);
    await card.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete image' }).click();
    await page.getByText('No images yet.').waitFor();
  });

  test('posts: write a draft, publish it, see it listed', async () => {
    await open('posts');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'New post' }).click();
    await page.getByLabel('Title').fill('Spring opening hours');
    await page.getByLabel('Address').fill('spring-opening-hours');
    await page.getByLabel('Text', { exact: true }).fill('From March we open at 7.');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('cell', { name: /\/spring-opening-hours/ }).waitFor();
    expect(await page.locator('.badge-draft').count()).toBe(1);
    await page.getByRole('button', { name: 'Edit Spring opening hours' }).click();
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.locator('.badge-published').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('posts');
  });

  test('messages: a visitor’s message can be read and deleted; the CSV export is offered', async () => {
    await withTenant(dbs.admin, site.id, (trx) =>
      trx.insertInto('form_submissions').values({ tenant_id: site.id, form: 'contact', page_path: '/contact', data: JSON.stringify({ name: 'Ada', email: 'ada@example.test', message: 'Do you bake rye on Sundays?' }) }).execute(),
    );
    await open('messages');
    await page.getByRole('button', { name: /Ada/ }).click();
    await page.getByText('Do you bake rye on Sundays?').waitFor();
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe(`/api/v1/tenants/${site.slug}/submissions/export`);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('messages');
    await page.getByRole('button', { name: 'Delete message' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete message' }).click();
    await page.getByText('No messages yet.').waitFor();
  });

  test('members: invite someone, change a role', async () => {
    const viewer = await createTestUser(dbs.admin);
    await addMembership(dbs.admin, site.id, viewer.userId, 'viewer');
    await open('members');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Role of ' + viewer.email).selectOption('editor');
    await expect.poll(() => page.getByTestId('announcer').innerText()).toContain('is now editor');
    const role = await dbs.admin.selectFrom('memberships').select('role').where('tenant_id', '=', site.id).where('user_id', '=', viewer.userId).executeTakeFirstOrThrow();
    expect(role.role).toBe('editor');
    await page.getByLabel('Email').fill('new.baker@example.test');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('region', { name: 'Open invitations' }).getByText('new.baker@example.test').waitFor();
    await shoot('members');
  });

  test('activity: the trail lists what was done here, filtered by kind of action', async () => {
    await open('activity');
    await page.getByRole('cell', { name: /theme\.update/ }).first().waitFor();
    await page.getByLabel('Action').selectOption('media.*');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(async () => new Set((await page.locator('tbody code').allInnerTexts()))).toEqual(new Set(['media.upload', 'media.update', 'media.delete']));
    expect(await seriousViolations(page)).toEqual([]);
    await shoot('activity');
    expect(errors).toEqual([]);
  });
});
