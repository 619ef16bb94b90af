// Usage:
//   npm run publish-page -- <tenant-slug> <page.json>               publish a page composition
//   npm run publish-page -- --rollback <tenant-slug> <path> [version] move a page back to a version
// Runs as the app role, inside the tenant's context. Every running instance drops stale entries.
import { readFile } from 'node:fs/promises';
import { catalog } from '../registry/catalog.ts';
import { createAppContext } from '../src/app/create-app-context.ts';
import { loadConfig } from '../src/config/config.ts';
import { isMosaicError } from '../src/errors/catalog.ts';
import { createLogger } from '../src/log/logger.ts';
import { publishPage } from '../src/publishing/publish-page.ts';
import { rollbackPage } from '../src/publishing/rollback-page.ts';
import { findTenantId } from '../src/tenants/provision-tenant.ts';

const args = process.argv.slice(2);
const rollback = args[0] === '--rollback';
const [slug, target, version] = rollback ? args.slice(1) : args;
if (!slug || !target) {
  console.error('Usage: publish <tenant-slug> <page.json> | publish --rollback <tenant-slug> <path> [version]');
  process.exit(2);
}

const config = loadConfig();
// A tool, not a server: without Redis its change notice is left for a running server to deliver.
const app = await createAppContext(config, createLogger('warn', 'publish'), { serving: false });
try {
  const tenantId = await findTenantId(app.db, slug);
  if (!tenantId) throw new Error(`No tenant has the slug "${slug}".`);
  const actor = `cli:${process.env.USER ?? 'unknown'}`;
  const result = rollback
    ? await rollbackPage(app, { tenantId, path: target, version: version ? Number(version) : undefined, actor })
    : await publishPage({ ...app, registry: catalog }, { tenantId, composition: JSON.parse(await readFile(target, 'utf8')), actor });
  console.log(`${rollback ? 'Rolled back' : 'Published'} ${slug}${result.path} → version ${result.version} (site version ${result.siteVersion})`);
} catch (error) {
  console.error(isMosaicError(error) || error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await app.close();
}
