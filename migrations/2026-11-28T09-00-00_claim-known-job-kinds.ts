import { sql, type Kysely, type RawBuilder } from 'kysely';

// Frozen in time: this file must never import application code.
// A runner claims only the kinds of job it knows. Otherwise a process older than a job's kind
// (during a rolling deploy) would claim it, fail it as unknown and use up its attempts before a
// process that knows it ever saw it. The three-argument form goes: a process that still calls it
// claims nothing until it is replaced, which is safe.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION mosaic_claim_jobs(text, integer, integer)`.execute(db);
  await createClaim(db, sql`p_worker text, p_limit integer, p_lease_ms integer, p_kinds text[]`, sql`AND c.kind = ANY (p_kinds)`);
  await grant(db, sql`text, integer, integer, text[]`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION mosaic_claim_jobs(text, integer, integer, text[])`.execute(db);
  await createClaim(db, sql`p_worker text, p_limit integer, p_lease_ms integer`, sql``);
  await grant(db, sql`text, integer, integer`);
}

/** The claim as 2026-11-25 made it, with `condition` added to the choice of due jobs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createClaim(db: Kysely<any>, parameters: RawBuilder<unknown>, condition: RawBuilder<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION mosaic_claim_jobs(${parameters})
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
                 ${condition}
               ORDER BY c.run_at
               LIMIT least(greatest(p_limit, 1), 100)
               FOR UPDATE SKIP LOCKED) due
       WHERE j.tenant_id = due.tenant_id AND j.id = due.id
      RETURNING j.id, j.tenant_id, j.kind, j.attempts
    $$
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function grant(db: Kysely<any>, signature: RawBuilder<unknown>): Promise<void> {
  await sql`ALTER FUNCTION mosaic_claim_jobs(${signature}) OWNER TO mosaic_jobs`.execute(db);
  await sql`REVOKE ALL ON FUNCTION mosaic_claim_jobs(${signature}) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION mosaic_claim_jobs(${signature}) TO mosaic_app`.execute(db);
}
