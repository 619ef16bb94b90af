// Usage: npm run tenant -- list | show <slug>   (platform view, as the owner role)
import { exitWithUsage, loadConfigForCommand, parseCommandLine } from '../src/cli/command-line.ts';
import { openAdminDatabase } from '../src/db/connect.ts';
import { describeTenant, listTenants } from '../src/tenants/tenant-admin.ts';
import { tenantSlugSchema } from '../src/tenants/tenant-file.ts';

const USAGE = `Usage:
  npm run tenant -- list          every tenant with its primary domain
  npm run tenant -- show <slug>   one tenant: domains, theme, pages, posts`;

const { positionals } = parseCommandLine(USAGE, { options: {}, positionals: { min: 1, max: 2 } });
const [command, slug] = positionals;
if (command === 'list' && slug !== undefined) exitWithUsage(USAGE, `Unexpected argument: ${slug}`);
if (command === 'show' && slug === undefined) exitWithUsage(USAGE, 'Missing the tenant slug.');
if (command !== 'list' && command !== 'show') exitWithUsage(USAGE, `Unknown command "${command}".`);
if (slug !== undefined && !tenantSlugSchema.safeParse(slug).success) exitWithUsage(USAGE, `"${slug}" is not a tenant slug.`);

const admin = await openAdminDatabase(loadConfigForCommand());
try {
  if (command === 'list') {
    console.table(await listTenants(admin));
  } else {
    const tenant = await describeTenant(admin, slug ?? '');
    if (!tenant) {
      console.error(`No tenant has the slug "${slug}".`);
      process.exitCode = 1;
    } else console.log(JSON.stringify(tenant, null, 2));
  }
} finally {
  await admin.destroy();
}
