import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The content side of the operations layer: a working draft per page, unpublishing and soft
// deletion, scheduled work in a jobs table, drafts and scheduling for posts, a revision for
// themes, and the stored answers of idempotent API calls. Roles are cluster-wide, so creating
// them tolerates a concurrent creator.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$ BEGIN
      CREATE ROLE mosaic_jobs NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
  `.execute(db);

  // One working draft per page (title, meta, sections; the path belongs to the page). Its revision
  // guards concurrent writers; a version remembers the draft revision it was made from, so "draft
  // pending" is a comparison of two numbers. Pages published before drafts existed start at
  // revision 0 with the published composition as their draft, matching versions that name none.
  await sql`
    ALTER TABLE pages
      ADD COLUMN draft jsonb NOT NULL DEFAULT '{"title": "", "meta": {}, "sections": []}'::jsonb
        CHECK (jsonb_typeof(draft) = 'object'),
      ADD COLUMN draft_revision integer NOT NULL DEFAULT 0 CHECK (draft_revision >= 0),
      ADD COLUMN draft_updated_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN draft_updated_by text,
      ADD COLUMN withdrawn_version_id uuid,
      ADD COLUMN deleted_at timestamptz,
      ADD COLUMN deleted_by text
  `.execute(db);
  await sql`
    UPDATE pages p SET draft = v.composition - 'path', draft_updated_at = v.created_at, draft_updated_by = v.created_by
      FROM page_versions v
     WHERE v.tenant_id = p.tenant_id AND v.id = p.published_version_id
  `.execute(db);
  // Unpublishing or deleting remembers what was published, so a platform admin can put it back.
  await sql`
    ALTER TABLE pages ADD CONSTRAINT pages_withdrawn_version_fk
      FOREIGN KEY (tenant_id, withdrawn_version_id) REFERENCES page_versions (tenant_id, id)
      DEFERRABLE INITIALLY DEFERRED
  `.execute(db);
  // A deleted page keeps its path; a new page may take it.
  await sql`ALTER TABLE pages DROP CONSTRAINT pages_tenant_id_path_key`.execute(db);
  await sql`CREATE UNIQUE INDEX pages_live_path ON pages (tenant_id, path) WHERE deleted_at IS NULL`.execute(db);
  await sql`ALTER TABLE page_versions ADD COLUMN source_revision integer`.execute(db);

  // Posts: a null published_at is a draft; a future one is scheduled (the read path already shows
  // only posts whose time has come).
  await sql`ALTER TABLE posts ALTER COLUMN published_at DROP NOT NULL, ALTER COLUMN published_at DROP DEFAULT`.execute(db);
  await sql`
    ALTER TABLE posts
      ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN updated_by text
  `.execute(db);

  await sql`ALTER TABLE themes ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision > 0)`.execute(db);

  // Work to do at a time, for one tenant: a scheduled publish today; domain checks and purges later.
  await sql`
    CREATE TABLE jobs (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9.-]{0,62}$'),
      subject text NOT NULL DEFAULT '' CHECK (length(subject) <= 300),
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      run_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
      locked_by text,
      locked_until timestamptz,
      last_error text CHECK (length(last_error) <= 2000),
      created_by text NOT NULL,
      created_by_kind text NOT NULL CHECK (created_by_kind IN ('user', 'api-key', 'system', 'cli')),
      created_by_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (id)
    )
  `.execute(db);
  await sql`CREATE INDEX jobs_tenant_id ON jobs (tenant_id)`.execute(db);
  await sql`CREATE INDEX jobs_subject ON jobs (tenant_id, subject, run_at)`.execute(db);
  // Only unfinished work is ever scanned for.
  await sql`CREATE INDEX jobs_due ON jobs (run_at) WHERE status IN ('pending', 'running')`.execute(db);

  // Answers to API calls made with an Idempotency-Key, per actor, for a day. A tenant's calls are
  // kept in its row-level-security context; platform calls (no tenant) only in platform scope.
  await sql`
    CREATE TABLE idempotency_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
      actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api-key', 'system', 'cli')),
      actor_id text NOT NULL,
      key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
      fingerprint text NOT NULL CHECK (length(fingerprint) <= 128),
      response_status integer,
      response_body jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )
  `.execute(db);
  await sql`
    CREATE UNIQUE INDEX idempotency_keys_actor_key ON idempotency_keys (tenant_id, actor_kind, actor_id, key) NULLS NOT DISTINCT
  `.execute(db);
  await sql`CREATE INDEX idempotency_keys_tenant_id ON idempotency_keys (tenant_id)`.execute(db);
  await sql`CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)`.execute(db);

  for (const table of ['jobs', 'idempotency_keys']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (tenant_id = mosaic_current_tenant()) WITH CHECK (tenant_id = mosaic_current_tenant())
    `.execute(db);
  }
  await sql`
    CREATE POLICY platform_calls ON idempotency_keys
    USING (tenant_id IS NULL AND mosaic_platform_scope()) WITH CHECK (tenant_id IS NULL AND mosaic_platform_scope())
  `.execute(db);

  // Due jobs are found across tenants before any tenant is in context: through one narrow
  // function, owned by a role that may read and lease jobs and nothing else. A claim is a lease:
  // a runner that dies leaves its job to be claimed again once the lease runs out. SKIP LOCKED
  // lets several runners claim at once without sharing a job; a job whose effect is being
  // committed holds its row lock and is skipped.
  await sql`CREATE POLICY job_claims ON jobs TO mosaic_jobs USING (true)`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO mosaic_jobs`.execute(db);
  await sql`GRANT SELECT, UPDATE (status, attempts, locked_by, locked_until, updated_at) ON jobs TO mosaic_jobs`.execute(db);
  await sql`
    CREATE FUNCTION mosaic_claim_jobs(p_worker text, p_limit integer, p_lease_ms integer)
    RETURNS TABLE (id uuid, tenant_id uuid, kind text, attempts integer)
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      UPDATE jobs j
         SET status = 'running',
             attempts = j.attempts + 1,
             locked_by = left(p_worker, 200),
             locked_until = clock_timestamp() + make_interval(secs => greatest(p_lease_ms, 1000) / 1000.0),
             updated_at = clock_timestamp()
        FROM (SELECT c.tenant_id, c.id FROM jobs c
               WHERE c.run_at <= clock_timestamp()
                 AND (c.status = 'pending' OR (c.status = 'running' AND c.locked_until <= clock_timestamp()))
               ORDER BY c.run_at
               LIMIT least(greatest(p_limit, 1), 100)
               FOR UPDATE SKIP LOCKED) due
       WHERE j.tenant_id = due.tenant_id AND j.id = due.id
      RETURNING j.id, j.tenant_id, j.kind, j.attempts
    $$
  `.execute(db);
  await sql`ALTER FUNCTION mosaic_claim_jobs(text, integer, integer) OWNER TO mosaic_jobs`.execute(db);
  await sql`REVOKE ALL ON FUNCTION mosaic_claim_jobs(text, integer, integer) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION mosaic_claim_jobs(text, integer, integer) TO mosaic_app`.execute(db);

  // Provisioning (a platform operation) writes tenants and domains for the app role now. Inside one
  // tenant's context, row-level security alone would let a careless query add a domain to its own
  // site or lift its own plan: domains change, and a site's status and plan move, in platform
  // scope only.
  for (const command of ['INSERT', 'UPDATE', 'DELETE']) {
    const check = command === 'INSERT' ? sql`WITH CHECK (mosaic_platform_scope())` : sql`USING (mosaic_platform_scope())`;
    await sql`CREATE POLICY ${sql.id(`platform_writes_${command.toLowerCase()}`)} ON domains AS RESTRICTIVE FOR ${sql.raw(command)} ${check}`.execute(db);
  }
  await sql`
    CREATE FUNCTION mosaic_guard_tenant_lifecycle() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT mosaic_platform_scope() THEN
        RAISE EXCEPTION 'a site''s status and plan change only in platform scope' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$
  `.execute(db);
  await sql`REVOKE ALL ON FUNCTION mosaic_guard_tenant_lifecycle() FROM PUBLIC`.execute(db);
  await sql`
    CREATE TRIGGER tenants_lifecycle_in_platform_scope BEFORE UPDATE OF status, plan ON tenants
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.plan IS DISTINCT FROM NEW.plan)
    EXECUTE FUNCTION mosaic_guard_tenant_lifecycle()
  `.execute(db);

  // The app role's share, each privilege listed with its user in src/db/app-role-grants.ts.
  await sql`GRANT INSERT, UPDATE (draft, draft_revision, draft_updated_at, draft_updated_by, path, withdrawn_version_id, deleted_at, deleted_by) ON pages TO mosaic_app`.execute(db);
  await sql`GRANT UPDATE (status, plan) ON tenants TO mosaic_app`.execute(db);
  await sql`GRANT INSERT ON tenants TO mosaic_app`.execute(db);
  await sql`GRANT INSERT, DELETE ON domains TO mosaic_app`.execute(db);
  await sql`GRANT INSERT, UPDATE ON themes TO mosaic_app`.execute(db);
  await sql`GRANT INSERT, UPDATE, DELETE ON posts TO mosaic_app`.execute(db);
  await sql`GRANT SELECT, DELETE ON form_submissions TO mosaic_app`.execute(db);
  await sql`GRANT SELECT ON audit_log TO mosaic_app`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE (status, run_at, locked_by, locked_until, last_error, updated_at, finished_at) ON jobs TO mosaic_app`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS mosaic_claim_jobs(text, integer, integer)`.execute(db);
  await sql`DROP TRIGGER IF EXISTS tenants_lifecycle_in_platform_scope ON tenants`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mosaic_guard_tenant_lifecycle()`.execute(db);
  for (const command of ['insert', 'update', 'delete']) await sql`DROP POLICY IF EXISTS ${sql.id(`platform_writes_${command}`)} ON domains`.execute(db);
  await sql`DROP TABLE IF EXISTS idempotency_keys`.execute(db);
  await sql`DROP TABLE IF EXISTS jobs`.execute(db);
  await sql`REVOKE INSERT, UPDATE, DELETE ON posts FROM mosaic_app`.execute(db);
  await sql`REVOKE INSERT, UPDATE ON themes FROM mosaic_app`.execute(db);
  await sql`REVOKE INSERT, DELETE ON domains FROM mosaic_app`.execute(db);
  await sql`REVOKE INSERT, UPDATE (status, plan) ON tenants FROM mosaic_app`.execute(db);
  await sql`REVOKE SELECT, DELETE ON form_submissions FROM mosaic_app`.execute(db);
  await sql`REVOKE SELECT ON audit_log FROM mosaic_app`.execute(db);
  await sql`ALTER TABLE themes DROP COLUMN revision`.execute(db);
  await sql`ALTER TABLE posts DROP COLUMN updated_at, DROP COLUMN updated_by`.execute(db);
  await sql`ALTER TABLE page_versions DROP COLUMN source_revision`.execute(db);
  await sql`DROP INDEX IF EXISTS pages_live_path`.execute(db);
  await sql`ALTER TABLE pages ADD CONSTRAINT pages_tenant_id_path_key UNIQUE (tenant_id, path)`.execute(db);
  await sql`
    ALTER TABLE pages DROP COLUMN draft, DROP COLUMN draft_revision, DROP COLUMN draft_updated_at, DROP COLUMN draft_updated_by,
      DROP COLUMN withdrawn_version_id, DROP COLUMN deleted_at, DROP COLUMN deleted_by
  `.execute(db);
}
