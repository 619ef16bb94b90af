import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Signing in and everything around it: password hashes, sessions, invitations, password resets
// and API keys. Lookups that happen before anyone is known (sign-in by email, a session by its
// token hash, an API key by its prefix, an invitation or a reset by its token hash) go through
// narrow SECURITY DEFINER functions, each owned by a NOLOGIN role that may read only what its
// function returns. Roles are cluster-wide, so creating them tolerates a concurrent creator.

const LOOKUP_ROLES = ['mosaic_signin', 'mosaic_sessions', 'mosaic_api_keys', 'mosaic_invitations', 'mosaic_password_resets'];
const HEX_64 = sql.raw(`'^[0-9a-f]{64}$'`);
const EMAIL_CHECK = sql.raw(`email = lower(email) AND length(email) BETWEEN 3 AND 254 AND position('@' IN email) > 1`);
const ROLE_CHECK = sql.raw(`role IN ('owner', 'admin', 'editor', 'viewer')`);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const role of LOOKUP_ROLES) {
    await sql`
      DO $$ BEGIN
        CREATE ROLE ${sql.id(role)} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
    `.execute(db);
    await sql`GRANT USAGE ON SCHEMA public TO ${sql.id(role)}`.execute(db);
  }

  // A PHC-style string (`$scrypt$ln=15,r=8,p=1$salt$hash`); null until the user sets a password.
  await sql`ALTER TABLE users ADD COLUMN password_hash text CHECK (password_hash IS NULL OR length(password_hash) <= 512)`.execute(db);

  // Platform role, disabling and the email change only in platform scope, whoever asks: a user
  // acting on their own row (self scope) can change their name and password, nothing that grants power.
  await sql`
    CREATE FUNCTION mosaic_guard_user_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF mosaic_platform_scope() THEN RETURN NEW; END IF;
      IF TG_OP = 'INSERT' AND (NEW.platform_role IS NOT NULL OR NEW.disabled_at IS NOT NULL) THEN
        RAISE EXCEPTION 'only a platform operation may create a platform admin or a disabled user' USING ERRCODE = '42501';
      END IF;
      IF TG_OP = 'UPDATE' AND (NEW.platform_role IS DISTINCT FROM OLD.platform_role
          OR NEW.disabled_at IS DISTINCT FROM OLD.disabled_at OR NEW.email IS DISTINCT FROM OLD.email) THEN
        RAISE EXCEPTION 'only a platform operation may change a user''s email, platform role or disabled state' USING ERRCODE = '42501';
      END IF;
      RETURN NEW;
    END $$
  `.execute(db);
  await sql`REVOKE ALL ON FUNCTION mosaic_guard_user_row() FROM PUBLIC`.execute(db);
  await sql`CREATE TRIGGER users_guard BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION mosaic_guard_user_row()`.execute(db);

  // A session's id is the SHA-256 of its token: the token itself is never stored.
  await sql`
    CREATE TABLE sessions (
      id text PRIMARY KEY CHECK (id ~ ${HEX_64}),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      ip text CHECK (length(ip) <= 100),
      user_agent text CHECK (length(user_agent) <= 512),
      revoked_at timestamptz
    )
  `.execute(db);
  await sql`CREATE INDEX sessions_user ON sessions (user_id)`.execute(db);

  await sql`
    CREATE TABLE invitations (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      email text NOT NULL CHECK (${EMAIL_CHECK}),
      role text NOT NULL CHECK (${ROLE_CHECK}),
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ ${HEX_64}),
      invited_by text NOT NULL,
      invited_by_id text,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
      revoked_at timestamptz,
      PRIMARY KEY (tenant_id, id)
    )
  `.execute(db);
  await sql`CREATE INDEX invitations_tenant_id ON invitations (tenant_id)`.execute(db);
  // One open invitation per address and site: a new one replaces the old.
  await sql`CREATE UNIQUE INDEX invitations_one_open ON invitations (tenant_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL`.execute(db);

  await sql`
    CREATE TABLE password_resets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE CHECK (token_hash ~ ${HEX_64}),
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      client_address text CHECK (length(client_address) <= 100)
    )
  `.execute(db);
  await sql`CREATE INDEX password_resets_user ON password_resets (user_id)`.execute(db);

  // A key with a tenant acts with one role on that tenant; a key without one is a platform key.
  // Its id is its own key (a platform key has no tenant to put first).
  await sql`
    CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
      role text CHECK (${ROLE_CHECK}),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      prefix text NOT NULL UNIQUE CHECK (prefix ~ '^[a-z0-9]{12}$'),
      secret_hash text NOT NULL CHECK (secret_hash ~ ${HEX_64}),
      created_by text NOT NULL,
      created_by_id text,
      created_at timestamptz NOT NULL,
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz,
      CHECK ((tenant_id IS NULL) = (role IS NULL))
    )
  `.execute(db);
  await sql`CREATE INDEX api_keys_tenant_id ON api_keys (tenant_id)`.execute(db);

  // Row-level security: a user sees their own sessions and resets; invitations and tenant keys
  // follow the tenant in context; platform operations see everything.
  for (const table of ['sessions', 'invitations', 'password_resets', 'api_keys']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
  }
  for (const table of ['sessions', 'password_resets']) {
    await sql`
      CREATE POLICY user_self ON ${sql.table(table)}
      USING (user_id = mosaic_current_user()) WITH CHECK (user_id = mosaic_current_user())
    `.execute(db);
  }
  for (const table of ['invitations', 'api_keys']) {
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (tenant_id = mosaic_current_tenant()) WITH CHECK (tenant_id = mosaic_current_tenant())
    `.execute(db);
  }
  for (const table of ['sessions', 'password_resets', 'api_keys']) {
    await sql`CREATE POLICY platform_scope ON ${sql.table(table)} USING (mosaic_platform_scope()) WITH CHECK (mosaic_platform_scope())`.execute(db);
  }

  // Sign-in by email (also: does an invited address have an account yet?).
  await sql`CREATE POLICY signin_lookup ON users FOR SELECT TO mosaic_signin USING (true)`.execute(db);
  await sql`GRANT SELECT (id, email, name, password_hash, platform_role, disabled_at) ON users TO mosaic_signin`.execute(db);
  await definer(
    db,
    'mosaic_sign_in_lookup(text)',
    'mosaic_signin',
    sql`
    CREATE FUNCTION mosaic_sign_in_lookup(p_email text)
    RETURNS TABLE (user_id uuid, email text, name text, password_hash text, platform_role text, disabled_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT u.id, u.email, u.name, u.password_hash, u.platform_role, u.disabled_at FROM users u WHERE u.email = lower(p_email)
    $$`,
  );

  // A session by its token hash, with what the actor needs; and its last-seen time, moved forward
  // at most once a minute.
  await sql`CREATE POLICY session_lookup ON sessions FOR SELECT TO mosaic_sessions USING (true)`.execute(db);
  await sql`CREATE POLICY session_touch ON sessions FOR UPDATE TO mosaic_sessions USING (true) WITH CHECK (true)`.execute(db);
  await sql`CREATE POLICY session_lookup ON users FOR SELECT TO mosaic_sessions USING (true)`.execute(db);
  await sql`GRANT SELECT (id, user_id, created_at, expires_at, last_seen_at, revoked_at), UPDATE (last_seen_at) ON sessions TO mosaic_sessions`.execute(
    db,
  );
  await sql`GRANT SELECT (id, email, platform_role, disabled_at) ON users TO mosaic_sessions`.execute(db);
  await definer(
    db,
    'mosaic_session_lookup(text)',
    'mosaic_sessions',
    sql`
    CREATE FUNCTION mosaic_session_lookup(p_id text)
    RETURNS TABLE (session_id text, user_id uuid, email text, platform_role text, disabled_at timestamptz,
                   created_at timestamptz, expires_at timestamptz, last_seen_at timestamptz, revoked_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT s.id, s.user_id, u.email, u.platform_role, u.disabled_at, s.created_at, s.expires_at, s.last_seen_at, s.revoked_at
        FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = p_id
    $$`,
  );
  await definer(
    db,
    'mosaic_touch_session(text,timestamp with time zone)',
    'mosaic_sessions',
    sql`
    CREATE FUNCTION mosaic_touch_session(p_id text, p_at timestamptz) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      UPDATE sessions SET last_seen_at = p_at
       WHERE id = p_id AND revoked_at IS NULL AND last_seen_at < p_at - interval '1 minute'
    $$`,
  );

  // An API key by its visible prefix; the caller compares the secret's hash in constant time.
  await sql`CREATE POLICY key_lookup ON api_keys FOR SELECT TO mosaic_api_keys USING (true)`.execute(db);
  await sql`CREATE POLICY key_touch ON api_keys FOR UPDATE TO mosaic_api_keys USING (true) WITH CHECK (true)`.execute(db);
  await sql`GRANT SELECT (id, tenant_id, role, prefix, secret_hash, expires_at, last_used_at, revoked_at), UPDATE (last_used_at) ON api_keys TO mosaic_api_keys`.execute(
    db,
  );
  await definer(
    db,
    'mosaic_api_key_lookup(text)',
    'mosaic_api_keys',
    sql`
    CREATE FUNCTION mosaic_api_key_lookup(p_prefix text)
    RETURNS TABLE (key_id uuid, tenant_id uuid, role text, secret_hash text, expires_at timestamptz, last_used_at timestamptz, revoked_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT k.id, k.tenant_id, k.role, k.secret_hash, k.expires_at, k.last_used_at, k.revoked_at FROM api_keys k WHERE k.prefix = p_prefix
    $$`,
  );
  await definer(
    db,
    'mosaic_touch_api_key(uuid,timestamp with time zone)',
    'mosaic_api_keys',
    sql`
    CREATE FUNCTION mosaic_touch_api_key(p_id uuid, p_at timestamptz) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      UPDATE api_keys SET last_used_at = p_at
       WHERE id = p_id AND (last_used_at IS NULL OR last_used_at < p_at - interval '1 minute')
    $$`,
  );

  // An invitation by its token hash, with the site's name for the acceptance screen.
  await sql`CREATE POLICY invitation_lookup ON invitations FOR SELECT TO mosaic_invitations USING (true)`.execute(db);
  await sql`CREATE POLICY invitation_lookup ON tenants FOR SELECT TO mosaic_invitations USING (true)`.execute(db);
  await sql`GRANT SELECT (tenant_id, id, email, role, token_hash, expires_at, accepted_at, revoked_at) ON invitations TO mosaic_invitations`.execute(
    db,
  );
  await sql`GRANT SELECT (id, slug, name, status) ON tenants TO mosaic_invitations`.execute(db);
  await definer(
    db,
    'mosaic_invitation_lookup(text)',
    'mosaic_invitations',
    sql`
    CREATE FUNCTION mosaic_invitation_lookup(p_token_hash text)
    RETURNS TABLE (invitation_id uuid, tenant_id uuid, tenant_slug text, tenant_name text, tenant_status text, email text, role text,
                   expires_at timestamptz, accepted_at timestamptz, revoked_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT i.id, i.tenant_id, t.slug, t.name, t.status, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at
        FROM invitations i JOIN tenants t ON t.id = i.tenant_id
       WHERE i.token_hash = p_token_hash
    $$`,
  );

  // A password reset by its token hash, with the account it belongs to.
  await sql`CREATE POLICY reset_lookup ON password_resets FOR SELECT TO mosaic_password_resets USING (true)`.execute(db);
  await sql`CREATE POLICY reset_lookup ON users FOR SELECT TO mosaic_password_resets USING (true)`.execute(db);
  await sql`GRANT SELECT (id, user_id, token_hash, expires_at, used_at) ON password_resets TO mosaic_password_resets`.execute(db);
  await sql`GRANT SELECT (id, email, platform_role, disabled_at) ON users TO mosaic_password_resets`.execute(db);
  await definer(
    db,
    'mosaic_password_reset_lookup(text)',
    'mosaic_password_resets',
    sql`
    CREATE FUNCTION mosaic_password_reset_lookup(p_token_hash text)
    RETURNS TABLE (reset_id uuid, user_id uuid, email text, platform_role text, disabled_at timestamptz, expires_at timestamptz, used_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT r.id, r.user_id, u.email, u.platform_role, u.disabled_at, r.expires_at, r.used_at
        FROM password_resets r JOIN users u ON u.id = r.user_id
       WHERE r.token_hash = p_token_hash
    $$`,
  );

  // The app role's share: exactly what the account operations use (src/db/app-role-grants.ts).
  // Password and secret hashes are never readable by it: only the lookup functions return them.
  await sql`GRANT SELECT (id, email, name, platform_role, disabled_at, created_at, updated_at) ON users TO mosaic_app`.execute(db);
  await sql`GRANT INSERT (id, email, name, password_hash, platform_role) ON users TO mosaic_app`.execute(db);
  await sql`GRANT UPDATE (name, password_hash, platform_role, disabled_at, updated_at) ON users TO mosaic_app`.execute(db);
  await sql`GRANT INSERT, DELETE, UPDATE (role, updated_at) ON memberships TO mosaic_app`.execute(db);
  await sql`GRANT SELECT (id, user_id, created_at, expires_at, last_seen_at, ip, user_agent, revoked_at), INSERT, UPDATE (revoked_at) ON sessions TO mosaic_app`.execute(
    db,
  );
  await sql`GRANT SELECT, INSERT, UPDATE (revoked_at, accepted_at, accepted_by) ON invitations TO mosaic_app`.execute(db);
  await sql`GRANT SELECT (id, user_id, token_hash, created_at, expires_at, used_at), INSERT, UPDATE (used_at) ON password_resets TO mosaic_app`.execute(
    db,
  );
  await sql`
    GRANT SELECT (id, tenant_id, role, name, prefix, created_by, created_by_id, created_at, expires_at, last_used_at, revoked_at), INSERT, UPDATE (revoked_at)
       ON api_keys TO mosaic_app
  `.execute(db);
  // The command line calls tenant operations as the schema owner, which may not be a superuser.
  await sql`GRANT EXECUTE ON FUNCTION mosaic_resolve_host(text, text) TO CURRENT_USER`.execute(db);
}

/** Creates a lookup function owned by its narrow role, callable by the app role and the owner only. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function definer(db: Kysely<any>, signature: string, owner: string, create: ReturnType<typeof sql>): Promise<void> {
  await create.execute(db);
  await sql.raw(`ALTER FUNCTION ${signature} OWNER TO ${owner}`).execute(db);
  await sql.raw(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`).execute(db);
  await sql.raw(`GRANT EXECUTE ON FUNCTION ${signature} TO mosaic_app, CURRENT_USER`).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const fn of [
    'mosaic_password_reset_lookup(text)',
    'mosaic_invitation_lookup(text)',
    'mosaic_touch_api_key(uuid, timestamptz)',
    'mosaic_api_key_lookup(text)',
    'mosaic_touch_session(text, timestamptz)',
    'mosaic_session_lookup(text)',
    'mosaic_sign_in_lookup(text)',
  ]) {
    await sql.raw(`DROP FUNCTION IF EXISTS ${fn}`).execute(db);
  }
  for (const table of ['api_keys', 'password_resets', 'invitations', 'sessions']) await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  for (const policy of ['signin_lookup', 'session_lookup', 'reset_lookup']) await sql`DROP POLICY IF EXISTS ${sql.id(policy)} ON users`.execute(db);
  await sql`DROP POLICY IF EXISTS invitation_lookup ON tenants`.execute(db);
  await sql`DROP TRIGGER IF EXISTS users_guard ON users`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mosaic_guard_user_row()`.execute(db);
  await sql`REVOKE ALL ON users FROM mosaic_app`.execute(db);
  await sql`REVOKE INSERT, DELETE, UPDATE ON memberships FROM mosaic_app`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN password_hash`.execute(db);
}
