import { sql } from 'kysely';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/database-errors.ts';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';

describe('limits on every app connection', () => {
  const timeouts = { statementMs: 300, lockMs: 200, idleInTransactionMs: 2000, connectMs: 250 };
  const db = createPostgresDatabase(inject('appDatabaseUrl'), 1, { timeouts });
  afterAll(() => db.destroy());

  test('statement, lock and idle-in-transaction timeouts are set on the session', async () => {
    const { rows } = await sql<{ statement: string; lock: string; idle: string }>`
      SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock,
             current_setting('idle_in_transaction_session_timeout') AS idle`.execute(db);
    expect(rows[0]).toEqual({ statement: '300ms', lock: '200ms', idle: '2s' });
  });

  test('a statement past its timeout fails, and the failure reads as "database unavailable"', async () => {
    const error = await sql`SELECT pg_sleep(2)`.execute(db).catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect((error as { code?: string }).code).toBe('57014');
  });

  test('a query waiting for a pooled connection gives up after the connect timeout, not only a new connection', async () => {
    // The one connection is busy (in the pool's hands, not the server's): the next query queues.
    const busy = db.transaction().execute(async (trx) => {
      await sql`SELECT 1`.execute(trx);
      await new Promise((r) => setTimeout(r, 800));
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const error = await sql`SELECT 1`.execute(db).catch((e: unknown) => e);
    const waited = Date.now() - started;
    await busy;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/timeout exceeded when trying to connect/);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(700);
  });
});
