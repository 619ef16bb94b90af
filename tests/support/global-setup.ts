import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';
import { seedTenants } from '../../src/tenants/seed-demo.ts';
import { catalog } from '../../registry/catalog.ts';

// The suite runs against real servers. A missing server fails the run: nothing is skipped.
const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    appDatabaseUrl: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  await redis.connect().then(
    () => redis.ping(),
    (error: Error) => {
      throw new Error(`Tests need Redis at ${REDIS_URL} (set TEST_REDIS_URL): ${error.message}`);
    },
  );
  redis.disconnect();

  const name = `mosaic_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const server = new pg.Client({ connectionString: SERVER_URL });
  await server.connect().catch((error: Error) => {
    throw new Error(`Tests need PostgreSQL at ${SERVER_URL} (set TEST_POSTGRES_URL): ${error.message}`);
  });
  await server.query(`CREATE DATABASE ${name}`);

  const adminUrl = withDatabase(SERVER_URL, name);
  const admin = createPostgresDatabase(adminUrl, 1);
  await migrateOrThrow(admin);
  // The demo tenants are shared fixtures; tests that change sites create tenants of their own.
  await seedTenants({ admin, registry: catalog, notify: async () => {}, platformDomain: 'localhost' });
  await admin.destroy();

  const appUrl = new URL(adminUrl);
  appUrl.username = 'mosaic_app';
  appUrl.password = '';
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('appDatabaseUrl', appUrl.toString());
  project.provide('redisUrl', REDIS_URL);

  return async () => {
    await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await server.end();
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
