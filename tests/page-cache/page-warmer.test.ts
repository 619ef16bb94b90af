import { describe, expect, test } from 'vitest';
import type { CacheEntry, CacheLayer } from '../../src/cache/cache-layer.ts';
import { cachedPage } from '../../src/page-cache/cached-page.ts';
import { createPageCache } from '../../src/page-cache/page-cache.ts';
import { createPageWarmer, MAX_WARM_PATHS, MAX_WARM_QUEUED, type WarmResult } from '../../src/page-cache/page-warmer.ts';
import { tenantPrefix } from '../../src/site/cache-keys.ts';
import type { TenantRecord } from '../../src/site/site-types.ts';
import { tenantRecord } from '../support/tenant-record.ts';

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const tenantAt = (siteVersion: number, status: TenantRecord['status'] = 'active'): TenantRecord => tenantRecord({ id: TENANT, siteVersion, status });
const CSP = "default-src 'self'";

/** Redis as a map; `hold` makes every read wait until released, to count reads under way. */
function sharedLayer() {
  const entries = new Map<string, CacheEntry>();
  let reading = 0;
  let mostAtOnce = 0;
  let gate: Promise<void> | null = null;
  let down = false;
  const layer: CacheLayer = {
    name: 'redis',
    async get(key) {
      if (down) throw new Error('connection refused');
      reading++;
      mostAtOnce = Math.max(mostAtOnce, reading);
      if (gate) await gate;
      reading--;
      return entries.get(key);
    },
    async set(key, entry) {
      entries.set(key, structuredClone(entry));
    },
    async delete(keys) {
      for (const key of keys) entries.delete(key);
    },
  };
  return {
    layer,
    mostAtOnce: () => mostAtOnce,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
    breakIt: () => (down = true),
  };
}

/** Instance A stores pages (memory + Redis); instance B shares only Redis and warms from it. */
function setup(options: { concurrency?: number; record?: TenantRecord | null | (() => Promise<TenantRecord | null>) } = {}) {
  const redis = sharedLayer();
  const a = createPageCache({ maxEntries: 1000, maxBytes: 64 * 1024 * 1024, shared: redis.layer });
  const b = createPageCache({ maxEntries: 1000, maxBytes: 64 * 1024 * 1024, shared: redis.layer });
  const results: WarmResult[] = [];
  const forgotten: string[] = [];
  const record = options.record === undefined ? tenantAt(2) : options.record;
  const warmer = createPageWarmer({
    concurrency: options.concurrency ?? 2,
    pages: b,
    loadTenant: typeof record === 'function' ? record : async () => record,
    forgetTenant: (id) => void forgotten.push(id),
    onResult: (result) => void results.push(result),
    logger: { warn: () => {} },
  });
  // Big enough to be held compressed, as real pages are.
  const html = (version: number, path: string) => `<main>v${version} ${path}</main>${'<p>filler text for compression</p>'.repeat(60)}`;
  const publish = (version: number, path: string) => a.put(tenantAt(version), path, cachedPage(200, html(version, path), 300, CSP), 60_000);
  const text = (version: number, path: string) => {
    const held = b.peek(tenantAt(version), path);
    return held ? /<main>[^<]*<\/main>/.exec(b.identity(held).toString())?.[0] : undefined;
  };
  return { redis, a, b, warmer, results, forgotten, publish, text };
}

describe('warming pages after a change', () => {
  test('the pages held before and the pages the change names are in memory at the new version before any request', async () => {
    const t = setup();
    for (const path of ['/', '/about', '/menu', '/contact']) await t.publish(1, path);
    for (const path of ['/', '/about']) await t.b.get(tenantAt(1), path);
    const held = t.b.forget(tenantPrefix(TENANT));
    expect(held.sort()).toEqual(['/', '/about']);

    for (const path of ['/', '/about', '/menu', '/contact']) await t.publish(2, path);
    t.warmer.warm({ tenantId: TENANT, siteVersion: 2, paths: ['/menu/'] }, held);
    await t.warmer.idle();

    expect(t.text(2, '/about')).toBe('<main>v2 /about</main>');
    expect(t.text(2, '/')).toBe('<main>v2 /</main>');
    expect(t.text(2, '/menu')).toBe('<main>v2 /menu</main>');
    // Neither held nor named: left for a request.
    expect(t.text(2, '/contact')).toBeUndefined();
    expect(t.results.filter((r) => r === 'stored')).toHaveLength(3);

    // The same change heard again (pub/sub, then the change log): what is held is not read again.
    t.warmer.warm({ tenantId: TENANT, siteVersion: 2, paths: ['/menu/'] }, []);
    await t.warmer.idle();
    expect(t.results).toHaveLength(3);
  });

  test('a tenant record older than the change is dropped from memory and nothing is fetched for it', async () => {
    const t = setup({ record: tenantAt(1) });
    await t.publish(1, '/');
    t.warmer.warm({ tenantId: TENANT, siteVersion: 2 }, ['/']);
    await t.warmer.idle();
    expect(t.forgotten).toEqual([TENANT]);
    expect(t.results).toEqual(['behind']);
    expect(t.text(1, '/')).toBeUndefined();
  });

  test('a page Redis does not hold is counted absent and not rendered; a suspended site fetches nothing', async () => {
    const t = setup();
    t.warmer.warm({ tenantId: TENANT, siteVersion: 2 }, ['/gone']);
    await t.warmer.idle();
    expect(t.results).toEqual(['absent']);

    const suspended = setup({ record: tenantAt(2, 'suspended') });
    await suspended.publish(2, '/');
    suspended.warmer.warm({ tenantId: TENANT, siteVersion: 2 }, ['/']);
    await suspended.warmer.idle();
    expect(suspended.results).toEqual([]);
    expect(suspended.text(2, '/')).toBeUndefined();
  });

  test('reads run at most `concurrency` at once, and at most MAX_WARM_PATHS pages are fetched per change', async () => {
    const t = setup({ concurrency: 3 });
    const paths = Array.from({ length: MAX_WARM_PATHS + 20 }, (_, i) => `/p${i}`);
    const release = t.redis.hold();
    t.warmer.warm({ tenantId: TENANT, siteVersion: 2 }, paths);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.redis.mostAtOnce()).toBe(3);
    release();
    await t.warmer.idle();
    expect(t.redis.mostAtOnce()).toBe(3);
    expect(t.results).toHaveLength(MAX_WARM_PATHS);
  });

  test('beyond MAX_WARM_QUEUED waiting reads, pages are dropped (left for their first request), not queued', async () => {
    const t = setup({ concurrency: 1 });
    const release = t.redis.hold();
    const changes = Math.ceil(MAX_WARM_QUEUED / MAX_WARM_PATHS) + 1;
    const paths = Array.from({ length: MAX_WARM_PATHS }, (_, i) => `/p${i}`);
    for (let i = 0; i < changes; i++) t.warmer.warm({ tenantId: TENANT, siteVersion: 2 }, paths);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await t.warmer.idle();
    // Every page is accounted for: read, or dropped once the queue (reads and changes waiting) was full.
    const read = t.results.filter((r) => r !== 'dropped').length;
    expect(read + t.results.filter((r) => r === 'dropped').length).toBe(changes * MAX_WARM_PATHS);
    expect(read).toBeLessThanOrEqual(MAX_WARM_QUEUED + 1);
    expect(read).toBeGreaterThan(MAX_WARM_QUEUED - changes);
  });

  test('a dead Redis or a failing tenant load is counted and never thrown; concurrency 0 does nothing', async () => {
    const t = setup();
    t.redis.breakIt();
    t.warmer.warm({ tenantId: TENANT, siteVersion: 2 }, ['/', '/about']);
    await t.warmer.idle();
    expect(t.results).toEqual(['failed', 'failed']);

    const failing = setup({ record: () => Promise.reject(new Error('database down')) });
    failing.warmer.warm({ tenantId: TENANT, siteVersion: 2 }, ['/']);
    await failing.warmer.idle();
    expect(failing.results).toEqual(['failed']);

    const off = setup({ concurrency: 0 });
    await off.publish(2, '/');
    off.warmer.warm({ tenantId: TENANT, siteVersion: 2 }, ['/']);
    await off.warmer.idle();
    expect(off.results).toEqual([]);
    expect(off.text(2, '/')).toBeUndefined();
  });
});
