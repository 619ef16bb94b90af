import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// A change notice is written in the same transaction as the change it announces (publish,
// rollback, seed), so a process that dies right after its commit cannot leave it unannounced:
// every server claims notices nobody delivered and delivers them.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$ BEGIN
      CREATE ROLE mosaic_outbox NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
  `.execute(db);

  await sql`
    CREATE TABLE change_outbox (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL,
      site_version bigint NOT NULL,
      reason text NOT NULL CHECK (length(reason) <= 200),
      hostnames jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(hostnames) = 'array'),
      created_at timestamptz NOT NULL DEFAULT now(),
      available_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (id)
    )
  `.execute(db);
  await sql`CREATE INDEX change_outbox_due ON change_outbox (available_at)`.execute(db);
  await sql`CREATE INDEX change_outbox_tenant_id ON change_outbox (tenant_id)`.execute(db);

  await sql`ALTER TABLE change_outbox ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE change_outbox FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY tenant_isolation ON change_outbox
    USING (tenant_id = mosaic_current_tenant()) WITH CHECK (tenant_id = mosaic_current_tenant())
  `.execute(db);

  // Delivery happens before any tenant is known, across tenants: through three narrow functions
  // owned by a role that may touch this table only.
  await sql`CREATE POLICY outbox_delivery ON change_outbox TO mosaic_outbox USING (true)`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO mosaic_outbox`.execute(db);
  await sql`GRANT SELECT, UPDATE (available_at, attempts), DELETE ON change_outbox TO mosaic_outbox`.execute(db);

  // Claims due notices for `p_lease_ms`: another server retries them after that if this one dies
  // while delivering. SKIP LOCKED lets several servers claim at once without sharing a notice.
  await sql`
    CREATE FUNCTION mosaic_claim_changes(p_limit integer, p_lease_ms integer)
    RETURNS TABLE (id uuid, tenant_id uuid, site_version bigint, reason text, hostnames jsonb, attempts integer)
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      UPDATE change_outbox o
         SET attempts = o.attempts + 1,
             available_at = clock_timestamp() + make_interval(secs => greatest(p_lease_ms, 100) / 1000.0)
        FROM (SELECT c.tenant_id, c.id FROM change_outbox c
               WHERE c.available_at <= clock_timestamp()
               ORDER BY c.available_at
               LIMIT least(greatest(p_limit, 1), 500)
               FOR UPDATE SKIP LOCKED) due
       WHERE o.tenant_id = due.tenant_id AND o.id = due.id
      RETURNING o.id, o.tenant_id, o.site_version, o.reason, o.hostnames, o.attempts
    $$
  `.execute(db);
  await sql`
    CREATE FUNCTION mosaic_finish_changes(p_ids uuid[]) RETURNS integer
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      WITH gone AS (DELETE FROM change_outbox WHERE id = ANY (p_ids) RETURNING 1)
      SELECT count(*)::integer FROM gone
    $$
  `.execute(db);
  await sql`
    CREATE FUNCTION mosaic_change_backlog()
    RETURNS TABLE (pending bigint, oldest_seconds double precision)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::double precision
        FROM change_outbox
    $$
  `.execute(db);
  // The app role and the schema owner (whose tools, like the seed, deliver their own notices).
  for (const fn of ['mosaic_claim_changes(integer, integer)', 'mosaic_finish_changes(uuid[])', 'mosaic_change_backlog()']) {
    await sql.raw(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`).execute(db);
    await sql.raw(`GRANT EXECUTE ON FUNCTION ${fn} TO mosaic_app, CURRENT_USER`).execute(db);
    await sql.raw(`ALTER FUNCTION ${fn} OWNER TO mosaic_outbox`).execute(db);
  }

  // The app role writes notices in its tenant's context and reads none back.
  await sql`GRANT INSERT ON change_outbox TO mosaic_app`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS mosaic_change_backlog()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mosaic_finish_changes(uuid[])`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mosaic_claim_changes(integer, integer)`.execute(db);
  await sql`DROP TABLE IF EXISTS change_outbox`.execute(db);
}
