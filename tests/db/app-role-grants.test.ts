import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { APP_ROLE_GRANTS } from '../../src/db/app-role-grants.ts';
import { closeDatabasesAdvice, otherDatabasesOpenToAppRole } from '../../src/db/app-role-access.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/pglite-database.ts';
import { readRolePrivileges } from '../../src/db/role-privileges.ts';
import { openTestDatabases } from '../support/databases.ts';

const declared = APP_ROLE_GRANTS.map((g) => g.grant).sort();

describe('the app role holds exactly the privileges the code needs', () => {
  test('every declared grant names the code path that uses it, once', () => {
    expect(new Set(declared).size).toBe(declared.length);
    for (const grant of APP_ROLE_GRANTS) expect(grant.usedBy.length, grant.grant).toBeGreaterThan(10);
  });

  describe('on PostgreSQL', () => {
    const dbs = openTestDatabases(1);
    afterAll(() => dbs.close());

    test('its effective privileges, read from the catalog, are the declared list', async () => {
      expect(await readRolePrivileges(dbs.admin, 'mosaic_app')).toEqual(declared);
    });

    test('it cannot create temporary tables or objects in the schema', async () => {
      await expect(sql`CREATE TEMP TABLE scratch (a int)`.execute(dbs.app)).rejects.toThrow(/permission denied/);
      await expect(sql`CREATE TABLE public.scratch (a int)`.execute(dbs.app)).rejects.toThrow(/permission denied/);
    });

    test('what no code path does is refused: history, the trail, hard deletes, identity columns', async () => {
      for (const statement of [
        sql`UPDATE page_versions SET version = version + 1`,
        sql`DELETE FROM page_versions`,
        sql`UPDATE audit_log SET action = 'x'`,
        sql`DELETE FROM audit_log`,
        sql`DELETE FROM pages`,
        sql`UPDATE pages SET tenant_id = gen_random_uuid()`,
        sql`UPDATE tenants SET slug = 'x'`,
        sql`DELETE FROM tenants`,
        sql`DELETE FROM jobs`,
        sql`UPDATE jobs SET payload = '{}'`,
        sql`UPDATE idempotency_keys SET key = 'x'`,
        sql`UPDATE idempotency_keys SET fingerprint = 'x'`,
        sql`UPDATE form_submissions SET data = '{}'`,
      ]) {
        await expect(statement.execute(dbs.app)).rejects.toThrow(/permission denied/);
      }
    });
  });

  describe('on the embedded database', () => {
    let embedded: EmbeddedDatabase;
    beforeAll(async () => {
      embedded = await openEmbeddedDatabase('memory://');
      await migrateOrThrow(embedded.admin);
    }, 60_000);
    afterAll(() => embedded?.close());

    test('the same migrations leave the same privileges, and no temporary tables', async () => {
      expect(await readRolePrivileges(embedded.admin, 'mosaic_app')).toEqual(declared);
      const app = await embedded.dropToAppRole();
      await expect(sql`CREATE TEMP TABLE scratch (a int)`.execute(app)).rejects.toThrow(/permission denied/);
    });
  });
});

describe('databases the app role can reach', () => {
  const appUrl = new URL(inject('appDatabaseUrl'));
  const adminUrl = new URL(inject('adminDatabaseUrl'));
  const suffix = randomBytes(4).toString('hex');
  const other = `mosaic_other_${suffix}`;
  const outsider = `mosaic_outsider_${suffix}`;
  const dbs = openTestDatabases(1);
  const server = new pg.Client({ connectionString: adminUrl.toString() });

  const connect = async (user: string, database: string) => {
    const url = new URL(appUrl);
    url.username = user;
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    try {
      await client.connect();
      return 'connected';
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  beforeAll(async () => {
    await server.connect();
    await server.query(`CREATE DATABASE ${other}`);
    await server.query(`CREATE ROLE ${outsider} LOGIN`);
  });
  afterAll(async () => {
    await server.query(`DROP DATABASE IF EXISTS ${other} WITH (FORCE)`);
    await server.query(`DROP ROLE IF EXISTS ${outsider}`);
    await server.end();
    await dbs.close();
  });

  test('no other role may connect to Mosaic’s database; the app role may', async () => {
    const ownDatabase = adminUrl.pathname.slice(1);
    expect(await connect(outsider, ownDatabase)).toMatch(/permission denied for database/);
    expect(await connect('mosaic_app', ownDatabase)).toBe('connected');
  });

  test('a database left open to PUBLIC is listed with the SQL that closes it, which works', async () => {
    expect(await connect('mosaic_app', other)).toBe('connected');
    const open = await otherDatabasesOpenToAppRole(dbs.admin);
    expect(open).toContain(other);
    const advice = closeDatabasesAdvice([other]);
    const revoke = /REVOKE CONNECT ON DATABASE "[^"]+" FROM PUBLIC;/.exec(advice)?.[0];
    expect(revoke).toBe(`REVOKE CONNECT ON DATABASE "${other}" FROM PUBLIC;`);
    await server.query(revoke as string);
    expect(await connect('mosaic_app', other)).toMatch(/permission denied for database/);
    expect(await otherDatabasesOpenToAppRole(dbs.admin)).not.toContain(other);
  });
});
