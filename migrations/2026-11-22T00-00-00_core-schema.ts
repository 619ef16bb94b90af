import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Roles are cluster-wide, so creating them tolerates a concurrent creator.

const TENANT_TABLES = ['domains', 'themes', 'pages', 'page_versions', 'posts', 'form_submissions', 'audit_log'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    DO $$ BEGIN
      CREATE ROLE mosaic_app LOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
  `.execute(db);
  await sql`
    DO $$ BEGIN
      CREATE ROLE mosaic_routing NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
  `.execute(db);

  await sql`
    CREATE FUNCTION mosaic_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('mosaic.tenant_id', true), '')::uuid $$
  `.execute(db);

  await sql`
    CREATE TABLE tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      status text NOT NULL DEFAULT 'trial' CHECK (status IN ('trial', 'active', 'suspended', 'cancelled')),
      plan text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'starter', 'pro', 'enterprise')),
      settings jsonb NOT NULL DEFAULT '{}'::jsonb,
      site_version bigint NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE domains (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      hostname text NOT NULL CHECK (hostname ~ '^[a-z0-9.-]{1,253}$'),
      is_primary boolean NOT NULL DEFAULT false,
      verified boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, hostname)
    )
  `.execute(db);
  // A hostname routes to one site; under Citus this table would be a reference table.
  await sql`CREATE UNIQUE INDEX domains_hostname_key ON domains (hostname)`.execute(db);
  await sql`CREATE UNIQUE INDEX domains_one_primary ON domains (tenant_id) WHERE is_primary`.execute(db);

  await sql`
    CREATE TABLE themes (
      tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
      preset text NOT NULL,
      overrides jsonb NOT NULL DEFAULT '{}'::jsonb,
      logo_url text,
      favicon_url text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);

  await sql`
    CREATE TABLE pages (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      path text NOT NULL CHECK (path ~ '^/' AND length(path) <= 512),
      published_version_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, path)
    )
  `.execute(db);

  await sql`
    CREATE TABLE page_versions (
      tenant_id uuid NOT NULL,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      page_id uuid NOT NULL,
      version integer NOT NULL CHECK (version > 0),
      composition jsonb NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, page_id, version),
      FOREIGN KEY (tenant_id, page_id) REFERENCES pages (tenant_id, id) ON DELETE CASCADE
    )
  `.execute(db);
  await sql`
    ALTER TABLE pages ADD CONSTRAINT pages_published_version_fk
      FOREIGN KEY (tenant_id, published_version_id) REFERENCES page_versions (tenant_id, id)
      DEFERRABLE INITIALLY DEFERRED
  `.execute(db);
  // History is immutable: versions are only ever added.
  await sql`
    CREATE FUNCTION mosaic_reject_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'page versions are immutable'; END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER page_versions_immutable BEFORE UPDATE ON page_versions
    FOR EACH ROW EXECUTE FUNCTION mosaic_reject_update()
  `.execute(db);

  await sql`
    CREATE TABLE posts (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,118}[a-z0-9])?$'),
      title text NOT NULL,
      excerpt text NOT NULL DEFAULT '',
      body text NOT NULL DEFAULT '',
      author text,
      published_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id),
      UNIQUE (tenant_id, slug)
    )
  `.execute(db);
  await sql`CREATE INDEX posts_latest ON posts (tenant_id, published_at DESC)`.execute(db);

  await sql`
    CREATE TABLE form_submissions (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      form text NOT NULL,
      page_path text NOT NULL,
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )
  `.execute(db);
  await sql`CREATE INDEX form_submissions_recent ON form_submissions (tenant_id, created_at DESC)`.execute(db);

  await sql`
    CREATE TABLE audit_log (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      action text NOT NULL,
      subject text NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}'::jsonb,
      actor text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, id)
    )
  `.execute(db);
  await sql`CREATE INDEX audit_log_recent ON audit_log (tenant_id, created_at DESC)`.execute(db);

  // Row-level security: every tenant-owned row is visible only inside its tenant's context.
  await sql`ALTER TABLE tenants ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE tenants FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`CREATE POLICY tenant_isolation ON tenants USING (id = mosaic_current_tenant()) WITH CHECK (id = mosaic_current_tenant())`.execute(db);
  for (const table of TENANT_TABLES) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (tenant_id = mosaic_current_tenant()) WITH CHECK (tenant_id = mosaic_current_tenant())
    `.execute(db);
    await sql`CREATE INDEX ${sql.id(`${table}_tenant_id`)} ON ${sql.table(table)} (tenant_id)`.execute(db);
  }

  // Host lookup happens before any tenant is known; it runs as a narrow role that may read only the
  // routing columns, through one function the app role may call.
  await sql`CREATE POLICY routing_lookup ON domains FOR SELECT TO mosaic_routing USING (true)`.execute(db);
  await sql`CREATE POLICY routing_lookup ON tenants FOR SELECT TO mosaic_routing USING (true)`.execute(db);
  await sql`GRANT USAGE ON SCHEMA public TO mosaic_routing`.execute(db);
  await sql`GRANT SELECT (tenant_id, hostname, is_primary, verified) ON domains TO mosaic_routing`.execute(db);
  await sql`GRANT SELECT (id, slug) ON tenants TO mosaic_routing`.execute(db);
  await sql`
    CREATE FUNCTION mosaic_resolve_host(p_hostname text, p_platform_slug text)
    RETURNS TABLE (tenant_id uuid, via text, is_primary boolean, primary_hostname text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      WITH hit AS (
        (SELECT d.tenant_id, 'domain'::text AS via, d.is_primary
           FROM domains d WHERE d.hostname = p_hostname AND d.verified)
        UNION ALL
        (SELECT t.id, 'platform'::text, false FROM tenants t WHERE t.slug = p_platform_slug)
        LIMIT 1
      )
      SELECT hit.tenant_id, hit.via, hit.is_primary,
             (SELECT p.hostname FROM domains p
               WHERE p.tenant_id = hit.tenant_id AND p.is_primary AND p.verified LIMIT 1)
        FROM hit
    $$
  `.execute(db);
  await sql`ALTER FUNCTION mosaic_resolve_host(text, text) OWNER TO mosaic_routing`.execute(db);
  await sql`REVOKE ALL ON FUNCTION mosaic_resolve_host(text, text) FROM PUBLIC`.execute(db);

  // The server's role: never owner, never superuser; history tables are append-only for it.
  await sql`GRANT USAGE ON SCHEMA public TO mosaic_app`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION mosaic_resolve_host(text, text) TO mosaic_app`.execute(db);
  await sql`GRANT SELECT, UPDATE (site_version, updated_at) ON tenants TO mosaic_app`.execute(db);
  await sql`GRANT SELECT ON domains TO mosaic_app`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE ON themes, pages TO mosaic_app`.execute(db);
  await sql`GRANT SELECT, INSERT ON page_versions, form_submissions, audit_log TO mosaic_app`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON posts TO mosaic_app`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS mosaic_resolve_host(text, text)`.execute(db);
  for (const table of ['audit_log', 'form_submissions', 'posts', 'page_versions', 'pages', 'themes', 'domains', 'tenants']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS mosaic_reject_update()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS mosaic_current_tenant()`.execute(db);
}
