import { afterEach, describe, expect, test } from 'vitest';
import { startStaleSweeper } from '../../src/cache/stale-sweeper.ts';
import { cachedPage } from '../../src/page-cache/cached-page.ts';
import { createPageCache, entrySize, NOT_FOUND_SHARE, ownBytes } from '../../src/page-cache/page-cache.ts';
import { pageHtmlKey, tenantPrefix } from '../../src/site/cache-keys.ts';
import type { TenantRecord } from '../../src/site/site-types.ts';

const tenant: TenantRecord = {
  id: '00000000-0000-4000-8000-000000000001',
  slug: 'acme',
  name: 'Acme',
  status: 'active',
  plan: 'starter',
  planOverrides: {},
  settings: {},
  siteVersion: 1,
  primaryHostname: null,
};
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

  test('a tenant is forgotten in both shares', async () => {
    const cache = createPageCache({ maxEntries: 100, maxBytes: 1024 * 1024, shared: null });
    await cache.put(tenant, '/', page(200, 'home'), 60_000);
    await cache.put(tenant, '/nope', page(404, 'gone'), 60_000);
    cache.forget(tenantPrefix(tenant.id));
    expect(cache.bytes).toBe(0);
    expect(await cache.get(tenant, '/nope')).toBeUndefined();
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
