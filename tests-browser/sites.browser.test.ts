import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../tests/support/server-process.ts';

// Debian's chromium, never a downloaded browser. CI installs it (.ci/run).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the demo sites in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const url = (slug: string, path = '/') => `http://${slug}.localhost:${server.port}${path}`;

  beforeAll(async () => {
    server = await startServer({ DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `br${Date.now()}:` });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Console errors and Content-Security-Policy violations seen by a page. */
  const watch = async (page: Page) => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    return errors;
  };

  test.each(['codersinflow', 'darkflows', 'clientsite'])('%s renders under its Content-Security-Policy without violations or console errors, with landmarks and alt text', async (slug) => {
    const page = await browser.newPage();
    const errors = await watch(page);
    const response = await page.goto(url(slug), { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    const policy = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    expect(policy).toMatch(/script-src 'self' 'sha256-/);
    expect(policy).not.toContain('unsafe-inline');
    expect(await page.locator('header').count()).toBeGreaterThan(0);
    expect(await page.locator('main#main').count()).toBe(1);
    expect(await page.locator('footer').count()).toBeGreaterThan(0);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('img:not([alt])').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the testimonial carousel island hydrates under the policy and its buttons work, from the cache too', async () => {
    const page = await browser.newPage();
    const errors = await watch(page);
    const response = await page.goto(url('codersinflow'), { waitUntil: 'networkidle' });
    expect(response?.headers()['x-mosaic-cache']).toBe('hit');
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
    const carousel = page.locator('[aria-roledescription="carousel"]');
    await carousel.scrollIntoViewIfNeeded();
    const first = await carousel.locator('blockquote').innerText();
    await expect.poll(async () => {
      await carousel.getByRole('button', { name: 'Next testimonial' }).click();
      return carousel.locator('blockquote').innerText();
    }, { timeout: 5000 }).not.toBe(first);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('an SVG with a script runs none of it when opened directly', async () => {
    const name = `probe-${randomBytes(4).toString('hex')}.svg`;
    const file = fileURLToPath(new URL(`../dist/client/brand/codersinflow/${name}`, import.meta.url));
    await writeFile(file, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>document.title = "ran"; console.error("svg script ran")</script><rect width="10" height="10"/></svg>');
    try {
      const page = await browser.newPage();
      const messages: string[] = [];
      page.on('console', (m) => messages.push(m.text()));
      const response = await page.goto(url('codersinflow', `/brand/codersinflow/${name}`));
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toContain('image/svg+xml');
      await page.waitForTimeout(300);
      expect(await page.title()).not.toBe('ran');
      expect(messages).not.toContain('svg script ran');
      await page.close();
    } finally {
      await rm(file, { force: true });
    }
  });

  test('on a phone the menu opens without JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url('clientsite'));
    const menu = page.getByText('Menu', { exact: true });
    await expect.poll(() => menu.isVisible()).toBe(true);
    await menu.click();
    await expect.poll(() => page.getByRole('navigation', { name: 'Main (compact)' }).getByRole('link', { name: 'Treatments' }).isVisible()).toBe(true);
    await context.close();
  });

  test('a visitor can send the contact form and sees the confirmation', async () => {
    const page = await browser.newPage();
    await page.goto(url('clientsite', '/contact'));
    await page.getByLabel('Name').fill('Ada Visitor');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Message').fill('Could I book a check-up next week?');
    await page.getByRole('button', { name: 'Request appointment' }).click();
    await page.waitForURL(/contact=sent/);
    expect(await page.getByRole('status').innerText()).toContain('Thank you');
    await page.close();
  });
});
