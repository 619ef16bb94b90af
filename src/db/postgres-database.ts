import { Kysely, PostgresDialect, type LogConfig } from 'kysely';
import pg from 'pg';
import type { DatabaseTimeouts } from '../config/config.ts';
import type { Database } from './schema.ts';

export interface PostgresDatabaseOptions {
  log?: LogConfig;
  /** Session limits set on every connection; without them a slow database holds requests without bound. */
  timeouts?: DatabaseTimeouts;
  /** Told about every connection the pool loses (a restart, a failover, an administrator's kill). */
  onConnectionLost?: (error: Error) => void;
  /** Shown in `pg_stat_activity`, so an operator can tell the pools apart. */
  applicationName?: string;
}

// bigint (site_version) stays a string in rows; the code converts where it does arithmetic.
export function createPostgresDatabase(url: string, poolSize = 10, options: PostgresDatabaseOptions = {}): Kysely<Database> {
  const { timeouts } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: options.applicationName,
    // Also bounds a wait queued behind busy connections, not only a new connection's handshake.
    connectionTimeoutMillis: timeouts?.connectMs,
    statement_timeout: timeouts?.statementMs,
    lock_timeout: timeouts?.lockMs,
    idle_in_transaction_session_timeout: timeouts?.idleInTransactionMs,
  });
  const lost = (error: Error) =>
    options.onConnectionLost ? options.onConnectionLost(error) : console.warn(`postgres: connection lost: ${error.message}`);
  // pg emits `error` on a client whose socket dies, idle or checked out by a query, and the pool
  // repeats an idle client's error; without a listener either one takes the process down. Each
  // client reports its own, once. The query using a dead client fails by itself, and the pool drops
  // the client when it is released.
  pool.on('connect', (client) => client.on('error', lost));
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
}
