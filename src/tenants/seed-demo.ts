import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { MosaicError } from '../errors/catalog.ts';
import type { Catalog } from '../../registry/catalog.ts';
import { execute, type JoinedTransaction } from '../operations/execute.ts';
import type { OperationContext } from '../operations/operation.ts';
import { publishComposition } from '../operations/pages/publish-composition.ts';
import type { SiteChange, SiteChangeNotifier } from '../publishing/site-version.ts';
import { queryPublishedPage } from '../site/site-queries.ts';
import { domainClaimIssues, findDomainOwners } from './domain-rules.ts';
import { provisionTenant } from './provision-tenant.ts';
import { readTenantFolder, type TenantFolder } from './tenant-folder.ts';

export const TENANTS_DIR = fileURLToPath(new URL('../../tenants', import.meta.url));

export interface SeedReport {
  slug: string;
  tenantId: string;
  created: boolean;
  published: string[];
  unchanged: string[];
}

interface SeedDeps {
  /** The owner connection (see openAdminDatabase). */
  admin: Kysely<Database>;
  registry: Catalog;
  notify: SiteChangeNotifier;
  /** Hostnames under it belong to the platform; no tenant file may claim one. */
  platformDomain: string;
}

/**
 * Loads every tenant folder under `tenants/` idempotently: tenants, domains, themes and posts are
 * upserted, and a page is published only when its composition differs from the published one.
 * All or nothing: every folder is validated first (files, theme, pages, domains against each
 * other and against the database) and every problem reported at once; then everything is written
 * in one transaction, and running instances are told only after it commits.
 */
export async function seedTenants(deps: SeedDeps, dir = TENANTS_DIR): Promise<SeedReport[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const folders = entries.filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const loaded = await Promise.all(folders.map((folder) => readTenantFolder(dir, folder, deps.registry)));
  const problems = loaded.flatMap((f) => f.issues);
  problems.push(...(await domainProblems(deps, loaded)));
  if (problems.length > 0) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    throw new MosaicError('InvalidTenantFile', `${count} in ${dir}; nothing was written`, problems);
  }

  // Through the operations, as the system actor `seed`, all inside one transaction.
  const context: OperationContext = {
    db: deps.admin,
    actor: { kind: 'system', name: 'seed' },
    clock: () => new Date(),
    notify: async () => {},
    registry: deps.registry,
    logger: { warn: () => {} },
    clientAddress: null,
    platformDomain: deps.platformDomain,
  };
  const { reports, changes } = await deps.admin.transaction().execute(async (trx) => {
    const joined: JoinedTransaction = { trx, pendingChanges: [] };
    const written: SeedReport[] = [];
    for (const { definition, posts, pages } of loaded) {
      if (!definition) throw new Error('unreachable: a folder without a valid tenant file has problems');
      const { tenantId, created } = await provisionTenant(deps.admin, definition, posts, { actor: 'seed', platformDomain: deps.platformDomain }, joined);
      const report: SeedReport = { slug: definition.slug, tenantId, created, published: [], unchanged: [] };
      for (const page of pages) {
        const current = await queryPublishedPage(trx, tenantId, page.path);
        if (current && isDeepStrictEqual(current, page)) {
          report.unchanged.push(page.path);
          continue;
        }
        await execute(context, publishComposition, { tenant: { id: tenantId }, input: { composition: page } }, joined);
        report.published.push(page.path);
      }
      written.push(report);
    }
    return { reports: written, changes: joined.pendingChanges };
  });

  // Instances are told once everything has committed; each notice delivered is retired.
  for (const change of changes satisfies SiteChange[]) await deps.notify(change);
  return reports;
}

/** Hostnames under the platform domain, claimed by two folders, or held by another tenant already. */
async function domainProblems(deps: SeedDeps, folders: readonly TenantFolder[]) {
  const claims = folders.flatMap(({ folder, definition }) =>
    (definition?.domains ?? []).map((d, index) => ({ slug: definition?.slug ?? folder, hostname: d.hostname, at: `${folder}/tenant.json: domains[${index}].hostname` })),
  );
  const owners = await findDomainOwners(deps.admin, claims.map((c) => c.hostname));
  const issues = domainClaimIssues(claims, { platformDomain: deps.platformDomain, owners });
  return issues.map((issue) => ({ path: issue.at, message: issue.message }));
}
