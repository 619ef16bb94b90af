import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Custom domains are added unverified with a DNS challenge; a verified domain is re-checked and
// marked broken when its record disappears. Caddy's on-demand TLS asks which hostnames may get a
// certificate, across tenants: one narrow function answers, owned by the routing role.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE domains
      ADD COLUMN challenge_token text CHECK (challenge_token ~ '^[A-Za-z0-9_-]{16,64}$'),
      ADD COLUMN verified_at timestamptz,
      ADD COLUMN checked_at timestamptz,
      ADD COLUMN broken_since timestamptz,
      ADD COLUMN last_check_error text CHECK (length(last_check_error) <= 500)
  `.execute(db);
  await sql`GRANT UPDATE (is_primary, verified, verified_at, checked_at, broken_since, last_check_error) ON domains TO mosaic_app`.execute(db);

  await sql`GRANT SELECT (status, plan, plan_overrides) ON tenants TO mosaic_routing`.execute(db);
  await sql`
    CREATE FUNCTION mosaic_tls_domains(p_tenant_id uuid)
    RETURNS TABLE (hostname text, tenant_id uuid, status text, plan text, plan_overrides jsonb)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT d.hostname, t.id, t.status, t.plan, t.plan_overrides
        FROM domains d JOIN tenants t ON t.id = d.tenant_id
       WHERE d.verified AND (p_tenant_id IS NULL OR t.id = p_tenant_id)
    $$
  `.execute(db);
  await sql`ALTER FUNCTION mosaic_tls_domains(uuid) OWNER TO mosaic_routing`.execute(db);
  await sql`REVOKE ALL ON FUNCTION mosaic_tls_domains(uuid) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION mosaic_tls_domains(uuid) TO mosaic_app`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS mosaic_tls_domains(uuid)`.execute(db);
  await sql`REVOKE SELECT (status, plan, plan_overrides) ON tenants FROM mosaic_routing`.execute(db);
  await sql`REVOKE UPDATE (is_primary, verified, verified_at, checked_at, broken_since, last_check_error) ON domains FROM mosaic_app`.execute(db);
  await sql`
    ALTER TABLE domains DROP COLUMN challenge_token, DROP COLUMN verified_at, DROP COLUMN checked_at,
      DROP COLUMN broken_since, DROP COLUMN last_check_error
  `.execute(db);
}
