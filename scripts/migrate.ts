// Usage: npm run migrate — brings the schema to the latest migration as the owner role
// (ADMIN_DATABASE_URL, else DATABASE_URL, else the embedded database). With
// APP_DATABASE_PASSWORD set, also gives the app role that password.
import { sql } from 'kysely';
import { loadConfig } from '../src/config/config.ts';
import { openAdminDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';

const config = loadConfig();
const admin = await openAdminDatabase(config);
try {
  const applied = await migrateOrThrow(admin);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
  const password = process.env.APP_DATABASE_PASSWORD;
  if (password) {
    await sql`ALTER ROLE mosaic_app PASSWORD ${sql.lit(password)}`.execute(admin);
    console.log('Set the password of role mosaic_app.');
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await admin.destroy();
}
