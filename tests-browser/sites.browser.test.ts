import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
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

  test.each(['codersinflow', 'darkflows', 'clientsite'])('%s renders without console errors, with landmarks and alt text', async (slug) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(url(slug), { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    expect(await page.locator('header').count()).toBeGreaterThan(0);
    expect(await page.locator('main#main').count()).toBe(1);
    expect(await page.locator('footer').count()).toBeGreaterThan(0);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('img:not([alt])').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the testimonial carousel hydrates and its buttons work', async () => {
    const page = await browser.newPage();
    await page.goto(url('codersinflow'), { waitUntil: 'networkidle' });
    const carousel = page.locator('[aria-roledescription="carousel"]');
    await carousel.scrollIntoViewIfNeeded();
    const first = await carousel.locator('blockquote').innerText();
    await expect.poll(async () => {
      await carousel.getByRole('button', { name: 'Next testimonial' }).click();
      return carousel.locator('blockquote').innerText();
    }, { timeout: 5000 }).not.toBe(first);
    await page.close();
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
