import { sql, type Kysely } from 'kysely';
import type { MosaicConfig } from '../config/config.ts';
import { openEmbeddedDatabase } from './pglite-database.ts';
import { createPostgresDatabase } from './postgres-database.ts';
import type { Database } from './schema.ts';

/**
 * The owner connection for migrations, seeding and platform commands: `ADMIN_DATABASE_URL`, or
 * the embedded database. It must own the schema and bypass row-level security (superuser or
 * BYPASSRLS) to list every tenant.
 */
export async function openAdminDatabase(config: MosaicConfig, connections = 2): Promise<Kysely<Database>> {
  if (config.database.kind === 'pglite') return (await openEmbeddedDatabase(config.database.dir)).admin;
  const url = config.database.adminUrl ?? config.database.url;
  return createPostgresDatabase(url, connections);
}

/** Refuses a server role that would defeat row-level security. */
export async function assertUnprivilegedRole(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ role: string; superuser: boolean; bypass: boolean; owns: boolean }>`
    SELECT current_user AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
           EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'tenants' AND tableowner = current_user) AS owns
      FROM pg_roles r WHERE r.rolname = current_user
  `.execute(db);
  const role = rows[0];
  if (!role) throw new Error('Could not read the database role.');
  if (role.superuser || role.bypass || role.owns) {
    throw new Error(
      `DATABASE_URL connects as "${role.role}", which ${role.superuser ? 'is a superuser' : role.bypass ? 'bypasses row-level security' : 'owns the tables'}. ` +
        'Connect the server as the unprivileged role created by the migrations (mosaic_app) and give migrations ADMIN_DATABASE_URL.',
    );
  }
}
