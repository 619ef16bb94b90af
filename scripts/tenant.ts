// Usage: npm run tenant -- list | show <slug>   (platform view, as the owner role)
import { loadConfig } from '../src/config/config.ts';
import { openAdminDatabase } from '../src/db/connect.ts';
import { describeTenant, listTenants } from '../src/tenants/tenant-admin.ts';

const [command, slug] = process.argv.slice(2);
const admin = await openAdminDatabase(loadConfig());
try {
  if (command === 'list') {
    const tenants = await listTenants(admin);
    console.table(tenants);
  } else if (command === 'show' && slug) {
    const tenant = await describeTenant(admin, slug);
    if (!tenant) {
      console.error(`No tenant has the slug "${slug}".`);
      process.exitCode = 1;
    } else console.log(JSON.stringify(tenant, null, 2));
  } else {
    console.error('Usage: tenant list | tenant show <slug>');
    process.exitCode = 2;
  }
} finally {
  await admin.destroy();
}
