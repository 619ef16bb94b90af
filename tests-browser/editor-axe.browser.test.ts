import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { withTenant } from '../src/db/tenant-scope.ts';
import { addMembership, createTestUser } from '../tests/support/accounts.ts';
import { createTestInvitation, createTestPasswordReset } from '../tests/support/api-fixtures.ts';
import { createTestTenant, openTestDatabases } from '../tests/support/databases.ts';
import { publishAs } from '../tests/support/publish.ts';
import { launchBrowser, screenshotPath, seriousViolations, signIn, startEditorServer, watchErrors, type EditorServer } from './support/editor-browser.ts';

const PASSWORD = 'a long enough passphrase 7';
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 860 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe('axe-core on every editor screen, at desktop and phone widths; screenshots of the page editor', { timeout: 480_000 }, () => {
  const dbs = openTestDatabases(2);
  let editor: EditorServer;
  let browser: Browser;
  let site: { id: string; slug: string };
  let second: { id: string; slug: string };
  let owner: { email: string; userId: string };
  let pageId: string;

  beforeAll(async () => {
    [editor, browser, site, second] = await Promise.all([startEditorServer(), launchBrowser(), createTestTenant(dbs.admin, { name: 'Harbour Bakery', domains: [] }), createTestTenant(dbs.admin, { domains: [] })]);
    owner = await createTestUser(dbs.admin, { password: PASSWORD });
    await addMembership(dbs.admin, site.id, owner.userId, 'owner');
    // Two sites, so the site list is a screen of its own.
    await addMembership(dbs.admin, second.id, owner.userId, 'editor');
    await publishAs(dbs.app, site.id, {
      path: '/',
      title: 'Harbour Bakery',
      sections: [
        { type: 'hero', props: { eyebrow: 'Since 1952', title: 'Fresh bread by the harbour', subtitle: 'Sourdough, rye and buns, baked every morning before the boats go out.', primaryCta: { label: 'See the menu', href: '/menu' } } },
        { type: 'features', props: { title: 'Why the harbour loves us', items: [{ icon: 'heart', title: 'Baked at dawn', text: 'Everything on the shelf was made this morning.' }, { icon: 'star', title: 'Local flour', text: 'Milled twenty miles inland.' }, { icon: 'calendar', title: 'Open every day', text: 'From seven, Sundays too.' }] } },
      ],
    });
    pageId = (await dbs.admin.selectFrom('pages').select('id').where('tenant_id', '=', site.id).where('path', '=', '/').executeTakeFirstOrThrow()).id;
    await withTenant(dbs.admin, site.id, (trx) =>
      trx.insertInto('form_submissions').values({ tenant_id: site.id, form: 'contact', page_path: '/contact', data: JSON.stringify({ name: 'Ada', email: 'ada@example.test', message: 'Do you bake rye on Sundays?' }) }).execute(),
    );
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await editor?.server.stop();
    await dbs.close();
  });

  const site_ = (screen: string) => editor.editorUrl(`/sites/${site.slug}${screen}`);
  const ready = async (page: Page, screen: string) => {
    await page.locator(`main[data-screen="${screen}"]`).waitFor();
    await page.locator('main .loading').first().waitFor({ state: 'detached' });
  };

  /** Each screen: how to get there (already signed in or not), and what must be on it first. */
  const signedOut: { name: string; open: (page: Page) => Promise<void> }[] = [
    { name: 'sign-in', open: async (page) => { await page.goto(editor.editorUrl('/sign-in')); await ready(page, 'sign-in'); } },
    { name: 'reset-password (ask for a link)', open: async (page) => { await page.goto(editor.editorUrl('/reset-password')); await ready(page, 'reset-password'); } },
    {
      name: 'reset-password (choose a password)',
      open: async (page) => {
        await page.goto(editor.editorUrl(`/reset-password?token=${await createTestPasswordReset(dbs.admin, owner.userId)}`));
        await ready(page, 'reset-password');
      },
    },
    {
      name: 'accept-invitation',
      open: async (page) => {
        const { token } = await createTestInvitation(dbs.admin, site.id, { role: 'editor' });
        await page.goto(editor.editorUrl(`/accept-invitation?token=${token}`));
        await ready(page, 'accept-invitation');
        await page.getByLabel('Choose a password').waitFor();
      },
    },
  ];
  const signedIn: { name: string; open: (page: Page) => Promise<void> }[] = [
    { name: 'sites', open: async (page) => { await page.goto(editor.editorUrl('/')); await ready(page, 'sites'); } },
    { name: 'dashboard', open: async (page) => { await page.goto(site_('')); await ready(page, 'dashboard'); } },
    { name: 'pages', open: async (page) => { await page.goto(site_('/pages')); await ready(page, 'pages'); await page.getByRole('link', { name: 'Harbour Bakery' }).waitFor(); } },
    {
      name: 'page-editor',
      open: async (page) => {
        await page.goto(site_(`/pages/${pageId}`));
        await page.getByTestId('page-editor').waitFor();
        await page.getByRole('button', { name: /^2\. Features/ }).click();
        await page.getByRole('tabpanel').getByRole('heading', { name: 'Features' }).waitFor();
      },
    },
    { name: 'theme', open: async (page) => { await page.goto(site_('/theme')); await ready(page, 'theme'); } },
    { name: 'media', open: async (page) => { await page.goto(site_('/media')); await ready(page, 'media'); } },
    { name: 'posts', open: async (page) => { await page.goto(site_('/posts')); await ready(page, 'posts'); } },
    {
      name: 'post editor',
      open: async (page) => {
        await page.goto(site_('/posts'));
        await ready(page, 'posts');
        await page.getByRole('button', { name: 'New post' }).click();
        await page.getByLabel('Title').waitFor();
      },
    },
    {
      name: 'messages',
      open: async (page) => {
        await page.goto(site_('/messages'));
        await ready(page, 'messages');
        await page.getByRole('button', { name: /Ada/ }).click();
        await page.getByText('Do you bake rye on Sundays?').waitFor();
      },
    },
    { name: 'members', open: async (page) => { await page.goto(site_('/members')); await ready(page, 'members'); } },
    { name: 'activity', open: async (page) => { await page.goto(site_('/activity')); await ready(page, 'activity'); } },
  ];

  test.each(WIDTHS)('every screen at $name width ($width px) has no serious or critical axe violation', async ({ width, height }) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const errors = await watchErrors(page, [/401 \(Unauthorized\)/]);
    const found: Record<string, string[]> = {};
    const check = async (screen: { name: string; open: (page: Page) => Promise<void> }) => {
      await screen.open(page);
      const violations = await seriousViolations(page);
      if (violations.length) found[screen.name] = violations;
    };
    for (const screen of signedOut) await check(screen);
    await signIn(page, editor, owner.email, PASSWORD, '/sign-in');
    for (const screen of signedIn) await check(screen);
    expect(found).toEqual({});
    expect(errors).toEqual([]);
    await context.close();
  });

  test('screenshots of the page editor: outline, form and preview at 1280 and 1024 px; a small edit on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = await watchErrors(page, [/401 \(Unauthorized\)/]);
    await signIn(page, editor, owner.email, PASSWORD);
    const preview = () => page.frameLocator('[data-testid="preview"]').locator('main').innerText({ timeout: 2000 }).catch(() => '');
    const openEditor = async () => {
      await page.goto(site_(`/pages/${pageId}`));
      await page.getByTestId('page-editor').waitFor();
      await expect.poll(preview, { timeout: 30_000 }).toContain('Fresh bread by the harbour');
    };
    await openEditor();
    await page.getByRole('button', { name: /^1\. Hero/ }).click();
    await page.screenshot({ path: screenshotPath('page-editor') });
    // From 1024 px up the three parts stay side by side, nothing wider than the window.
    await page.setViewportSize({ width: 1024, height: 768 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: screenshotPath('page-editor-1024') });

    // A phone: a small edit (the hero's title) is possible and shown in the preview.
    await page.setViewportSize({ width: 390, height: 844 });
    await openEditor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const title = page.getByRole('tabpanel').getByLabel('Title', { exact: true });
    await title.fill('Fresh bread, warm at seven');
    await expect.poll(() => page.getByTestId('save-status').innerText(), { timeout: 15_000 }).toBe('All changes saved');
    await expect.poll(preview, { timeout: 30_000 }).toContain('Fresh bread, warm at seven');
    await title.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('page-editor-phone') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
