import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addMembership, createTestUser } from '../tests/support/accounts.ts';
import { createTestTenant, openTestDatabases } from '../tests/support/databases.ts';
import { publishAs } from '../tests/support/publish.ts';
import { request } from '../tests/support/server-process.ts';
import { launchBrowser, signIn, startEditorServer, watchErrors, type EditorServer } from './support/editor-browser.ts';
import { tabTo } from './support/keyboard.ts';

const PASSWORD = 'a long enough passphrase 7';
const EXPECTED = [/401 \(Unauthorized\)/];

describe('the page editor’s promises: keyboard only, two editors, viewers, invalid sections', { timeout: 180_000 }, () => {
  const dbs = openTestDatabases(2);
  let editor: EditorServer;
  let browser: Browser;
  let site: { id: string; slug: string };

  beforeAll(async () => {
    [editor, browser, site] = await Promise.all([startEditorServer(), launchBrowser(), createTestTenant(dbs.admin, { domains: [] })]);
  }, 60_000);
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

    for (const label of ['Hero', 'Features']) {
      await tabTo(page, 'Add a section');
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
    await page.keyboard.press('ArrowUp');
    await expect.poll(said).toContain('is over position 1 of 2');
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
});
