import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, Migrator, type MigrationResultSet } from 'kysely/migration';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Brings the schema to the latest migration. Must run as the schema owner, never as the app role. */
export async function migrateToLatest<DB>(db: Kysely<DB>, folder = MIGRATIONS_DIR): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: folder }),
    migrationTableName: 'mosaic_migrations',
    migrationLockTableName: 'mosaic_migrations_lock',
  });
  return migrator.migrateToLatest();
}

/** Throws with every failed migration named; the migrator itself never throws. */
export async function migrateOrThrow<DB>(db: Kysely<DB>): Promise<string[]> {
  const { error, results = [] } = await migrateToLatest(db);
  const failed = results.filter((r) => r.status === 'Error').map((r) => r.migrationName);
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration failed${failed.length ? ` (${failed.join(', ')})` : ''}: ${reason}`);
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
