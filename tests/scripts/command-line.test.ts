import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { otherDatabasesOpenToAppRole } from '../../src/db/app-role-access.ts';
import { publishAs } from '../support/publish.ts';
import { createTestTenant, openTestDatabases, uniqueSlug } from '../support/databases.ts';

const SCRIPTS = fileURLToPath(new URL('../../scripts/', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a real script with Node 24, in an empty working directory, with only the given settings. */
function run(script: string, args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(SCRIPTS, script), ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', USER: 'test', NODE_ENV: 'test', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** Runs several at a time: each is a Node process on a machine others share. */
async function runAll(cases: [string, string[]][], env: Record<string, string>, cwd: string): Promise<Run[]> {
  const results: Run[] = [];
  for (let i = 0; i < cases.length; i += 3) {
    results.push(...(await Promise.all(cases.slice(i, i + 3).map(([script, args]) => run(script, args, env, cwd)))));
  }
  return results;
}

describe('scripts parse their arguments strictly', { timeout: 120_000 }, () => {
  const dbs = openTestDatabases(1);
  let cwd: string;
  let tenant: { id: string; slug: string };
  let env: Record<string, string>;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'mosaic-cli-'));
    tenant = await createTestTenant(dbs.admin);
    for (const title of ['One', 'Two']) {
      await publishAs(dbs.app, tenant.id, { path: '/p', title, sections: [] });
    }
    env = { DATABASE_URL: inject('appDatabaseUrl'), ADMIN_DATABASE_URL: inject('adminDatabaseUrl') };
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
    await dbs.close();
  });

  const state = () =>
    withTenant(dbs.admin, tenant.id, async (trx) => ({
      pointer: await trx.selectFrom('pages').select('published_version_id').where('tenant_id', '=', tenant.id).execute(),
      versions: (await trx.selectFrom('page_versions').select('id').where('tenant_id', '=', tenant.id).execute()).length,
      siteVersion: (await trx.selectFrom('tenants').select('site_version').where('id', '=', tenant.id).executeTakeFirstOrThrow()).site_version,
    }));

  test('a bad rollback version or extra argument is a usage error (exit 2) and changes nothing', async () => {
    const before = await state();
    const cases = [
      ['--rollback', tenant.slug, '/p', 'abc'],
      ['--rollback', tenant.slug, '/p', '1.5'],
      ['--rollback', tenant.slug, '/p', '-1'],
      ['--rollback', tenant.slug, '/p', '0'],
      ['--rollback', tenant.slug, '/p', '1e0'],
      ['--rollback', tenant.slug, '/p', '99999999999'],
      ['--rollback', tenant.slug, '/p', '1', 'extra'],
      ['--rollback', tenant.slug, 'p'],
      ['--rollback', 'Not_A_Slug', '/p'],
      [tenant.slug, 'page.json', '1'],
      ['--force', tenant.slug, 'page.json'],
      [],
    ];
    const results = await runAll(cases.map((args) => ['publish.ts', args]), env, cwd);
    results.forEach((result, i) => {
      expect(result.code, `publish ${cases[i]?.join(' ')}`).toBe(2);
      expect(result.stderr).toContain('Usage:');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
    expect(await state()).toEqual(before);
  });

  test('a good rollback still works', async () => {
    const result = await run('publish.ts', ['--rollback', tenant.slug, '/p', '1'], env, cwd);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Rolled back .*\/p → version 1/);
  });

  test('tenant, seed, migrate and run-jobs refuse unknown commands, flags and arguments', async () => {
    const cases: [string, string[]][] = [
      ['tenant.ts', ['bogus']],
      ['tenant.ts', ['list', 'extra']],
      ['tenant.ts', ['show']],
      ['tenant.ts', ['show', '../etc']],
      ['tenant.ts', ['--verbose', 'list']],
      ['seed.ts', ['--bogus']],
      ['seed.ts', ['extra']],
      ['seed.ts', ['--dir']],
      ['migrate.ts', ['--bogus']],
      ['run-jobs.ts', ['now']],
    ];
    const results = await runAll(cases, env, cwd);
    results.forEach((result, i) => {
      expect(result.code, `${cases[i]?.[0]} ${cases[i]?.[1].join(' ')}`).toBe(2);
      expect(result.stderr).toContain('Usage:');
    });
    const shown = await run('tenant.ts', ['show', tenant.slug], env, cwd);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ slug: tenant.slug });
    expect((await run('tenant.ts', ['--help'], env, cwd)).code).toBe(0);
  });

  test('an admin URL without an app URL is refused before anything is opened', async () => {
    const result = await run('seed.ts', [], { ADMIN_DATABASE_URL: inject('adminDatabaseUrl') }, cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ADMIN_DATABASE_URL is set but DATABASE_URL is not/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // The embedded database (.data/pglite under the working directory) was never created.
    expect(await readdir(cwd)).toEqual([]);
  });

  test('seed --dir reports every problem of a bad folder and writes nothing (exit 1)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mosaic-seed-cli-'));
    const slug = uniqueSlug('cli');
    await mkdir(path.join(dir, slug));
    await writeFile(path.join(dir, slug, 'tenant.json'), JSON.stringify({ slug, name: 'x\u0000', status: 'active', plan: 'free', theme: { preset: 'neon' } }));
    try {
      const result = await run('seed.ts', ['--dir', dir], env, cwd);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${slug}/tenant.json: name: contains a character that cannot be stored`);
      expect(result.stderr).toContain(`${slug}/tenant.json: theme.preset: unknown theme preset "neon"`);
      expect(result.stderr).toContain('nothing was written');
      expect(await dbs.admin.selectFrom('tenants').select('id').where('slug', '=', slug).execute()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('migrate on PostgreSQL names the other databases the app role can reach', async () => {
    const result = await run('migrate.ts', [], env, cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Schema is up to date.');
    const open = await otherDatabasesOpenToAppRole(dbs.admin);
    if (open.length > 0) expect(result.stderr).toContain(`Role mosaic_app can connect to ${open.length} other database`);
    else expect(result.stderr).toBe('');
  });
});
