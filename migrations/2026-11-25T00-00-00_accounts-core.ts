import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The core of the write side: who acts (users, memberships), the platform scope that platform
// operations run in, and an audit trail that names the actor. Roles are cluster-wide, so creating
// them tolerates a concurrent creator.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$ BEGIN
      CREATE ROLE mosaic_directory NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
  `.execute(db);

  // Set per transaction with set_config(..., true), like mosaic.tenant_id.
  await sql`
    CREATE FUNCTION mosaic_current_user() RETURNS uuid
    LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('mosaic.user_id', true), '')::uuid $$
  `.execute(db);
  // Platform operations (creating tenants, listing every tenant) run in this scope; tenant
  // operations never do, so row-level security keeps them to one tenant.
  await sql`
    CREATE FUNCTION mosaic_platform_scope() RETURNS boolean
    LANGUAGE sql STABLE AS $$ SELECT coalesce(current_setting('mosaic.platform', true), '') = 'on' $$
  `.execute(db);

  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254 AND position('@' IN email) > 1),
      name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
      platform_role text CHECK (platform_role IN ('admin')),
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE memberships (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, user_id)
    )
  `.execute(db);
  await sql`CREATE INDEX memberships_user ON memberships (user_id)`.execute(db);

  // Events that belong to no tenant (a user created by a platform admin, a tenant purged).
  await sql`
    CREATE TABLE platform_audit_log (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      action text NOT NULL,
      subject text NOT NULL,
      actor text NOT NULL,
      actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api-key', 'system', 'cli')),
      actor_id text,
      before jsonb,
      after jsonb,
      detail jsonb NOT NULL DEFAULT '{}'::jsonb,
      client_address text,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX platform_audit_log_recent ON platform_audit_log (created_at DESC)`.execute(db);

  // The tenant audit trail names its actor and carries what changed.
  await sql`
    ALTER TABLE audit_log
      ADD COLUMN actor_kind text NOT NULL DEFAULT 'system' CHECK (actor_kind IN ('user', 'api-key', 'system', 'cli')),
      ADD COLUMN actor_id text,
      ADD COLUMN before jsonb,
      ADD COLUMN after jsonb,
      ADD COLUMN client_address text
  `.execute(db);
  await sql`CREATE INDEX audit_log_action ON audit_log (tenant_id, action, created_at DESC)`.execute(db);
  await sql`CREATE INDEX audit_log_actor ON audit_log (tenant_id, actor_id, created_at DESC)`.execute(db);
  // The trail is append-only for everyone; a purged tenant's rows go with it by cascade.
  await sql`
    CREATE FUNCTION mosaic_reject_audit_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit records are append-only'; END $$
  `.execute(db);
  for (const table of ['audit_log', 'platform_audit_log']) {
    await sql`
      CREATE TRIGGER ${sql.id(`${table}_append_only`)} BEFORE UPDATE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION mosaic_reject_audit_update()
    `.execute(db);
  }

  // Row-level security. Users see themselves, the members of the tenant in context, or (platform
  // scope) everyone; memberships follow the tenant; the platform trail only in platform scope.
  for (const table of ['users', 'memberships', 'platform_audit_log']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
  }
  await sql`CREATE POLICY user_self ON users USING (id = mosaic_current_user()) WITH CHECK (id = mosaic_current_user())`.execute(db);
  await sql`
    CREATE POLICY tenant_members ON users FOR SELECT USING (
      EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = mosaic_current_tenant())
    )
  `.execute(db);
  await sql`
    CREATE POLICY tenant_isolation ON memberships
    USING (tenant_id = mosaic_current_tenant()) WITH CHECK (tenant_id = mosaic_current_tenant())
  `.execute(db);
  for (const table of ['users', 'memberships', 'platform_audit_log', 'tenants', 'domains']) {
    await sql`
      CREATE POLICY platform_scope ON ${sql.table(table)}
      USING (mosaic_platform_scope()) WITH CHECK (mosaic_platform_scope())
    `.execute(db);
  }

  // A signed-in user acting on their own account (no tenant, no platform scope) leaves a record too.
  await sql`
    CREATE POLICY self_append ON platform_audit_log FOR INSERT
    WITH CHECK (actor_kind = 'user' AND actor_id = mosaic_current_user()::text)
  `.execute(db);

  // "Which sites may this user open?" is asked before any tenant is in context: one narrow
  // function, owned by a role that can read only the columns it returns.
  await sql`CREATE POLICY directory_lookup ON memberships FOR SELECT TO mosaic_directory USING (true)`.execute(db);
  await sql`CREATE POLICY directory_lookup ON tenants FOR SELECT TO mosaic_directory USING (true)`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO mosaic_directory`.execute(db);
  await sql`GRANT SELECT (tenant_id, user_id, role) ON memberships TO mosaic_directory`.execute(db);
  await sql`GRANT SELECT (id, slug, name, status) ON tenants TO mosaic_directory`.execute(db);
  await sql`
    CREATE FUNCTION mosaic_user_tenants(p_user_id uuid)
    RETURNS TABLE (tenant_id uuid, slug text, name text, status text, role text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT t.id, t.slug, t.name, t.status, m.role
        FROM memberships m JOIN tenants t ON t.id = m.tenant_id
       WHERE m.user_id = p_user_id
       ORDER BY t.slug
    $$
  `.execute(db);
  await sql`ALTER FUNCTION mosaic_user_tenants(uuid) OWNER TO mosaic_directory`.execute(db);
  await sql`REVOKE ALL ON FUNCTION mosaic_user_tenants(uuid) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION mosaic_user_tenants(uuid) TO mosaic_app`.execute(db);

  // The app role's share: only what code uses today (see src/db/app-role-grants.ts); the
  // operations that need more add it in their own migrations.
  await sql`REVOKE ALL ON FUNCTION mosaic_reject_audit_update() FROM PUBLIC`.execute(db);
  await sql`GRANT SELECT ON memberships TO mosaic_app`.execute(db);
  await sql`GRANT INSERT ON platform_audit_log TO mosaic_app`.execute(db);
  await sql`GRANT UPDATE (name, settings) ON tenants TO mosaic_app`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS mosaic_user_tenants(uuid)`.execute(db);
  for (const table of ['tenants', 'domains']) await sql`DROP POLICY IF EXISTS platform_scope ON ${sql.table(table)}`.execute(db);
  await sql`DROP POLICY IF EXISTS directory_lookup ON tenants`.execute(db);
  await sql`DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log`.execute(db);
  await sql`
    ALTER TABLE audit_log DROP COLUMN actor_kind, DROP COLUMN actor_id, DROP COLUMN before, DROP COLUMN after, DROP COLUMN client_address
  `.execute(db);
  for (const table of ['platform_audit_log', 'memberships', 'users']) await sql`DROP TABLE IF EXISTS ${sql.table(table)} CASCADE`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mosaic_reject_audit_update()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mosaic_platform_scope()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mosaic_current_user()`.execute(db);
}
