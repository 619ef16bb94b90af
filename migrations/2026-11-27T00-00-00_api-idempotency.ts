import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The admin API keeps the answers of creating calls made with an Idempotency-Key: it claims a key,
// reads a claim another call committed, stores the answer and clears expired claims. Which call,
// whose key and its fingerprint never change once written.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`GRANT SELECT, INSERT, DELETE, UPDATE (response_status, response_body) ON idempotency_keys TO mosaic_app`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`REVOKE SELECT, INSERT, DELETE, UPDATE (response_status, response_body) ON idempotency_keys FROM mosaic_app`.execute(db);
}
