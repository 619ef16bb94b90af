import { describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { components } from '../../registry/components.ts';
import { createRegistry } from '../../registry/registry.ts';
import type { SiteInfo } from '../../registry/types.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { planPage, type PlannedSection } from '../../src/render/plan-page.ts';
import { createFragmentStore, isReusable, pageFragments } from '../../src/render/section-fragments.ts';
import type { SiteRepository } from '../../src/site/site-repository.ts';
import type { TenantRecord } from '../../src/site/site-types.ts';
import { renderTenantTheme } from '../../src/site/tenant-theme.ts';
import { tenantRecord } from '../support/tenant-record.ts';

const registry = createRegistry(catalog, components);
const tenant = (id: string): TenantRecord => tenantRecord({ id, slug: 'clientsite', name: 'A site', siteVersion: 3 });
const A = tenant('00000000-0000-4000-8000-00000000000a');
const B = tenant('00000000-0000-4000-8000-00000000000b');
const site: SiteInfo = { slug: 'clientsite', name: 'A site', origin: 'https://a.example', path: '/', logoUrl: null, flags: {} };
const ocean = renderTenantTheme({ preset: 'ocean', overrides: {}, logoUrl: null, faviconUrl: null } as never);
const forest = renderTenantTheme({ preset: 'forest', overrides: {}, logoUrl: null, faviconUrl: null } as never);

const section = (overrides: Partial<PlannedSection> = {}): PlannedSection => ({
  key: '0-hero',
  index: 0,
  type: 'hero',
  maxAgeSeconds: null,
  variant: null,
  component: () => null,
  props: { title: 'Hello' },
  data: undefined,
  cacheable: true,
  ...overrides,
});

function setup(maxBytes = 1024 * 1024) {
  const metrics = createMetrics();
  const store = createFragmentStore({ maxBytes, counts: metrics.sectionFragments });
  const count = async (result: string) => (await metrics.sectionFragments.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  return { store, count };
}

const keyFor = (inputs: Partial<Parameters<typeof pageFragments>[1]>, planned = section()) => {
  const { store } = setup();
  return pageFragments(store, { tenant: A, theme: ocean, site, buildId: 'b1', ...inputs })!.keyOf(planned);
};

describe('section fragment keys', () => {
  test('carry the tenant id in the tenant’s hash-tagged prefix', () => {
    expect(keyFor({})).toMatch(/^t:\{00000000-0000-4000-8000-00000000000a\}:fragment:/);
  });

  test('never match across tenants, themes, builds, site facts, components or content', () => {
    const base = keyFor({});
    const others = [
      keyFor({ tenant: B }),
      keyFor({ theme: forest }),
      keyFor({ theme: { ...ocean, logoUrl: '/logo.svg' } }),
      keyFor({ tenant: { ...A, settings: { locale: 'fr' } } }),
      keyFor({ buildId: 'b2' }),
      keyFor({ site: { ...site, name: 'Renamed' } }),
      keyFor({ site: { ...site, origin: 'https://b.example' } }),
      keyFor({ site: { ...site, path: '/about' } }),
      keyFor({}, section({ variant: 'split' })),
      keyFor({}, section({ props: { title: 'Hello!' } })),
      keyFor({}, section({ data: { posts: [] } })),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
    // The same inputs give the same key; a publish (site version) alone does not move it.
    expect(keyFor({ tenant: { ...A, siteVersion: 4 } })).toBe(base);
  });

  test('none for a section rendered every time, and no fragments at all when the URL carries flags or fragments are off', () => {
    expect(keyFor({}, section({ cacheable: false }))).toBeNull();
    // Data JSON cannot state fully would give different content one key.
    expect(keyFor({}, section({ data: { seen: new Map([['a', 1]]) } }))).toBeNull();
    expect(keyFor({}, section({ data: [new Set([1])] }))).toBeNull();
    expect(keyFor({}, section({ data: { posts: [{ title: 'a' }] } }))).not.toBeNull();
    const { store } = setup();
    expect(pageFragments(store, { tenant: A, theme: ocean, site: { ...site, flags: { contact: 'sent' } }, buildId: 'b1' })).toBeNull();
    expect(pageFragments(null, { tenant: A, theme: ocean, site, buildId: 'b1' })).toBeNull();
    expect(setup(0).store).toBeNull();
  });
});

describe('the fragment store', () => {
  test('counts hits and misses and keeps what it is given as plain text', async () => {
    const { store, count } = setup();
    expect(store!.get('k')).toBeUndefined();
    store!.set('k', '<section>hi</section>');
    expect(store!.get('k')).toBe('<section>hi</section>');
    expect([await count('hit'), await count('miss')]).toEqual([1, 1]);
  });

  test('refuses HTML whose inline scripts or styles the page’s CSP would lack, and render instructions', async () => {
    const { store, count } = setup();
    for (const html of ['<section><script>alert(1)</script></section>', '<div><STYLE>p{}</STYLE></div>', '<script type="module" src="/x.js"></script>']) {
      expect(isReusable(html)).toBe(false);
      store!.set(html, html);
      expect(store!.get(html)).toBeUndefined();
    }
    // An island without its runtime: Astro wrote the script for an earlier section of that page.
    expect(isReusable('<section><astro-island uid="x" component-url="/c.js"></astro-island></section>')).toBe(false);
    expect(isReusable('<p class="script">a <b>style</b></p>')).toBe(true);
    expect(await count('refused')).toBe(3);
  });

  test('is sized by FRAGMENT_CACHE_MB, off unless set', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).fragmentCacheBytes).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', FRAGMENT_CACHE_MB: '16' }).fragmentCacheBytes).toBe(16 * 1024 * 1024);
    expect(() => loadConfig({ NODE_ENV: 'test', FRAGMENT_CACHE_MB: '-1' })).toThrow(/FRAGMENT_CACHE_MB/);
  });

  test('stays within its byte budget', () => {
    const { store } = setup(64 * 1024);
    for (let i = 0; i < 100; i++) store!.set(`k${i}`, 'x'.repeat(1000));
    expect(store!.holdings().bytes).toBeLessThanOrEqual(64 * 1024);
    expect(store!.holdings().entries).toBeLessThan(100);
    expect(store!.get('k99')).toBeDefined();
  });
});

describe('which sections may be reused', () => {
  const planned = async (type: string, variant?: string) => {
    const spec = catalog.get(type)!;
    const repo = {
      theme: async () => ocean,
      page: async () => ({ path: '/', title: 't', meta: {}, sections: [{ type, variant, props: spec.defaultProps }] }),
      latestPosts: async () => ({ posts: [], nextPublishAt: null }),
    } as unknown as SiteRepository;
    const plan = await planPage({ repo, registry, tenant: A, origin: 'https://a.example', url: new URL('http://x/') });
    return plan.sections[0]!.cacheable;
  };

  test('static sections are; the posts list, the contact form, the dated footer, React and islands are not', async () => {
    const reusable = Object.fromEntries(await Promise.all(catalog.types().map(async (type) => [type, await planned(type)] as const)));
    expect(reusable).toEqual({
      header: true,
      hero: true,
      features: true,
      'rich-text': true,
      services: false,
      team: true,
      testimonials: true,
      blog: false,
      cta: true,
      contact: false,
      footer: false,
    });
    expect(await planned('testimonials', 'carousel')).toBe(false);
  });
});
