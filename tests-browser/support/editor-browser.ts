import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../../tests/support/free-port.ts';
import { startServer, type RunningServer } from '../../tests/support/server-process.ts';

// Debian's chromium, never a downloaded browser. CI installs it (.ci/run).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ADMIN_HOST = 'admin.localhost';

export interface EditorServer {
  server: RunningServer;
  /** `http://admin.localhost:<port>` — the admin origin the server itself computes. */
  adminOrigin: string;
  editorUrl(path?: string): string;
  siteUrl(slug: string, path?: string): string;
}

/**
 * A real server on the suite's Postgres and Redis, on a port chosen here so the admin origin the
 * server checks CSRF against is the one the browser sends (`http://admin.localhost:<port>`).
 */
export async function startEditorServer(env: Record<string, string> = {}): Promise<EditorServer> {
  const port = await freePort();
  const server = await startServer({
    DATABASE_URL: inject('appDatabaseUrl'),
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `ed${randomBytes(4).toString('hex')}:`,
    ADMIN_HOST,
    PORT: String(port),
    ...env,
  });
  const adminOrigin = `http://${ADMIN_HOST}:${server.port}`;
  return {
    server,
    adminOrigin,
    editorUrl: (path = '/') => adminOrigin + path,
    siteUrl: (slug, path = '/') => `http://${slug}.localhost:${server.port}${path}`,
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Console errors, uncaught exceptions and Content-Security-Policy violations seen by a page. */
export async function watchErrors(page: Page, ignore: RegExp[] = []): Promise<string[]> {
  const errors: string[] = [];
  const keep = (text: string) => !ignore.some((r) => r.test(text)) && errors.push(text);
  // The address a message came from is part of what is matched, so a test can excuse an answer
  // from one place only (a preview link, say) and not the same status anywhere.
  page.on('console', (m) => m.type() === 'error' && keep(`${m.text()} at ${m.location().url}`));
  page.on('pageerror', (e) => keep(e.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return errors;
}

export async function signIn(page: Page, editor: EditorServer, email: string, password: string, path = '/'): Promise<void> {
  await page.goto(editor.editorUrl(path));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('main[data-screen]:not([data-screen="sign-in"])').waitFor();
}

let axeSource: Promise<string> | null = null;

/**
 * axe-core's serious and critical violations on the page as it is now. The script is evaluated
 * through the debugging protocol, so the page's policy (which refuses inline scripts) stays on.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

/** The screen the editor shows now (`data-screen` of its main element). */
export async function currentScreen(page: Page): Promise<string | null> {
  return page.locator('main[data-screen]').getAttribute('data-screen');
}

export const expectNoErrors = (errors: string[]) => expect(errors).toEqual([]);

/**
 * Where a screenshot goes: every run takes them (under the temp dir), and only
 * `UPDATE_SCREENSHOTS=1` writes them over the ones in docs/screenshots/ that the README shows.
 */
export const screenshotPath = (name: string): string => join(process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : join(tmpdir(), 'mosaic-screenshots'), `${name}.png`);
