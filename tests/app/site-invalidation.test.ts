import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createSiteInvalidation } from '../../src/app/site-invalidation.ts';
import { createMemoryLayer } from '../../src/cache/memory-layer.ts';
import { createTieredCache } from '../../src/cache/tiered-cache.ts';
import { hostKeyFor, pageKey, tenantKey, themeKey } from '../../src/site/cache-keys.ts';

const quiet = { debug: () => {}, warn: () => {} };
const TTL = { ttlMs: 60_000, negativeTtlMs: 60_000 };

function setup() {
  const memory = createMemoryLayer({ maxEntries: 1000, maxBytes: 1_000_000 });
  const cache = createTieredCache({ layers: [memory] });
  const invalidation = createSiteInvalidation({ cache, memory, pages: null, platformDomain: 'example.net', logger: quiet });
  const tenantId = randomUUID();
  const put = (key: string, value: unknown) => cache.getOrLoad(key, async () => value, TTL);
  return { memory, cache, invalidation, tenantId, put, has: (key: string) => memory.peek(key) !== undefined };
}

const message = (tenantId: string, siteVersion: number, hostnames?: string[]) => ({ tenantId, siteVersion, reason: 'test', origin: 'test', hostnames });

describe('site invalidation in one process', () => {
  test('a newer site version drops the tenant’s entries; the same news again changes nothing', async () => {
    const t = setup();
    await t.put(tenantKey(t.tenantId), { id: t.tenantId, siteVersion: 3 });
    await t.put(pageKey(t.tenantId, 3, '/'), { title: 'x' });
    t.invalidation.onChange(message(t.tenantId, 3));
    expect(t.has(tenantKey(t.tenantId))).toBe(true);
    t.invalidation.onChange(message(t.tenantId, 4));
    expect(t.has(tenantKey(t.tenantId))).toBe(false);
    expect(t.has(pageKey(t.tenantId, 3, '/'))).toBe(false);
  });

  test('the same change heard again while the tenant record is being reloaded leaves the reload alone', async () => {
    const t = setup();
    await t.put(tenantKey(t.tenantId), { id: t.tenantId, siteVersion: 3 });
    t.invalidation.onChange(message(t.tenantId, 4));
    expect(t.has(tenantKey(t.tenantId))).toBe(false);
    // A reload under way (the warmer's, or a request's) when the change log repeats the news.
    let finish!: (record: unknown) => void;
    const reload = t.cache.getOrLoad<unknown>(tenantKey(t.tenantId), () => new Promise<unknown>((resolve) => (finish = resolve)), TTL);
    await new Promise((resolve) => setImmediate(resolve));
    t.invalidation.onChange(message(t.tenantId, 4));
    finish({ id: t.tenantId, siteVersion: 4 });
    await reload;
    // Stored: the repeat did not void it.
    expect(t.has(tenantKey(t.tenantId))).toBe(true);
    // A newer change still drops it.
    t.invalidation.onChange(message(t.tenantId, 5));
    expect(t.has(tenantKey(t.tenantId))).toBe(false);
  });

  test('a changed tenant is handed to the warmer only when this process held its record or pages', () => {
    const memory = createMemoryLayer({ maxEntries: 1000, maxBytes: 1_000_000 });
    const cache = createTieredCache({ layers: [memory] });
    const warmed: string[] = [];
    const invalidation = createSiteInvalidation({ cache, memory, pages: null, warm: (m) => void warmed.push(m.tenantId), platformDomain: 'example.net', logger: quiet });
    const [served, unknown] = [randomUUID(), randomUUID()];
    memory.set(tenantKey(served), { value: { id: served, siteVersion: 1 }, expiresAt: Date.now() + 60_000 });
    invalidation.onChange(message(served, 2));
    invalidation.onChange(message(unknown, 2));
    expect(warmed).toEqual([served]);
  });

  test('hostnames in the message are dropped even when the tenant record is already current', async () => {
    const t = setup();
    await t.put(tenantKey(t.tenantId), { id: t.tenantId, siteVersion: 5 });
    const moved = hostKeyFor('shop.example', 'example.net');
    const platform = hostKeyFor('acme.example.net', 'example.net');
    const untouched = hostKeyFor('other.example', 'example.net');
    for (const key of [moved, platform, untouched]) await t.put(key, { tenantId: t.tenantId });
    t.invalidation.onChange(message(t.tenantId, 5, ['shop.example', 'acme.example.net']));
    expect([t.has(moved), t.has(platform), t.has(untouched), t.has(tenantKey(t.tenantId))]).toEqual([false, false, true, true]);
  });

  test('a gap drops tenant records and host lookups only: versioned entries stay', async () => {
    const t = setup();
    const other = randomUUID();
    await t.put(tenantKey(t.tenantId), { siteVersion: 1 });
    await t.put(tenantKey(other), { siteVersion: 1 });
    await t.put(hostKeyFor('a.example', 'example.net'), { tenantId: t.tenantId });
    await t.put(themeKey(t.tenantId, 1), { css: '' });
    await t.put(pageKey(t.tenantId, 1, '/odd:tenant'), { title: 'a path that ends like a tenant key' });
    t.invalidation.onGap();
    expect(t.has(tenantKey(t.tenantId))).toBe(false);
    expect(t.has(tenantKey(other))).toBe(false);
    expect(t.has(hostKeyFor('a.example', 'example.net'))).toBe(false);
    expect(t.has(themeKey(t.tenantId, 1))).toBe(true);
    expect(t.has(pageKey(t.tenantId, 1, '/odd:tenant'))).toBe(true);
  });
});
