// Usage:
//   npm run publish-page -- <tenant-slug> <page.json>                 publish a page composition
//   npm run publish-page -- --rollback <tenant-slug> <path> [version] move a page back to a version
// Runs the page operations (page.publish-composition, page.rollback) as the app role, as the
// actor cli:$USER. Every running instance drops stale entries.
// Exit codes: 0 done, 1 refused or failed (nothing changed), 2 called the wrong way (nothing changed).
import { readFile } from 'node:fs/promises';
import { createAppContext } from '../src/app/create-app-context.ts';
import { exitWithUsage, loadConfigForCommand, parseCommandLine } from '../src/cli/command-line.ts';
import { pagePathSchema } from '../src/compositions/composition-schema.ts';
import { isMosaicError } from '../src/errors/catalog.ts';
import { createLogger } from '../src/log/logger.ts';
import { execute } from '../src/operations/execute.ts';
import { publishComposition } from '../src/operations/pages/publish-composition.ts';
import { readPage } from '../src/operations/pages/read-page.ts';
import { rollbackPage } from '../src/operations/pages/rollback-page.ts';
import { findTenantId } from '../src/tenants/provision-tenant.ts';
import { tenantSlugSchema } from '../src/tenants/tenant-file.ts';

const USAGE = `Usage:
  npm run publish-page -- <tenant-slug> <page.json>
  npm run publish-page -- --rollback <tenant-slug> <path> [version]

  version   a positive whole number; without it, the version before the published one`;

const { values, positionals } = parseCommandLine(USAGE, { options: { rollback: { type: 'boolean' } }, positionals: { min: 2, max: 3 } });
const rollback = values.rollback === true;
const [slug = '', target = '', versionArg] = positionals;
if (!rollback && versionArg !== undefined) exitWithUsage(USAGE, `Unexpected argument: ${versionArg}`);
if (!tenantSlugSchema.safeParse(slug).success) exitWithUsage(USAGE, `"${slug}" is not a tenant slug.`);
if (rollback && !pagePathSchema.safeParse(target).success) exitWithUsage(USAGE, `"${target}" is not a page path (like / or /about).`);
const version = versionArg === undefined ? undefined : parseVersion(versionArg);

const config = loadConfigForCommand();
// A tool, not a server: without Redis its change notice is left for a running server to deliver.
const app = await createAppContext(config, createLogger('warn', 'publish'), { serving: false });
try {
  const tenantId = await findTenantId(app.db, slug);
  if (!tenantId) throw new Error(`No tenant has the slug "${slug}".`);
  const context = app.auth.context({ kind: 'cli', name: process.env.USER ?? 'unknown' }, null);
  const tenant = { id: tenantId };
  const result = rollback
    ? await execute(context, rollbackPage, { tenant, input: { pageId: (await execute(context, readPage, { tenant, input: { path: target } })).id, version } })
    : await execute(context, publishComposition, { tenant, input: { composition: JSON.parse(await readFile(target, 'utf8')) } });
  console.log(`${rollback ? 'Rolled back' : 'Published'} ${slug}${result.path} → version ${result.version} (site version ${result.siteVersion})`);
} catch (error) {
  console.error(isMosaicError(error) || error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await app.close();
}

function parseVersion(raw: string): number {
  const n = Number(raw);
  if (!/^[1-9][0-9]*$/.test(raw) || !Number.isSafeInteger(n) || n > 2_147_483_647) {
    exitWithUsage(USAGE, `version must be a positive whole number, not "${raw}".`);
  }
  return n;
}
