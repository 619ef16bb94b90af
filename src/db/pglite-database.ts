import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, sql } from 'kysely';
import { serializedDialect } from './serialized-dialect.ts';
import type { Database } from './schema.ts';

export interface EmbeddedDatabase {
  /** Connection as the schema owner: migrations and seeding only. */
  admin: Kysely<Database>;
  /** Switches the one connection to the unprivileged app role for good, and returns it. */
  dropToAppRole(): Promise<Kysely<Database>>;
  close(): Promise<void>;
}

/**
 * The embedded default: real Postgres in WASM, stored on disk (or in memory for `memory://`).
 * PGlite has one connection, so the owner phase (migrate, seed) happens first and then the
 * session drops to `mosaic_app`, after which row-level security applies exactly as on a server.
 */
export async function openEmbeddedDatabase(dir: string): Promise<EmbeddedDatabase> {
  if (!dir.startsWith('memory://')) await mkdir(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  const db = new Kysely<Database>({ dialect: serializedDialect(new PGliteDialect({ pglite })) });
  return {
    admin: db,
    async dropToAppRole() {
      await sql`SET ROLE mosaic_app`.execute(db);
      return db;
    },
    close: () => db.destroy(),
  };
}
