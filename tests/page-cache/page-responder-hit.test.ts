import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CacheEntry, CacheLayer } from '../../src/cache/cache-layer.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { cachedPage } from '../../src/page-cache/cached-page.ts';
import { createPageCache } from '../../src/page-cache/page-cache.ts';
import { createPageResponder } from '../../src/page-cache/page-responder.ts';
import type { ResolvedSite } from '../../src/request/resolve-site.ts';
import type { TenantRecord } from '../../src/site/site-types.ts';
import { request } from '../support/server-process.ts';
import { tenantRecord } from '../support/tenant-record.ts';

const tenant: TenantRecord = tenantRecord({ id: '00000000-0000-4000-8000-000000000002', slug: 'lean', name: 'Lean', siteVersion: 3 });
const site: ResolvedSite = { kind: 'site', tenant, origin: 'http://lean.localhost', host: 'lean.localhost' };
const config = {
  pageCache: { enabled: true, maxEntries: 100, maxBytes: 8 * 1024 * 1024, ttlMs: 60_000, warmConcurrency: 0, cdnMaxAgeSeconds: 60, cdnStaleSeconds: 30 },
  cache: { maxEntries: 100, maxBytes: 1024 * 1024, ttlMs: 60_000, tenantTtlMs: 60_000, negativeTtlMs: 5_000, staleMs: 0, leaseMs: 1_000, versionCheckMs: 1_000 },
};

/** A shared layer that records every call, standing in for Redis to show which calls a hit makes. */
function spyLayer(): CacheLayer & { calls: string[] } {
  const stored = new Map<string, CacheEntry>();
  const calls: string[] = [];
  return {
    name: 'spy',
    calls,
    async get(key) {
      calls.push(`get ${key}`);
      return stored.get(key);
    },
    async set(key, entry) {
      calls.push(`set ${key}`);
      stored.set(key, entry);
    },
    async delete(keys) {
      calls.push(`delete ${keys.join()}`);
    },
  };
}

describe('a memory hit is answered synchronously', () => {
  const shared = spyLayer();
  const pages = createPageCache({ maxEntries: 100, maxBytes: 8 * 1024 * 1024, shared });
  const responder = createPageResponder({ pages, config, metrics: createMetrics(), vary: null });
  const outcomes: { returned: unknown; ended: boolean }[] = [];
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const returned = responder.hit(req, res, site, '/', false);
      // Written and ended before `hit` returned: nothing was awaited on the way.
      outcomes.push({ returned, ended: res.writableEnded });
      if (!returned) {
        res.writeHead(599);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('not held: false, and the page cache is not asked beyond memory', async () => {
    const res = await request(port, '/', { host: 'lean.localhost' });
    expect(res.status).toBe(599);
    expect(outcomes.at(-1)).toEqual({ returned: false, ended: false });
    expect(shared.calls).toEqual([]);
  });

  test('held: answered before hit returns, with no call to the shared layer', async () => {
    const html = `<!doctype html><title>Lean</title>${'<p>a paragraph of a page</p>'.repeat(200)}`;
    await pages.put(tenant, '/', cachedPage(200, html, 300, "default-src 'self'"), 60_000);
    const callsAfterPut = shared.calls.length;
    for (const accept of [undefined, 'gzip', 'br']) {
      const res = await request(port, '/', { host: 'lean.localhost', headers: accept ? { 'accept-encoding': accept } : {} });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(accept);
      expect(outcomes.at(-1)).toEqual({ returned: true, ended: true });
    }
    expect(shared.calls.length).toBe(callsAfterPut);
  });
});
