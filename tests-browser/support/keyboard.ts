import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** What has the keyboard focus: its role-ish tag, accessible name and whether focus is drawn. */
interface Focused {
  tag: string;
  name: string;
  visible: boolean;
}

const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', name: '', visible: false };
    const labelled = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null) ?? el.textContent ?? '';
    const style = getComputedStyle(el);
    // Focus is drawn either by the outline or by the ring the editor paints with box-shadow.
    const drawn = (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none';
    return { tag: el.tagName.toLowerCase(), name: labelled.trim().replace(/\s+/g, ' '), visible: el.matches(':focus-visible') && drawn };
  });

/** The Tab searches of the running test, newest last, so a failure can say how far it got. */
export const tabTrail: string[] = [];

/** `work`, or a failure naming `what` once `ms` pass: a page that stops answering fails the step. */
async function bounded<T>(what: string, work: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's accessible name matches, as someone
 * without a mouse would; every stop on the way must show where the focus is.
 */
export async function tabTo(page: Page, name: string | RegExp, options: { backwards?: boolean; max?: number } = {}): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  const seen: string[] = [];
  tabTrail.push(String(name));
  for (let i = 0; i < (options.max ?? 80); i++) {
    const key = options.backwards ? 'Shift+Tab' : 'Tab';
    await bounded(`${key} towards “${String(name)}” after ${seen.join(' | ')}`, page.keyboard.press(key));
    const now = await bounded(`reading the focus on the way to “${String(name)}”`, focused(page));
    seen.push(`${now.tag}:${now.name}`);
    if (now.tag !== 'body' && now.tag !== 'iframe') expect(now.visible, `focus is not visible on ${now.tag} “${now.name}”`).toBe(true);
    if (matches(now.name)) return;
  }
  throw new Error(`Tab never reached “${String(name)}”; it went through: ${seen.join(' | ')}`);
}

/** The accessible name of what has the focus now. */
export const focusedName = async (page: Page): Promise<string> => (await focused(page)).name;
