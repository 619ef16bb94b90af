import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The app role keeps only what a code path uses (src/db/app-role-grants.ts lists each one and why).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Themes and posts are written by provisioning and seeding, which run as the owner; the app reads them.
  await sql`REVOKE INSERT, UPDATE ON themes FROM mosaic_app`.execute(db);
  await sql`REVOKE INSERT, UPDATE, DELETE ON posts FROM mosaic_app`.execute(db);
  // Form submissions and the audit trail are written by the app and read only by operators.
  await sql`REVOKE SELECT ON form_submissions, audit_log FROM mosaic_app`.execute(db);
  // Publishing and rollback move a page's pointer; nothing else about a page changes.
  await sql`REVOKE UPDATE ON pages FROM mosaic_app`.execute(db);
  await sql`GRANT UPDATE (published_version_id, updated_at) ON pages TO mosaic_app`.execute(db);

  // Functions are executable by PUBLIC unless revoked. The trigger function is never called
  // directly; the tenant function is needed by whoever row-level security evaluates it for.
  await sql`REVOKE EXECUTE ON FUNCTION mosaic_reject_update() FROM PUBLIC`.execute(db);
  await sql`REVOKE EXECUTE ON FUNCTION mosaic_current_tenant() FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION mosaic_current_tenant() TO mosaic_app, mosaic_routing`.execute(db);
  // PostgreSQL before 15 lets PUBLIC create objects in the public schema.
  await sql`REVOKE CREATE ON SCHEMA public FROM PUBLIC`.execute(db);

  // Database privileges are per database, so this closes only Mosaic's own database: nobody may
  // create temporary tables, and only the app role (besides the owner and superusers, who hold
  // every privilege anyway) may connect. Other databases on a shared server are the operator's:
  // `npm run migrate` warns when the app role can reach one (see the README).
  await sql`
    DO $$ BEGIN
      EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
      EXECUTE format('GRANT CONNECT ON DATABASE %I TO mosaic_app', current_database());
      IF has_database_privilege('mosaic_app', current_database(), 'TEMPORARY') THEN
        RAISE WARNING 'mosaic_app can still create temporary tables in %: run this migration as the database owner', current_database();
      END IF;
    END $$
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$ BEGIN
      EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM mosaic_app', current_database());
      EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
    END $$
  `.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION mosaic_reject_update(), mosaic_current_tenant() TO PUBLIC`.execute(db);
  await sql`REVOKE UPDATE (published_version_id, updated_at) ON pages FROM mosaic_app`.execute(db);
  await sql`GRANT UPDATE ON pages TO mosaic_app`.execute(db);
  await sql`GRANT SELECT ON form_submissions, audit_log TO mosaic_app`.execute(db);
  await sql`GRANT INSERT, UPDATE, DELETE ON posts TO mosaic_app`.execute(db);
  await sql`GRANT INSERT, UPDATE ON themes TO mosaic_app`.execute(db);
}
