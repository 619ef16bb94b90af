import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { catalog, type Catalog } from '../../registry/catalog.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import type { SiteChange } from '../../src/publishing/site-version.ts';
import { seedTenants } from '../../src/tenants/seed-demo.ts';
import { openTestDatabases, uniqueSlug } from '../support/databases.ts';

const NUL = '\u0000';

/** Writes tenant folders (`{ 'a/tenant.json': {...} }`) into a fresh directory. */
async function tenantsDir(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mosaic-seed-'));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const tenantFile = (slug: string, extra: object = {}) => ({
  slug,
  name: `Tenant ${slug}`,
  status: 'active',
  plan: 'free',
  domains: [{ hostname: `${slug}.example`, primary: true, verified: true }],
  theme: { preset: 'ocean', overrides: {} },
  ...extra,
});
const page = (pathName: string, title: string) => ({ path: pathName, title, sections: [{ type: 'hero', props: { title } }] });

describe('seeding is all or nothing', () => {
  const dbs = openTestDatabases(2);
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    await dbs.close();
  });

  const counts = async () => ({
    tenants: (await dbs.admin.selectFrom('tenants').select('id').execute()).length,
    domains: (await dbs.admin.selectFrom('domains').select('hostname').execute()).length,
    versions: (await dbs.admin.selectFrom('page_versions').select('id').execute()).length,
    posts: (await dbs.admin.selectFrom('posts').select('id').execute()).length,
  });
  const seed = (dir: string, registry: Catalog = catalog, changes: SiteChange[] = []) =>
    seedTenants({ admin: dbs.admin, registry, notify: async (c) => void changes.push(c), platformDomain: 'localhost' }, dir);

  test('every problem of every folder is reported at once, and nothing is written', async () => {
    const [alpha, beta, gamma, delta, epsilon, zeta] = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map((p) => uniqueSlug(p)) as [string, string, string, string, string, string];
    const shared = `${uniqueSlug('shared')}.example`;
    const dir = await tenantsDir({
      [`${alpha}/tenant.json`]: tenantFile(alpha, { name: `Bad${NUL}`, theme: { preset: 'ocean', overrides: { fonts: { body: `'Inter", x` } }, logoUrl: '//evil.example/x.png' } }),
      [`${beta}/tenant.json`]: tenantFile(beta, {
        domains: [
          { hostname: `${beta}.localhost`, verified: true },
          { hostname: 'codersinflow.com', verified: true },
        ],
      }),
      [`${beta}/posts.json`]: [{ slug: 'p', title: `T${NUL}`, excerpt: '', body: '', author: null, publishedAt: '2026-01-01T00:00:00Z' }],
      [`${beta}/pages/home.json`]: page('/', `Home${NUL}`),
      [`${beta}/pages/about.json`]: page('/about', 'About'),
      [`${beta}/pages/about-again.json`]: page('/about', 'About again'),
      [`${gamma}/tenant.json`]: tenantFile(gamma, { domains: [{ hostname: shared, verified: true }], theme: { preset: 'neon', overrides: {} } }),
      [`${delta}/tenant.json`]: tenantFile(delta, { domains: [{ hostname: shared, verified: true }] }),
      [`${epsilon}/tenant.json`]: tenantFile('someone-else'),
      [`${zeta}/tenant.json`]: '{ "slug": ',
    });
    dirs.push(dir);
    const before = await counts();
    const error = await seed(dir).catch((e: unknown) => e);
    expect(isMosaicError(error) && error.code).toBe('InvalidTenantFile');
    const paths = isMosaicError(error) ? error.details.map((d) => `${d.path}: ${d.message}`) : [];
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${alpha}/tenant.json: name: contains a character that cannot be stored`)),
        expect.stringMatching(new RegExp(`^${alpha}/tenant.json: theme.logoUrl: `)),
        expect.stringMatching(new RegExp(`^${alpha}/tenant.json: theme.overrides.fonts.body: `)),
        expect.stringMatching(new RegExp(`^${beta}/tenant.json: domains\\[0\\].hostname: hostname "${beta}.localhost" is under the platform domain`)),
        expect.stringMatching(new RegExp(`^${beta}/tenant.json: domains\\[1\\].hostname: hostname "codersinflow.com" belongs to tenant "codersinflow"`)),
        expect.stringMatching(new RegExp(`^${beta}/posts.json: \\[0\\].title: contains a character`)),
        expect.stringMatching(new RegExp(`^${beta}/pages/home.json: title: contains a character`)),
        expect.stringMatching(new RegExp(`^${beta}/pages/home.json: sections\\[0\\].props.title: contains a character`)),
        expect.stringMatching(new RegExp(`^${beta}/pages/about.json: path: /about is also the path of pages/about-again.json`)),
        expect.stringMatching(new RegExp(`^${gamma}/tenant.json: theme.preset: unknown theme preset "neon"`)),
        // Folders are read in name order: delta's claim comes first.
        expect.stringMatching(new RegExp(`^${gamma}/tenant.json: domains\\[0\\].hostname: hostname "${shared}" is also claimed by tenant "${delta}"`)),
        `${epsilon}/tenant.json: slug: must match the folder name "${epsilon}"`,
        expect.stringMatching(new RegExp(`^${zeta}/tenant.json: \\(file\\): is not valid JSON`)),
      ]),
    );
    expect(error instanceof Error && error.message).toMatch(/^\d+ problems in .*; nothing was written/);
    expect(await counts()).toEqual(before);
  });

  test('a failure while writing rolls every tenant back, and nobody is told', async () => {
    const [one, two] = [uniqueSlug('one'), uniqueSlug('two')];
    const dir = await tenantsDir({
      [`${one}/tenant.json`]: tenantFile(one),
      [`${one}/posts.json`]: [{ slug: 'hello', title: 'Hello', excerpt: '', body: '', author: null, publishedAt: '2026-01-01T00:00:00Z' }],
      [`${one}/pages/home.json`]: page('/', 'One'),
      [`${two}/tenant.json`]: tenantFile(two),
      [`${two}/pages/home.json`]: page('/', 'Two'),
    });
    dirs.push(dir);
    // Validation reads each page once; publishing validates again inside the transaction. The
    // fourth call is the second tenant's publish, after the first tenant has been written.
    let calls = 0;
    const failing: Catalog = {
      ...catalog,
      validateSections(sections, slug) {
        calls += 1;
        if (calls === 4) throw new Error('the database went away');
        return catalog.validateSections(sections, slug);
      },
    };
    const before = await counts();
    const changes: SiteChange[] = [];
    await expect(seed(dir, failing, changes)).rejects.toThrow('the database went away');
    expect(calls).toBe(4);
    expect(await counts()).toEqual(before);
    expect(changes).toEqual([]);

    const reports = await seed(dir, catalog, changes);
    expect(reports.map((r) => [r.slug, r.created, r.published])).toEqual([
      [one, true, ['/']],
      [two, true, ['/']],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect([...new Set(changes.map((c) => c.tenantId))].sort()).toEqual(reports.map((r) => r.tenantId).sort());
    const after = await counts();
    expect(after).toEqual({ tenants: before.tenants + 2, domains: before.domains + 2, versions: before.versions + 2, posts: before.posts + 1 });
  });
});
