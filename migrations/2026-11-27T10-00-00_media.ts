import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// A site's images: what the library lists (media) apart from the original bytes (media_blobs), so
// listing never reads bytes and another store can take the bytes' place. Bytes live in Postgres
// by default, so every instance serves the same files.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE media (
      tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      id uuid NOT NULL DEFAULT gen_random_uuid(),
      content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif')),
      byte_size integer NOT NULL CHECK (byte_size > 0),
      width integer NOT NULL CHECK (width > 0),
      height integer NOT NULL CHECK (height > 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      filename text NOT NULL DEFAULT '' CHECK (length(filename) <= 255),
      alt text NOT NULL CHECK (length(alt) BETWEEN 1 AND 500),
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL,
      PRIMARY KEY (tenant_id, id),
      UNIQUE (id)
    )
  `.execute(db);
  await sql`CREATE INDEX media_newest ON media (tenant_id, created_at DESC, id DESC)`.execute(db);

  await sql`
    CREATE TABLE media_blobs (
      tenant_id uuid NOT NULL,
      media_id uuid NOT NULL,
      bytes bytea NOT NULL,
      PRIMARY KEY (tenant_id, media_id),
      FOREIGN KEY (tenant_id, media_id) REFERENCES media (tenant_id, id) ON DELETE CASCADE
    )
  `.execute(db);

  for (const table of ['media', 'media_blobs']) {
    await sql`ALTER TABLE ${sql.table(table)} ENABLE ROW LEVEL SECURITY`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} FORCE ROW LEVEL SECURITY`.execute(db);
    await sql`
      CREATE POLICY tenant_isolation ON ${sql.table(table)}
      USING (tenant_id = mosaic_current_tenant()) WITH CHECK (tenant_id = mosaic_current_tenant())
    `.execute(db);
  }

  // The app role's share, each privilege listed with its user in src/db/app-role-grants.ts.
  await sql`GRANT SELECT, INSERT, DELETE, UPDATE (alt, updated_at, updated_by) ON media TO mosaic_app`.execute(db);
  await sql`GRANT SELECT, INSERT, DELETE ON media_blobs TO mosaic_app`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS media_blobs`.execute(db);
  await sql`DROP TABLE IF EXISTS media`.execute(db);
}
