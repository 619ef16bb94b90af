import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

export const APP_ROLE = 'mosaic_app';

/**
 * Databases on this server, other than the current one, that the app role may connect to —
 * usually through the CONNECT that PostgreSQL grants to PUBLIC on every new database. Roles are
 * cluster-wide, so a migration cannot close these without touching other databases' users.
 */
export async function otherDatabasesOpenToAppRole(admin: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ datname: string }>`
    SELECT datname FROM pg_database
     WHERE datallowconn AND datname <> current_database()
       AND has_database_privilege(${APP_ROLE}, oid, 'CONNECT')
     ORDER BY datname
  `.execute(admin);
  return rows.map((r) => r.datname);
}

/** What an operator runs on the server to close those databases to the app role (and to anyone relying on PUBLIC). */
export function closeDatabasesAdvice(databases: readonly string[]): string {
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const lines = databases.map((d) => `  REVOKE CONNECT ON DATABASE ${quote(d)} FROM PUBLIC;  -- then GRANT CONNECT ON DATABASE ${quote(d)} TO <each role that uses it>;`);
  return [
    `Role ${APP_ROLE} can connect to ${databases.length} other database${databases.length === 1 ? '' : 's'} on this server: ${databases.join(', ')}.`,
    'Close them in pg_hba.conf (a "reject" line for mosaic_app on every database but this one, which also covers databases created later), or run:',
    ...lines,
  ].join('\n');
}
