// Usage: npm run migrate — brings the schema to the latest migration as the owner role
// (ADMIN_DATABASE_URL, else DATABASE_URL, else the embedded database). With
// APP_DATABASE_PASSWORD set, also gives the app role that password. On PostgreSQL, warns when the
// app role can connect to other databases on the server, with the SQL that closes them.
import { sql } from 'kysely';
import { loadConfigForCommand, parseCommandLine } from '../src/cli/command-line.ts';
import { closeDatabasesAdvice, otherDatabasesOpenToAppRole } from '../src/db/app-role-access.ts';
import { openAdminDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';

parseCommandLine('Usage: npm run migrate   (configured by the environment; see the README)', { options: {}, positionals: { min: 0, max: 0 } });
const config = loadConfigForCommand();
const admin = await openAdminDatabase(config);
try {
  const applied = await migrateOrThrow(admin);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
  const password = process.env.APP_DATABASE_PASSWORD;
  if (password) {
    await sql`ALTER ROLE mosaic_app PASSWORD ${sql.lit(password)}`.execute(admin);
    console.log('Set the password of role mosaic_app.');
  }
  if (config.database.kind === 'postgres') {
    const open = await otherDatabasesOpenToAppRole(admin);
    if (open.length) console.warn(`Warning: ${closeDatabasesAdvice(open)}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await admin.destroy();
}
