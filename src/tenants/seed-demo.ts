import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import { validateComposition, type SectionValidator } from '../compositions/validate-composition.ts';
import type { Database } from '../db/schema.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { MosaicError } from '../errors/catalog.ts';
import { publishPage } from '../publishing/publish-page.ts';
import type { SiteChangeNotifier } from '../publishing/site-version.ts';
import { queryPublishedPage } from '../site/site-queries.ts';
import { postsFileSchema, tenantFileSchema } from './tenant-file.ts';
import { provisionTenant } from './provision-tenant.ts';

export const TENANTS_DIR = fileURLToPath(new URL('../../tenants', import.meta.url));

export interface SeedReport {
  slug: string;
  tenantId: string;
  created: boolean;
  published: string[];
  unchanged: string[];
}

interface SeedDeps {
  admin: Kysely<Database>;
  registry: SectionValidator;
  notify: SiteChangeNotifier;
}

/**
 * Loads every tenant folder under `tenants/` idempotently: tenants, domains, themes and posts are
 * upserted, and a page is published only when its composition differs from the published one.
 * Every file is validated before anything is written.
 */
export async function seedTenants(deps: SeedDeps, dir = TENANTS_DIR): Promise<SeedReport[]> {
  const folders = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const loaded = await Promise.all(folders.map((folder) => readTenantFolder(path.join(dir, folder), deps.registry)));
  const reports: SeedReport[] = [];
  for (const tenant of loaded) {
    const { tenantId, created, change } = await provisionTenant(deps.admin, tenant.definition, tenant.posts, 'seed');
    const report: SeedReport = { slug: tenant.definition.slug, tenantId, created, published: [], unchanged: [] };
    for (const page of tenant.pages) {
      const current = await queryPublishedPage(deps.admin, tenantId, page.path);
      if (current && isDeepStrictEqual(current, page)) {
        report.unchanged.push(page.path);
        continue;
      }
      await publishPage({ db: deps.admin, registry: deps.registry, notify: async () => {} }, { tenantId, composition: page, actor: 'seed' });
      report.published.push(page.path);
    }
    const version = await withTenant(deps.admin, tenantId, (trx) =>
      trx.selectFrom('tenants').select('site_version').where('id', '=', tenantId).executeTakeFirstOrThrow(),
    );
    // One announcement for the whole tenant: its latest version, and the hostnames whose routing changed.
    await deps.notify({ ...change, siteVersion: Number(version.site_version), reason: 'seed' });
    reports.push(report);
  }
  return reports;
}

async function readTenantFolder(folder: string, registry: SectionValidator) {
  const readJson = async (file: string): Promise<unknown> => JSON.parse(await readFile(path.join(folder, file), 'utf8'));
  const tenantFile = tenantFileSchema.safeParse(await readJson('tenant.json'));
  if (!tenantFile.success) {
    throw new MosaicError('InvalidTenantFile', `${folder}/tenant.json is not valid`, tenantFile.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const definition = tenantFile.data;
  const posts = await readJson('posts.json').then(
    (raw) => postsFileSchema.parse(raw),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  const pageFiles = await readdir(path.join(folder, 'pages')).catch(() => [] as string[]);
  const pages = [];
  for (const file of pageFiles.filter((f) => f.endsWith('.json')).sort()) {
    const checked = validateComposition(await readJson(path.join('pages', file)), definition.slug, registry);
    if (!checked.ok) throw new MosaicError('InvalidComposition', `${folder}/pages/${file} is not valid`, checked.issues);
    pages.push(checked.composition);
  }
  return { definition, posts, pages };
}
