import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Plans are data in plans/; a platform admin may change a limit or a feature for one tenant.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tenants ADD COLUMN plan_overrides jsonb NOT NULL DEFAULT '{}'::jsonb`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tenants DROP COLUMN plan_overrides`.execute(db);
}
