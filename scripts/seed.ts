// Usage: npm run seed [-- [--dir <folder>] [--demo-accounts]] — migrates, then loads every tenant
// under tenants/ idempotently (as the owner role; see scripts/migrate.ts). Every folder is checked
// first; a problem anywhere writes nothing. Running instances are told through Redis.
// --demo-accounts adds the demo accounts (a platform admin and one owner per site, with the demo
// password): for demonstrations only, never on a real installation.
import { catalog } from '../registry/catalog.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, ensureDemoAccounts } from '../src/auth/demo-accounts.ts';
import { createSiteNotifier } from '../src/app/site-notifier.ts';
import { loadConfigForCommand, parseCommandLine } from '../src/cli/command-line.ts';
import { openAdminDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { createLogger } from '../src/log/logger.ts';
import { seedTenants, TENANTS_DIR } from '../src/tenants/seed-demo.ts';

const { values } = parseCommandLine('Usage: npm run seed [-- --dir <folder of tenant folders>] [--demo-accounts]   (default: tenants/)', {
  options: { dir: { type: 'string' }, 'demo-accounts': { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
});
const config = loadConfigForCommand();
const admin = await openAdminDatabase(config);
const notifier = createSiteNotifier(config, createLogger('warn', 'seed'), admin);
try {
  await migrateOrThrow(admin);
  const reports = await seedTenants({ admin, registry: catalog, notify: notifier.notify, platformDomain: config.platformDomain }, values.dir ?? TENANTS_DIR);
  for (const r of reports) {
    const pages = r.published.length ? `published ${r.published.join(' ')}` : 'pages unchanged';
    console.log(`${r.created ? 'created' : 'updated'} ${r.slug} (${r.tenantId}): ${pages}`);
  }
  if (values['demo-accounts']) {
    const context = { db: admin, clock: () => new Date(), notify: notifier.notify, registry: catalog, logger: createLogger('warn', 'seed') };
    const { created } = await ensureDemoAccounts(context, reports.map((r) => r.slug));
    console.log(`demo accounts: ${created.length ? `created ${created.join(' ')}` : 'already there'} (password ${DEMO_PASSWORD}; platform admin ${DEMO_ADMIN_EMAIL})`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await notifier.close();
  await admin.destroy();
}
