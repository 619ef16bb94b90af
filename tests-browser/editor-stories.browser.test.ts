import { withTenant } from '../src/db/tenant-scope.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, onTestFailed, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addMembership, createTestUser } from '../tests/support/accounts.ts';
import { createTestTenant, openTestDatabases } from '../tests/support/databases.ts';
import { publishAs } from '../tests/support/publish.ts';
import { request } from '../tests/support/server-process.ts';
import { launchBrowser, signIn, startEditorServer, watchErrors, type EditorServer } from './support/editor-browser.ts';
import { tabTo, tabTrail } from './support/keyboard.ts';

const PASSWORD = 'a long enough passphrase 7';
// 401: the sign-in screen asks who is there. 410: on a busy machine the preview frame can still be
// loading a link for a draft that a newer save has already replaced; the frame then loads the next.
const EXPECTED = [/401 \(Unauthorized\)/, /410 \(Gone\) at http:\/\/[^/]+\/_mosaic\/preview\//];

describe('the page editor’s promises: keyboard only, two editors, viewers, invalid sections', { timeout: 120_000 }, () => {
  const dbs = openTestDatabases(2);
  let editor: EditorServer;
  let browser: Browser;
  let site: { id: string; slug: string };

  beforeAll(async () => {
    [editor, browser, site] = await Promise.all([startEditorServer(), launchBrowser(), createTestTenant(dbs.admin, { domains: [] })]);
  }, 60_000);
  beforeEach(() => {
    tabTrail.length = 0;
    onTestFailed(() => console.error(`Tab searches before the failure: ${tabTrail.join(' → ')}`));
  });
  afterAll(async () => {
    await browser?.close();
    await editor?.server.stop();
    await dbs.close();
  });

  async function member(role: 'editor' | 'viewer') {
    const user = await createTestUser(dbs.admin, { password: PASSWORD });
    await addMembership(dbs.admin, site.id, user.userId, role);
    return user;
  }
  const served = async (path: string) => (await request(editor.server.port, path, { host: `${site.slug}.localhost` })).body;
  const saveStatus = (page: Page) => page.getByTestId('save-status').innerText();
  const outline = (page: Page) => page.getByRole('list', { name: 'Sections of the page' }).locator('.outline-label').allInnerTexts();

  test('keyboard only: create a page, add two sections, reorder with the drag handle, edit, publish', async () => {
    const user = await member('editor');
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors = await watchErrors(page, EXPECTED);
    await signIn(page, editor, user.email, PASSWORD);
    await page.goto(editor.editorUrl(`/sites/${site.slug}/pages`));
    await page.locator('main[data-screen="pages"]').waitFor();
    // From here on only the keyboard: no clicks.
    await tabTo(page, 'Skip to content');
    await tabTo(page, 'New page');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Path');
    await page.keyboard.press('End');
    await page.keyboard.type('keys');
    await tabTo(page, 'Title');
    await page.keyboard.type('Made with keys');
    await tabTo(page, 'Create page');
    await page.keyboard.press('Enter');
    await page.getByTestId('page-editor').waitFor();

    for (const [n, label] of ['Hero', 'Features'].entries()) {
      // The second time the list is one Shift+Tab back from the button, as a person would go;
      // going forward would wrap through the preview frame while it reloads.
      await tabTo(page, 'Add a section', { backwards: n > 0 });
      // Typing a label's first letters picks it in a closed list, as in any browser.
      await page.keyboard.type(label);
      expect(await page.getByLabel('Add a section').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe(label);
      await tabTo(page, 'Add section');
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => outline(page)).toHaveLength(2);
    expect(await outline(page)).toEqual(['1. Hero', '2. Features']);

    // dnd-kit's keyboard sensor: Space lifts, arrows move, Space drops; each step is announced.
    await tabTo(page, 'Reorder Features (section 2)', { backwards: true });
    // Every message the drag-and-drop live region speaks, in order (each replaces the one before).
    await page.evaluate(() => {
      const region = document.querySelector('[id^="DndLiveRegion"]')!;
      const said: string[] = ((window as unknown as { said: string[] }).said = []);
      new MutationObserver(() => region.textContent && said.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
    });
    const said = () => page.evaluate(() => (window as unknown as { said: string[] }).said.join('\n'));
    await page.keyboard.press('Space');
    await expect.poll(said).toContain('Picked up Features (section 2)');
    // dnd-kit starts listening for the arrows a tick after the pick-up is announced; a person
    // cannot press that fast, a test can, so the arrow is pressed again until it is heard (at the
    // top, another ArrowUp moves nothing).
    await expect
      .poll(async () => {
        const heard = await said();
        if (!heard.includes('is over position 1 of 2')) await page.keyboard.press('ArrowUp');
        return heard;
      })
      .toContain('is over position 1 of 2');
    await page.keyboard.press('Space');
    await expect.poll(said).toContain('was dropped at position 1 of 2');
    await expect.poll(() => outline(page)).toEqual(['1. Features', '2. Hero']);

    // Select the moved section and change its title.
    await tabTo(page, /^1\. Features/);
    await page.keyboard.press('Enter');
    await tabTo(page, 'Title');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Reasons to visit');
    await expect.poll(() => saveStatus(page), { timeout: 15_000 }).toBe('All changes saved');

    await tabTo(page, 'Publish', { backwards: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('announcer').innerText(), { timeout: 15_000 }).toContain('Published');
    await expect.poll(() => served('/keys'), { timeout: 15_000 }).toContain('Reasons to visit');
    const html = await served('/keys');
    expect(html.indexOf('Reasons to visit')).toBeLessThan(html.indexOf('A headline that says what you do'));
    expect(html.indexOf('A headline that says what you do')).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  /** A published page made outside the editor, and the editor's address for it. */
  async function publishedPage(path: string, title: string) {
    await publishAs(dbs.app, site.id, { path, title, sections: [{ type: 'hero', props: { title } }] });
    const row = await dbs.admin.selectFrom('pages').select('id').where('tenant_id', '=', site.id).where('path', '=', path).executeTakeFirstOrThrow();
    return { id: row.id, url: editor.editorUrl(`/sites/${site.slug}/pages/${row.id}`) };
  }
  const storedHeroTitle = async (pageId: string) => {
    const row = await withTenant(dbs.admin, site.id, (trx) => trx.selectFrom('pages').select('draft').where('id', '=', pageId).executeTakeFirstOrThrow());
    return ((row.draft as { sections: { props: { title: string } }[] }).sections[0]!.props.title);
  };
  async function openEditor(role: 'editor' | 'viewer', url: string, ignore: RegExp[] = []) {
    const user = await member(role);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const errors = await watchErrors(page, [...EXPECTED, ...ignore]);
    await signIn(page, editor, user.email, PASSWORD);
    await page.goto(url);
    await page.getByTestId('page-editor').waitFor();
    return { page, errors, close: () => context.close() };
  }
  const heroTitle = (page: Page) => page.getByRole('tabpanel').getByLabel('Title', { exact: true });

  test('two editors in two browsers on one page: the second save shows both versions; either choice keeps the other recoverable', async () => {
    const target = await publishedPage('/together', 'Opening hours');
    const conflictError = [/412 \(Precondition Failed\)/];
    const [a, b] = [await openEditor('editor', target.url, conflictError), await openEditor('editor', target.url, conflictError)];

    await heroTitle(a.page).fill('Open from seven');
    await expect.poll(() => saveStatus(a.page), { timeout: 15_000 }).toBe('All changes saved');
    await heroTitle(b.page).fill('Open from eight');
    await expect.poll(() => saveStatus(b.page), { timeout: 15_000 }).toBe('Someone else saved this page');
    const mine = b.page.getByTestId('conflict-mine');
    const theirs = b.page.getByTestId('conflict-theirs');
    expect(await mine.innerText()).toContain('Open from eight');
    expect(await theirs.innerText()).toContain('Open from seven');
    // Side by side: the two versions share a row.
    const [left, right] = [await mine.boundingBox(), await theirs.boundingBox()];
    expect(left!.x + left!.width).toBeLessThanOrEqual(right!.x);
    expect(Math.abs(left!.y - right!.y)).toBeLessThan(5);
    expect(await b.page.getByRole('button', { name: 'Publish', exact: true }).isDisabled()).toBe(true);
    expect(await storedHeroTitle(target.id)).toBe('Open from seven');

    // B takes theirs: the saved draft is A's; B's own text is one Undo away, and saving it works.
    await b.page.getByRole('button', { name: 'Take theirs' }).click();
    expect(await heroTitle(b.page).inputValue()).toBe('Open from seven');
    expect(await b.page.getByTestId('conflict').count()).toBe(0);
    await b.page.getByRole('button', { name: 'Undo' }).click();
    expect(await heroTitle(b.page).inputValue()).toBe('Open from eight');
    await expect.poll(() => saveStatus(b.page), { timeout: 15_000 }).toBe('All changes saved');
    expect(await storedHeroTitle(target.id)).toBe('Open from eight');

    // A, now behind, edits: A keeps mine; B's text was shown beside it and stays in A's Undo.
    await heroTitle(a.page).fill('Open from six');
    await expect.poll(() => saveStatus(a.page), { timeout: 15_000 }).toBe('Someone else saved this page');
    expect(await a.page.getByTestId('conflict-theirs').innerText()).toContain('Open from eight');
    await a.page.getByRole('button', { name: 'Keep mine' }).click();
    await expect.poll(() => saveStatus(a.page), { timeout: 15_000 }).toBe('All changes saved');
    expect(await storedHeroTitle(target.id)).toBe('Open from six');
    await a.page.getByRole('button', { name: 'Undo' }).click();
    expect(await heroTitle(a.page).inputValue()).toBe('Open from eight');

    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.close();
    await b.close();
  });

  test('a viewer previews the page but has no control that changes it, and the API refuses a forced change', async () => {
    const target = await publishedPage('/look', 'Only looking');
    const { page, errors, close } = await openEditor('viewer', target.url);
    await expect.poll(() => page.frameLocator('[data-testid="preview"]').locator('main').innerText({ timeout: 2000 }).catch(() => ''), { timeout: 30_000 }).toContain('Only looking');
    for (const name of ['Publish', 'Schedule…', 'Undo', 'Redo', 'Add section']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByRole('button', { name: /^(Reorder|Move|Duplicate|Remove) / }).count()).toBe(0);
    expect(await page.locator('[data-testid="page-editor"] :is(input, textarea, select):enabled').count()).toBe(0);
    await page.getByRole('tab', { name: 'History' }).click();
    expect(await page.getByRole('button', { name: /Roll back/ }).count()).toBe(0);
    expect(errors).toEqual([]);

    const forced = await page.evaluate(async ({ slug, id }) => {
      const session = await (await fetch('/api/v1/session')).json();
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken };
      const current = await fetch(`/api/v1/tenants/${slug}/pages/${id}`);
      const draft = (await current.json()).draft;
      const save = await fetch(`/api/v1/tenants/${slug}/pages/${id}/draft`, { method: 'PUT', headers: { ...headers, 'If-Match': current.headers.get('etag') ?? '' }, body: JSON.stringify({ draft: { ...draft, title: 'Changed by a viewer' } }) });
      const publish = await fetch(`/api/v1/tenants/${slug}/pages/${id}/publish`, { method: 'POST', headers, body: '{}' });
      return [save.status, publish.status];
    }, { slug: site.slug, id: target.id });
    expect(forced).toEqual([403, 403]);
    // The browser logs the two refusals, and only this step may: they are taken off the list.
    const refused = /403 \(Forbidden\)/;
    await expect.poll(() => errors.filter((e) => refused.test(e)).length, { timeout: 5000 }).toBe(2);
    expect(errors.filter((e) => !refused.test(e))).toEqual([]);
    errors.length = 0;
    expect(await storedHeroTitle(target.id)).toBe('Only looking');

    // The site's other screens show a viewer nothing that changes anything either.
    const changing = /^(new|create|save|publish|delete|remove|upload|invite|send|duplicate|change|add|withdraw|roll back|schedule|back to draft|edit)/i;
    for (const screen of ['', 'pages', 'theme', 'media', 'posts', 'messages', 'members', 'activity']) {
      await page.goto(editor.editorUrl(`/sites/${site.slug}${screen ? `/${screen}` : ''}`));
      await page.locator(`main[data-screen="${screen || 'dashboard'}"]`).waitFor();
      await page.locator('main .loading').waitFor({ state: 'detached' });
      const enabled = await page.locator('main').evaluate((main) =>
        [...main.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input, textarea, select')]
          .filter((el) => !el.disabled && !el.closest('fieldset:disabled, dialog:not([open])'))
          .map((el) => (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() || `${el.tagName.toLowerCase()}#${el.id}`),
      );
      expect(enabled.filter((name) => changing.test(name)), screen || 'dashboard').toEqual([]);
    }
    expect(errors).toEqual([]);
    await close();
  });

  test('an image without alt text is flagged at the field and blocks publishing; visitors keep the published page', async () => {
    const target = await publishedPage('/people', 'Meet the bakers');
    const { page, errors, close } = await openEditor('editor', target.url, [/422 \(Unprocessable/]);
    await page.getByLabel('Add a section').selectOption({ label: 'Team' });
    await page.getByRole('button', { name: 'Add section' }).click();
    const member = page.getByRole('group', { name: 'Members 1' });
    await member.getByLabel('Name').fill('Ada Baker');
    // The photo is optional; giving it an address without a description makes the section invalid.
    await member.getByLabel('Src').fill('/brand/ada.png');
    const alt = member.getByLabel('Alt', { exact: true });
    expect(await alt.getAttribute('aria-invalid')).toBe('true');
    // The message sits at the field and is what the field is described by.
    const message = page.locator(`#${await alt.getAttribute('aria-describedby')}`);
    expect(await message.innerText()).toBe('alt text is required unless decorative');
    expect(await alt.locator('xpath=..').locator('.field-error').innerText()).toBe('alt text is required unless decorative');

    const publish = page.getByRole('button', { name: 'Publish', exact: true });
    expect(await publish.isDisabled()).toBe(true);
    expect(await page.getByTestId('publish-reasons').innerText()).toContain('sections[1].props.members[0].photo.alt: alt text is required unless decorative');
    await expect.poll(() => saveStatus(page), { timeout: 15_000 }).toBe('All changes saved');

    // Forcing the publish through the API is refused with the same field, and visitors see the old page.
    const forced = await page.evaluate(async ({ slug, id }) => {
      const session = await (await fetch('/api/v1/session')).json();
      const response = await fetch(`/api/v1/tenants/${slug}/pages/${id}/publish`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken }, body: '{}' });
      return { status: response.status, body: await response.json() };
    }, { slug: site.slug, id: target.id });
    expect(forced.status).toBe(422);
    expect(forced.body.errors.map((e: { path: string }) => e.path)).toContain('sections[1].props.members[0].photo.alt');
    const visitors = await served('/people');
    expect(visitors).toContain('Meet the bakers');
    expect(visitors).not.toContain('Ada Baker');

    // Fixing the field lifts the block.
    await alt.fill('Ada at the oven');
    await expect.poll(() => publish.isDisabled()).toBe(false);
    expect(await alt.getAttribute('aria-invalid')).toBeNull();
    expect(errors).toEqual([]);
    await close();
  });
});
