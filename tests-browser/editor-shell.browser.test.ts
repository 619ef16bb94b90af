import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { addMembership, createTestUser } from '../tests/support/accounts.ts';
import { createTestTenant, openTestDatabases } from '../tests/support/databases.ts';
import { request } from '../tests/support/server-process.ts';
import { ADMIN_HOST, currentScreen, launchBrowser, seriousViolations, signIn, startEditorServer, watchErrors, type EditorServer } from './support/editor-browser.ts';

const PASSWORD = 'a long enough passphrase 7';

describe('the editor shell on the admin host', { timeout: 120_000 }, () => {
  const dbs = openTestDatabases(2);
  let editor: EditorServer;
  let browser: Browser;
  let site: { id: string; slug: string };
  let second: { id: string; slug: string };

  beforeAll(async () => {
    [editor, browser, site, second] = await Promise.all([startEditorServer(), launchBrowser(), createTestTenant(dbs.admin), createTestTenant(dbs.admin)]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await editor?.server.stop();
    await dbs.close();
  });

  test('every admin path is the editor page: no-store, never framed, under a policy with hashed scripts only', async () => {
    const response = await request(editor.server.port, '/sites/anything/pages', { host: ADMIN_HOST });
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-frame-options']).toBe('DENY');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self' 'sha256-/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(response.body).toContain('<astro-island');
    // A tenant's host never answers the editor's own page.
    const onSite = await request(editor.server.port, '/-/editor', { host: `${site.slug}.localhost` });
    expect(onSite.status).toBe(404);
    expect(onSite.body).not.toContain('astro-island');
  });

  test('sign in with a wrong password says so at the form; the right one opens the only site, its navigation, and signs out', async () => {
    const user = await createTestUser(dbs.admin, { password: PASSWORD });
    await addMembership(dbs.admin, site.id, user.userId, 'editor');
    const page = await browser.newPage();
    const errors = await watchErrors(page, [/401 \(Unauthorized\)/]);
    await page.goto(editor.editorUrl('/'));
    await page.locator('main[data-screen="sign-in"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').allInnerTexts()).toEqual(['The email or the password is wrong.']);

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main[data-screen="dashboard"]').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/sites/${site.slug}`);
    const nav = page.getByRole('navigation', { name: 'Site' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Dashboard', 'Pages', 'Posts', 'Theme', 'Media', 'Messages', 'Members', 'Activity']);
    expect(await seriousViolations(page)).toEqual([]);

    // A reload keeps the session (and the CSRF token, read again): signing out works.
    await page.reload();
    await page.locator('main[data-screen="dashboard"]').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('main[data-screen="sign-in"]').waitFor();
    await page.goto(editor.editorUrl(`/sites/${site.slug}/pages`));
    await page.locator('main[data-screen="sign-in"]').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/sites/${site.slug}/pages`);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('with several sites, the site list comes first and the switcher moves between them', async () => {
    const user = await createTestUser(dbs.admin, { password: PASSWORD });
    await addMembership(dbs.admin, site.id, user.userId, 'owner');
    await addMembership(dbs.admin, second.id, user.userId, 'viewer');
    const page = await browser.newPage();
    const errors = await watchErrors(page, [/401 \(Unauthorized\)/]);
    await signIn(page, editor, user.email, PASSWORD);
    expect(await currentScreen(page)).toBe('sites');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: new RegExp(second.slug) }).click();
    await page.locator('main[data-screen="dashboard"]').waitFor();
    await expect.poll(() => page.locator('.role-note').innerText(), { timeout: 10_000 }).toBe('Your role: viewer');
    await page.getByLabel('Switch site').selectOption(site.slug);
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe(`/sites/${site.slug}`);
    await expect.poll(() => page.locator('.role-note').innerText(), { timeout: 10_000 }).toBe('Your role: owner');
    expect(errors).toEqual([]);
    await page.close();
  });
});
