import { sql, type Kysely, type RawBuilder } from 'kysely';

// Frozen in time: this file must never import application code.
// A deleted site (kept, restorable, until purged) is not shown to its members: the list of a
// user's sites leaves it out, and a restored site is listed again. The function's owner needs
// to read `deleted_at` to tell.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`GRANT SELECT (deleted_at) ON tenants TO mosaic_directory`.execute(db);
  await replaceUserTenants(db, sql`AND t.deleted_at IS NULL`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await replaceUserTenants(db, sql``);
  await sql`REVOKE SELECT (deleted_at) ON tenants FROM mosaic_directory`.execute(db);
}

/** The function as 2026-11-25 made it, with `condition` added; CREATE OR REPLACE keeps its owner (mosaic_directory) and grants. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function replaceUserTenants(db: Kysely<any>, condition: RawBuilder<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION mosaic_user_tenants(p_user_id uuid)
    RETURNS TABLE (tenant_id uuid, slug text, name text, status text, role text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      SELECT t.id, t.slug, t.name, t.status, m.role
        FROM memberships m JOIN tenants t ON t.id = m.tenant_id
       WHERE m.user_id = p_user_id ${condition}
       ORDER BY t.slug
    $$
  `.execute(db);
}
