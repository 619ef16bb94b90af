import { describe, expect, test } from 'vitest';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { cachedPage } from '../../src/page-cache/cached-page.ts';
import { createPageCache, type PageCache } from '../../src/page-cache/page-cache.ts';
import { createPrerender, type PageRenderer } from '../../src/render/prerender.ts';
import type { TenantRecord } from '../../src/site/site-types.ts';
import { tenantRecord as activeRecord } from '../support/tenant-record.ts';

const tenantRecord = (id: string, siteVersion: number): TenantRecord => activeRecord({ id, slug: `slug-${id.slice(0, 4)}`, name: 'A site', siteVersion });

const TENANT_A = '00000000-0000-4000-8000-00000000000a';
const TENANT_B = '00000000-0000-4000-8000-00000000000b';

/** A pre-render over a real in-memory page cache; `render` stands in for Astro and stores what it renders. */
function setup(options: { versions: Record<string, number>; paths: string[]; render?: PageRenderer; deadlineMs?: number; concurrency?: number }) {
  const pages = createPageCache({ maxEntries: 100, maxBytes: 8 * 1024 * 1024, shared: null });
  const metrics = createMetrics();
  const rendered: string[] = [];
  const warnings: string[] = [];
  const store: PageRenderer = async (site, path) => {
    rendered.push(`${site.tenant.id.slice(-1)}${path}`);
    await pages.put(site.tenant, path, cachedPage(200, `<p>${site.tenant.id} v${site.tenant.siteVersion} ${path}</p>`, 60, "default-src 'none'"), 60_000);
  };
  const prerender = createPrerender({
    config: { prerenderConcurrency: options.concurrency ?? 1, platformDomain: 'localhost', publicScheme: 'https', render: { deadlineMs: options.deadlineMs ?? 5000, concurrency: 4, queue: 4 } },
    pages,
    loadTenant: async (id) => (options.versions[id] === undefined ? null : tenantRecord(id, options.versions[id]!)),
    publishedPaths: async () => options.paths.map((path) => ({ path, publishedAt: '2026-01-01T00:00:00Z' })),
    lease: null,
    metrics,
    logger: { warn: (_obj, msg) => void warnings.push(msg) },
  });
  prerender.attach(options.render ?? store);
  const count = async (result: string) => (await metrics.prerenders.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  return { pages, prerender, rendered, warnings, store, count };
}

const body = async (pages: PageCache, tenant: TenantRecord, path: string) => {
  const held = await pages.get(tenant, path);
  return held ? pages.identity(held).toString() : undefined;
};

describe('pre-render', () => {
  test('renders the changed page and the home page under the new version before the change is announced', async () => {
    const { pages, prerender, rendered, count } = setup({ versions: { [TENANT_A]: 7 }, paths: ['/', '/about', '/menu'] });
    await prerender.beforeAnnounce({ tenantId: TENANT_A, siteVersion: 7, reason: 'publish /about', paths: ['/about/'] });
    expect(rendered.sort()).toEqual(['a/', 'a/about']);
    expect(await body(pages, tenantRecord(TENANT_A, 7), '/about')).toContain('v7 /about');
    expect(await body(pages, tenantRecord(TENANT_A, 6), '/about')).toBeUndefined();
    expect(await count('stored')).toBe(2);
  });

  test('a visitor asking during a pre-render waits for it instead of rendering again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tenant = tenantRecord(TENANT_A, 3);
    const slow: PageRenderer = async (site, path) => {
      await gate;
      await context.store(site, path);
    };
    const context = setup({ versions: { [TENANT_A]: 3 }, paths: ['/'], render: slow });
    const announcing = context.prerender.beforeAnnounce({ tenantId: TENANT_A, siteVersion: 3, reason: 'publish /', paths: ['/'] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // What the visitor front does on a miss: claim the render, or join the one under way.
    const visitor = context.pages.claimRender(tenant, '/');
    expect(visitor.claimed).toBe(false);
    release();
    const joined = visitor.claimed ? undefined : await visitor.result;
    await announcing;
    expect(joined ? context.pages.identity(joined).toString() : undefined).toContain('v3 /');
    expect(context.rendered).toEqual(['a/']);
  });

  test('a failing or stuck render never blocks the announcement: it is counted, logged and given up after the deadline', async () => {
    const failing = setup({ versions: { [TENANT_A]: 2 }, paths: ['/'], render: async () => Promise.reject(new Error('boom')) });
    await failing.prerender.beforeAnnounce({ tenantId: TENANT_A, siteVersion: 2, reason: 'publish /', paths: ['/'] });
    expect(await failing.count('failed')).toBe(1);
    expect(failing.warnings).toContain('pre-render failed');

    const stuck = setup({ versions: { [TENANT_A]: 2 }, paths: ['/'], render: () => new Promise<void>(() => {}), deadlineMs: 100 });
    const started = Date.now();
    await stuck.prerender.beforeAnnounce({ tenantId: TENANT_A, siteVersion: 2, reason: 'publish /', paths: ['/'] });
    expect(Date.now() - started).toBeLessThan(2000);

    const storedNothing = setup({ versions: { [TENANT_A]: 2 }, paths: ['/'], render: async () => {} });
    await storedNothing.prerender.beforeAnnounce({ tenantId: TENANT_A, siteVersion: 2, reason: 'publish /', paths: ['/'] });
    expect(await storedNothing.count('failed')).toBe(1);
  });

  test('a tenant-wide change renders every page in the background, home pages of all tenants first', async () => {
    const { pages, prerender, rendered } = setup({ versions: { [TENANT_A]: 5, [TENANT_B]: 9 }, paths: ['/menu', '/', '/about', '/404'] });
    prerender.onChange({ tenantId: TENANT_A, siteVersion: 5 });
    prerender.onChange({ tenantId: TENANT_B, siteVersion: 9 });
    await prerender.idle();
    // The first render starts as soon as tenant a's pages are listed; after it, every home page goes first.
    expect(rendered.slice(0, 2).sort()).toEqual(['a/', 'b/']);
    expect(rendered.slice(2).sort()).toEqual(['a/about', 'a/menu', 'b/about', 'b/menu']);
    expect(await body(pages, tenantRecord(TENANT_B, 9), '/menu')).toContain('v9 /menu');
  });

  test('work for a version that has been superseded, or heard of twice, is not done', async () => {
    const versions: Record<string, number> = { [TENANT_A]: 4 };
    const { prerender, rendered, count } = setup({ versions, paths: ['/', '/about'] });
    prerender.onChange({ tenantId: TENANT_A, siteVersion: 4 });
    prerender.onChange({ tenantId: TENANT_A, siteVersion: 4 });
    await prerender.idle();
    expect(rendered.sort()).toEqual(['a/', 'a/about']);
    // The database already holds a newer version than the one announced: that one's own notice renders it.
    versions[TENANT_A] = 6;
    prerender.onChange({ tenantId: TENANT_A, siteVersion: 5 });
    await prerender.idle();
    expect(rendered).toHaveLength(2);
    prerender.onChange({ tenantId: TENANT_A, siteVersion: 6 });
    await prerender.idle();
    expect(rendered.sort()).toEqual(['a/', 'a/', 'a/about', 'a/about']);
    // An older notice arriving late, and a page already cached, render nothing.
    prerender.onChange({ tenantId: TENANT_A, siteVersion: 3 });
    await prerender.idle();
    await prerender.beforeAnnounce({ tenantId: TENANT_A, siteVersion: 6, reason: 'publish /about', paths: ['/about'] });
    expect(rendered).toHaveLength(4);
    expect(await count('cached')).toBe(2);
  });
});
