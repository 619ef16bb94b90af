import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';
import type { Database } from '../../src/db/schema.ts';

export interface FreshDatabase {
  adminUrl: string;
  appUrl: string;
  admin: Kysely<Database>;
  app: Kysely<Database>;
  drop(): Promise<void>;
}

/**
 * A second, empty installation's database on the suite's PostgreSQL server: created, migrated,
 * with no site in it (not even the demo ones); dropped by `drop()`.
 */
export async function createFreshDatabase(): Promise<FreshDatabase> {
  const suite = new URL(inject('adminDatabaseUrl'));
  const name = `mosaic_fresh_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const server = new pg.Client({ connectionString: new URL('/postgres', suite).toString() });
  await server.connect();
  await server.query(`CREATE DATABASE ${name}`);
  const adminUrl = new URL(`/${name}`, suite).toString();
  const app = new URL(adminUrl);
  app.username = 'mosaic_app';
  app.password = '';
  const admin = createPostgresDatabase(adminUrl, 2);
  await migrateOrThrow(admin);
  const appDb = createPostgresDatabase(app.toString(), 2);
  return {
    adminUrl,
    appUrl: app.toString(),
    admin,
    app: appDb,
    async drop() {
      await Promise.all([admin.destroy(), appDb.destroy()]);
      await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await server.end();
    },
  };
}
