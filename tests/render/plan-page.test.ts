import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { components } from '../../registry/components.ts';
import { createRegistry } from '../../registry/registry.ts';
import { createMemoryLayer } from '../../src/cache/memory-layer.ts';
import { createTieredCache } from '../../src/cache/tiered-cache.ts';
import { planPage, type SectionResolver } from '../../src/render/plan-page.ts';
import { createSiteRepository, type SiteRepository } from '../../src/site/site-repository.ts';
import type { TenantRecord } from '../../src/site/site-types.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';
import { openTestDatabases } from '../support/databases.ts';

const registry = createRegistry(catalog, components);

describe('planning a page for the demo tenants (real Postgres)', () => {
  const dbs = openTestDatabases(2);
  let repo: SiteRepository;
  const tenants: Record<string, TenantRecord> = {};

  beforeAll(async () => {
    const cache = createTieredCache({ layers: [createMemoryLayer({ maxEntries: 1000, maxBytes: 10_000_000 })] });
    repo = createSiteRepository({ db: dbs.app, cache, ttlMs: 60_000, tenantTtlMs: 60_000, negativeTtlMs: 1000 });
    for (const slug of ['codersinflow', 'darkflows', 'clientsite']) {
      tenants[slug] = (await repo.tenant((await findTenantId(dbs.app, slug))!))!;
    }
  });
  afterAll(() => dbs.close());

  const plan = (slug: string, path: string) =>
    planPage({ repo, registry, tenant: tenants[slug]!, origin: `https://${slug}.com`, url: new URL(`http://ignored${path}`) });

  test('a section with no named variant gets the tenant’s own variant', async () => {
    const home = await plan('darkflows', '/');
    expect(home.sections.find((s) => s.type === 'hero')?.variant).toBe('darkflows-terminal');
    const coders = await plan('codersinflow', '/');
    expect(coders.sections.find((s) => s.type === 'features')?.variant).toBe('codersinflow-code');
    expect(coders.sections.find((s) => s.type === 'hero')?.variant).toBe('split');
    const services = await plan('codersinflow', '/services');
    expect(services.sections.find((s) => s.type === 'features')?.variant).toBe('cards');
  });

  test('the blog section loads the tenant’s own latest posts', async () => {
    const home = await plan('darkflows', '/');
    const posts = (home.sections.find((s) => s.type === 'blog')?.data as { posts: { title: string }[] }).posts;
    expect(posts).toHaveLength(3);
    expect(posts[0]?.title).toMatch(/DarkFlows 4\.0/);
    const clinic = await plan('clientsite', '/blog');
    const clinicPosts = (clinic.sections.find((s) => s.type === 'blog')?.data as { posts: { title: string }[] }).posts;
    expect(clinicPosts.map((p) => p.title).join()).not.toMatch(/DarkFlows|TypeScript/);
  });

  test('a page listing posts is reused only until the next scheduled post goes live', async () => {
    expect((await plan('darkflows', '/')).maxAgeSeconds).toBeNull();
    expect((await plan('darkflows', '/features')).maxAgeSeconds).toBeNull();
    const tenantId = tenants.darkflows!.id;
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const { withTenant } = await import('../../src/db/tenant-scope.ts');
    await withTenant(dbs.admin, tenantId, (trx) =>
      trx.insertInto('posts').values({ tenant_id: tenantId, slug: `scheduled-${Date.now()}`, title: 'Coming soon', published_at: inAnHour }).execute(),
    );
    const fresh = { ...tenants.darkflows!, siteVersion: tenants.darkflows!.siteVersion + 1000 };
    const planned = await planPage({ repo, registry, tenant: fresh, origin: 'https://darkflows.com', url: new URL('http://ignored/') });
    expect(planned.maxAgeSeconds).toBeGreaterThan(3500);
    expect(planned.maxAgeSeconds).toBeLessThanOrEqual(3600);
    const posts = (planned.sections.find((s) => s.type === 'blog')?.data as { posts: { title: string }[] }).posts;
    expect(posts.map((p) => p.title)).not.toContain('Coming soon');
  });

  test('an unknown path plans the tenant’s own 404 page with status 404', async () => {
    const missing = await plan('clientsite', '/nope');
    expect(missing.status).toBe(404);
    expect(missing.noindex).toBe(true);
    expect(missing.title).toMatch(/Harbor Dental/);
  });

  test('a blog post is framed by the home page’s header and footer', async () => {
    const post = await plan('clientsite', '/blog/whitening-myths');
    expect(post.status).toBe(200);
    expect(post.post?.title).toBe('Five teeth-whitening myths');
    expect(post.sections.map((s) => s.type)).toEqual(['header', 'footer']);
    expect((await plan('codersinflow', '/blog/whitening-myths')).status).toBe(404);
  });

  test('canonical URL comes from the tenant origin, trailing slashes folded', async () => {
    const page = await plan('codersinflow', '/about/');
    expect(page.canonicalUrl).toBe('https://codersinflow.com/about');
    expect(page.site.path).toBe('/about');
  });

  test('hidden sections are skipped before their data loads; the others keep their place in the page', async () => {
    const loaded: number[] = [];
    // The real registry, noting each section whose data is loaded.
    const counting: SectionResolver = {
      resolve(section, slug) {
        const resolved = registry.resolve(section, slug);
        const load = resolved.definition.load;
        const index = draft.sections.indexOf(section as (typeof draft.sections)[number]);
        return { ...resolved, definition: { ...resolved.definition, load: load && ((source, props) => (loaded.push(index), load(source, props))) } };
      },
    };
    const blog = { type: 'blog', props: { title: 'News', limit: 3 } };
    const draft = { path: '/x', title: 'X', meta: {}, sections: [{ type: 'hero', props: { title: 'Hi' } }, { ...blog, hidden: true as const }, blog] };
    const planned = await planPage({ repo, registry: counting, tenant: tenants.darkflows!, origin: 'https://darkflows.com', url: new URL('http://ignored/x'), draft });
    expect(planned.sections.map((s) => [s.index, s.type])).toEqual([
      [0, 'hero'],
      [2, 'blog'],
    ]);
    expect(loaded).toEqual([2]);
  });
});
