import { Kysely, PostgresDialect, type LogConfig } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

// bigint (site_version) stays a string in rows; the code converts where it does arithmetic.
export function createPostgresDatabase(url: string, poolSize = 10, log?: LogConfig): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000 });
  // An idle connection that dies (database restart, failover) is dropped from the pool; without a
  // listener pg would take the whole process down with it.
  pool.on('error', (error) => console.warn(`postgres: idle connection lost: ${error.message}`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
}
