import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// A site's life cycle: a trial has an end date; a deleted site is kept (restorable) until the
// job runner purges it after the retention period. Purging deletes the tenant row, and every
// tenant-owned row goes with it (ON DELETE CASCADE).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tenants ADD COLUMN trial_ends_at timestamptz, ADD COLUMN deleted_at timestamptz`.execute(db);
  await sql`CREATE INDEX tenants_trial_ends ON tenants (trial_ends_at) WHERE status = 'trial'`.execute(db);
  await sql`CREATE INDEX tenants_deleted ON tenants (deleted_at) WHERE deleted_at IS NOT NULL`.execute(db);
  // Deleting, restoring and trial dates are life-cycle changes: platform scope only, like status.
  await sql`
    CREATE TRIGGER tenants_deletion_in_platform_scope BEFORE UPDATE OF deleted_at, trial_ends_at ON tenants
    FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.trial_ends_at IS DISTINCT FROM NEW.trial_ends_at)
    EXECUTE FUNCTION mosaic_guard_tenant_lifecycle()
  `.execute(db);
  // Only a site deleted first (soft) can be purged: no tenant row disappears in one step.
  await sql`
    CREATE FUNCTION mosaic_guard_tenant_purge() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.deleted_at IS NULL THEN
        RAISE EXCEPTION 'only a deleted site can be purged' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN OLD;
    END $$
  `.execute(db);
  await sql`REVOKE ALL ON FUNCTION mosaic_guard_tenant_purge() FROM PUBLIC`.execute(db);
  await sql`CREATE TRIGGER tenants_purge_only_deleted BEFORE DELETE ON tenants FOR EACH ROW EXECUTE FUNCTION mosaic_guard_tenant_purge()`.execute(db);

  await sql`GRANT UPDATE (trial_ends_at, deleted_at) ON tenants TO mosaic_app`.execute(db);
  // Row-level security lets it through in platform scope only (policy platform_scope).
  await sql`GRANT DELETE ON tenants TO mosaic_app`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`REVOKE DELETE, UPDATE (trial_ends_at, deleted_at) ON tenants FROM mosaic_app`.execute(db);
  await sql`DROP TRIGGER IF EXISTS tenants_purge_only_deleted ON tenants`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mosaic_guard_tenant_purge()`.execute(db);
  await sql`DROP TRIGGER IF EXISTS tenants_deletion_in_platform_scope ON tenants`.execute(db);
  await sql`ALTER TABLE tenants DROP COLUMN trial_ends_at, DROP COLUMN deleted_at`.execute(db);
}
