import { afterEach, describe, expect, test } from 'vitest';
import { startStaleSweeper } from '../../src/cache/stale-sweeper.ts';
import { cachedPage } from '../../src/page-cache/cached-page.ts';
import { ownBytes } from '../../src/page-cache/page-bytes.ts';
import { createPageCache, entrySize, NOT_FOUND_SHARE, PEEK_RECHECK_MS } from '../../src/page-cache/page-cache.ts';
import { pageHtmlKey, tenantPrefix } from '../../src/site/cache-keys.ts';
import { tenantRecord } from '../support/tenant-record.ts';

const tenant = tenantRecord();
const CSP = "default-src 'self'; script-src 'sha256-abc'";
const page = (status: number, html: string) => cachedPage(status, html, 300, CSP);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('page cache memory accounting', () => {
  test('a small page holds bytes of its own, not a slice of the shared pool', async () => {
    const html = '<p>tiny page</p>';
    // The hazard: Buffer.from puts a small string in the shared 8 KiB pool.
    expect(Buffer.from(html).buffer.byteLength).toBeGreaterThan(Buffer.byteLength(html));
    expect(ownBytes(html).buffer.byteLength).toBe(Buffer.byteLength(html));

    const cache = createPageCache({ maxEntries: 100, maxBytes: 1024 * 1024, shared: null });
    await cache.put(tenant, '/', page(200, html), 60_000);
    const held = (await cache.get(tenant, '/'))!;
    // Below 1 KiB a page is kept as identity only.
    expect(held.gzip).toBeNull();
    expect(held.body!.toString()).toBe(html);
    expect(held.body!.buffer.byteLength).toBe(held.body!.length);
    expect(held.body!.byteOffset).toBe(0);
  });

  test('the budget counts the bytes an entry really keeps alive', async () => {
    const cache = createPageCache({ maxEntries: 100, maxBytes: 1024 * 1024, shared: null });
    const html = 'é'.repeat(3000);
    await cache.put(tenant, '/x', page(200, html), 60_000);
    const held = (await cache.get(tenant, '/x'))!;
    // Stored compressed: gzip and brotli, each in bytes of its own, and no identity copy.
    expect(held.body).toBeNull();
    for (const form of [held.gzip!, held.br!]) expect(form.buffer.byteLength).toBe(form.length);
    const key = pageHtmlKey(tenant.id, 1, '/x');
    const compressed = held.gzip!.length + held.br!.length;
    expect(entrySize(held, key)).toBeGreaterThanOrEqual(compressed + key.length + CSP.length);
    expect(cache.bytes).toBe(entrySize(held, key));
    expect(cache.holdings()).toEqual({ page: { entries: 1, bytes: cache.bytes }, 'not-found': { entries: 0, bytes: 0 } });

    // A client that accepts no encoding: identity is derived once, kept, and counted.
    const before = cache.bytes;
    expect(cache.identity(held).toString()).toBe(html);
    const after = (await cache.get(tenant, '/x'))!;
    expect(after.body!.length).toBe(6000);
    expect(cache.bytes).toBe(before + 6000);
    expect(cache.bytes).toBe(entrySize(after, key));
  });

  test('not-found pages cannot push out real pages beyond their share', async () => {
    const maxBytes = 2 * 1024 * 1024;
    const cache = createPageCache({ maxEntries: 10_000, maxBytes, shared: null });
    const paths = Array.from({ length: 40 }, (_, i) => `/page-${i}`);
    for (const path of paths) await cache.put(tenant, path, page(200, 'p'.repeat(20_000)), 60_000);
    for (let i = 0; i < 2000; i++) await cache.put(tenant, `/missing/${i}`, page(404, 'n'.repeat(5_000)), 60_000);

    for (const path of paths) expect((await cache.get(tenant, path))?.page.status).toBe(200);
    const held = cache.holdings();
    expect(held['not-found']!.entries).toBeGreaterThan(0);
    expect(held['not-found']!.entries).toBeLessThan(2000);
    expect(held['not-found']!.bytes).toBeLessThanOrEqual(maxBytes * NOT_FOUND_SHARE);
    expect((await cache.get(tenant, '/missing/1999'))?.page.status).toBe(404);
    expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
  });

  test('a tenant is forgotten in both shares, and the paths of the pages it held are told (not its not-found answers)', async () => {
    const cache = createPageCache({ maxEntries: 100, maxBytes: 1024 * 1024, shared: null });
    await cache.put(tenant, '/', page(200, 'home'), 60_000);
    await cache.put(tenant, '/about/', page(200, 'about'), 60_000);
    await cache.put(tenant, '/nope', page(404, 'gone'), 60_000);
    await cache.put({ ...tenant, id: '00000000-0000-4000-8000-000000000002' }, '/other', page(200, 'other'), 60_000);
    expect(cache.forget(tenantPrefix(tenant.id)).sort()).toEqual(['/', '/about']);
    expect(cache.holdings().page?.entries).toBe(1);
    expect(cache.holdings()['not-found']?.entries).toBe(0);
    expect(await cache.get(tenant, '/nope')).toBeUndefined();
  });

  test('forgetting below a site version keeps the pages of that version and newer', async () => {
    const cache = createPageCache({ maxEntries: 100, maxBytes: 1024 * 1024, shared: null });
    const at = (siteVersion: number) => ({ ...tenant, siteVersion });
    await cache.put(at(1), '/', page(200, 'home v1'), 60_000);
    await cache.put(at(1), '/about', page(200, 'about v1'), 60_000);
    await cache.put(at(2), '/', page(200, 'home v2'), 60_000);
    await cache.put(at(3), '/', page(200, 'home v3'), 60_000);
    expect(cache.forget(tenantPrefix(tenant.id), 2).sort()).toEqual(['/', '/about']);
    expect(cache.peek(at(1), '/')).toBeUndefined();
    expect(cache.identity(cache.peek(at(2), '/')!).toString()).toBe('home v2');
    expect(cache.identity(cache.peek(at(3), '/')!).toString()).toBe('home v3');
  });
});

describe('expired pages are dropped without being read', () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  test('purgeStale drops expired entries of both shares', async () => {
    const cache = createPageCache({ maxEntries: 100, maxBytes: 1024 * 1024, shared: null });
    await cache.put(tenant, '/', page(200, 'home'), 30);
    await cache.put(tenant, '/nope', page(404, 'gone'), 30);
    await cache.put(tenant, '/kept', page(200, 'kept'), 60_000);
    await sleep(60);
    expect(cache.holdings().page!.entries).toBe(2);
    expect(cache.purgeStale()).toBe(true);
    expect(cache.holdings()).toEqual({ page: { entries: 1, bytes: cache.bytes }, 'not-found': { entries: 0, bytes: 0 } });
  });

  test('the sweeper purges on its own', async () => {
    const cache = createPageCache({ maxEntries: 1000, maxBytes: 1024 * 1024, shared: null });
    for (let i = 0; i < 20; i++) await cache.put(tenant, `/missing/${i}`, page(404, 'gone'), 50);
    expect(cache.holdings()['not-found']!.entries).toBe(20);
    stop = startStaleSweeper([cache], 10);
    await sleep(100);
    expect(cache.holdings()['not-found']).toEqual({ entries: 0, bytes: 0 });
    expect(cache.bytes).toBe(0);
  });
});

describe('peek remembers pages per tenant record and path', () => {
  const html = '<main>' + 'a page worth compressing '.repeat(100) + '</main>';

  test('a replaced, forgotten or expired page is never answered from the memo', async () => {
    const cache = createPageCache({ maxEntries: 100, maxBytes: 1024 * 1024, shared: null });
    await cache.put(tenant, '/', page(200, html), 60_000);
    const first = cache.peek(tenant, '/')!;
    expect(cache.peek(tenant, '/')).toBe(first);

    await cache.put(tenant, '/', page(200, html.replace('page', 'PAGE')), 60_000);
    const second = cache.peek(tenant, '/')!;
    expect(first.retired).toBe(true);
    expect(second).not.toBe(first);
    expect(cache.identity(second).toString()).toContain('PAGE');

    cache.forget(tenantPrefix(tenant.id));
    expect(cache.peek(tenant, '/')).toBeUndefined();

    // Memory holds the page as soon as `put` is called (its compression may take longer than its life).
    const stored = cache.put(tenant, '/short', page(200, html), 200);
    expect(cache.peek(tenant, '/short')).toBeDefined();
    await sleep(300);
    await stored;
    expect(cache.peek(tenant, '/short')).toBeUndefined();
  });

  test('another site version or tenant never reads the memo of this one', async () => {
    const cache = createPageCache({ maxEntries: 100, maxBytes: 1024 * 1024, shared: null });
    await cache.put(tenant, '/about/', page(200, html), 60_000);
    expect(cache.peek(tenant, '/about')).toBeDefined();
    expect(cache.peek(tenant, '/about/')).toBe(cache.peek(tenant, '/about'));
    expect(cache.peek({ ...tenant, siteVersion: 2 }, '/about')).toBeUndefined();
    expect(cache.peek({ ...tenant, id: '00000000-0000-4000-8000-000000000002' }, '/about')).toBeUndefined();
  });

  test('a page pushed out of memory is let go by the memo too', async () => {
    const cache = createPageCache({ maxEntries: 2, maxBytes: 1024 * 1024, shared: null });
    await cache.put(tenant, '/a', page(200, html), 60_000);
    const a = cache.peek(tenant, '/a')!;
    expect(a.memo).not.toBeNull();
    await cache.put(tenant, '/b', page(200, html), 60_000);
    await cache.put(tenant, '/c', page(200, html), 60_000);
    expect(a.retired).toBe(true);
    // Nothing still points at the dropped page's bytes from the memo.
    expect(a.memo).toBeNull();
    expect(cache.peek(tenant, '/a')).toBeUndefined();
  });

  test('a page in the memo is read from the LRU again after PEEK_RECHECK_MS, keeping its place', async () => {
    let clock = Date.now();
    const cache = createPageCache({ maxEntries: 2, maxBytes: 1024 * 1024, shared: null, now: () => clock });
    await cache.put(tenant, '/a', page(200, html), 60_000);
    await cache.put(tenant, '/b', page(200, html), 60_000);
    cache.peek(tenant, '/a');
    clock += PEEK_RECHECK_MS;
    // Read again through the LRU: /a is now the most recently used, so /b is the one pushed out.
    expect(cache.peek(tenant, '/a')).toBeDefined();
    await cache.put(tenant, '/c', page(200, html), 60_000);
    expect(cache.peek(tenant, '/a')).toBeDefined();
    expect(cache.peek(tenant, '/b')).toBeUndefined();
  });
});
