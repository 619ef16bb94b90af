import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { withScope } from '../../src/db/scope.ts';
import { createTestApiKey } from '../support/api-fixtures.ts';
import { cliEnv, MOSAIC_BIN, ROOT, run, type Run } from '../support/cli-process.ts';
import { createTestTenant, openTestDatabases, uniqueSlug } from '../support/databases.ts';
import { startApiServer } from '../support/api-client.ts';
import type { RunningServer } from '../support/server-process.ts';

/** The command, run from `cwd` so nothing depends on the checkout's working directory. */
const runIn = (args: string[], env: Record<string, string>, cwd: string, file = MOSAIC_BIN): Promise<Run> => run(process.execPath, [file, ...args], env, { cwd });

describe('mosaic tenant and plan commands, run as real processes', { timeout: 400_000 }, () => {
  const dbs = openTestDatabases(2);
  let env: Record<string, string>;
  let cwd: string;
  const mosaic = (args: string[], extra: Record<string, string> = {}) => runIn(args, { ...env, ...extra }, cwd);
  const json = (result: Run) => JSON.parse(result.stdout) as Record<string, any>;
  const errorOf = (result: Run) => (JSON.parse(result.stderr) as { error: { code: string; message: string } }).error;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'mosaic-tenant-cli-'));
    env = cliEnv({ REDIS_URL: inject('redisUrl') });
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
    await dbs.close();
  });

  test('plan list and show: JSON for scripts, text for people; an unknown plan exits 3', async () => {
    const list = await mosaic(['--json', 'plan', 'list']);
    expect(list.code).toBe(0);
    expect((json(list) as unknown as { name: string }[]).map((p) => p.name)).toEqual(['free', 'starter', 'pro', 'enterprise']);
    const show = await mosaic(['plan', 'show', 'free']);
    expect(show.stdout).toMatch(/^Free \(free\): /);
    expect(show.stdout).toMatch(/\n {2}pages: 5\n/);
    const unknown = await mosaic(['--json', 'plan', 'show', 'gold']);
    expect(unknown.code).toBe(3);
    expect(errorOf(unknown).code).toBe('NotFound');
  });

  test('create, show, suspend, resume, cancel, delete, restore — each audited, each answer parsed', async () => {
    const slug = uniqueSlug('cli');
    const created = await mosaic(['--json', 'tenant', 'create', slug, '--name', 'Made on the command line', '--plan', 'free']);
    expect(created.stderr).toBe('');
    expect(json(created)).toMatchObject({ slug, created: true });
    const shown = json(await mosaic(['--json', 'tenant', 'show', slug]));
    expect(shown.tenant).toMatchObject({ slug, name: 'Made on the command line', plan: 'free', status: 'trial' });
    expect(shown.lifecycle.phase).toBe('trial');

    const steps: [string, string][] = [
      ['suspend', 'suspended'],
      ['resume', 'active'],
      ['cancel', 'cancelled'],
      ['delete', 'deleted'],
      ['restore', 'cancelled'],
    ];
    for (const [command, phase] of steps) {
      const result = await mosaic(['--json', 'tenant', command, slug]);
      expect(result.code, command).toBe(0);
      expect(json(result), command).toMatchObject({ slug, phase, changed: true });
    }
    const human = await mosaic(['tenant', 'restore', slug]);
    expect(human.stdout.trim()).toBe(`Nothing to do: ${slug} is cancelled already.`);
    const refused = await mosaic(['--json', 'tenant', 'suspend', slug]);
    expect(refused.code).toBe(3);
    expect(errorOf(refused)).toMatchObject({ code: 'Conflict', message: 'A cancelled site cannot be suspended.' });

    const { id } = await dbs.admin.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    const trail = await withScope(dbs.admin, { tenantId: id }, (trx) =>
      trx.selectFrom('audit_log').select(['action', 'actor']).where('tenant_id', '=', id).where('action', 'like', 'platform.tenant.%').orderBy('created_at').execute(),
    );
    expect(trail.map((r) => r.action)).toEqual([
      'platform.tenant.create',
      'platform.tenant.suspend',
      'platform.tenant.resume',
      'platform.tenant.cancel',
      'platform.tenant.delete',
      'platform.tenant.restore',
    ]);
    expect(new Set(trail.map((r) => r.actor))).toEqual(new Set(['cli:tester']));
  });

  test('create from a blueprint, clone it, list the blueprints', async () => {
    const blueprints = json(await mosaic(['--json', 'blueprint', 'list'])) as unknown as { name: string; kind: string }[];
    expect(blueprints).toEqual(expect.arrayContaining([{ name: 'local-business', kind: 'blueprint' }, { name: 'clientsite', kind: 'demo' }]));
    const slug = uniqueSlug('bp');
    const created = await mosaic(['tenant', 'create', slug, '--name', 'From a blueprint', '--blueprint', 'local-business']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`^Created ${slug} \\(id .+\\) with 2 published pages: /contact, /\\.`));
    const to = uniqueSlug('copy');
    const cloned = await mosaic(['--json', 'tenant', 'clone', slug, to, '--name', 'The copy']);
    expect(cloned.code).toBe(0);
    expect(json(cloned)).toMatchObject({ slug: to, from: slug, created: true, pages: expect.arrayContaining(['/', '/contact']) });
    const tooBig = await mosaic(['--json', 'tenant', 'create', uniqueSlug('big'), '--name', 'Too big', '--blueprint', 'clientsite', '--plan', 'free']);
    expect(tooBig.code).toBe(3);
    expect(errorOf(tooBig).code).toBe('PlanLimitReached');
  });

  test('a deleted site is purged by the job runner after the retention period, every row with it', async () => {
    const slug = uniqueSlug('purge');
    expect((await mosaic(['tenant', 'create', slug, '--name', 'Short-lived', '--status', 'active'])).code).toBe(0);
    expect((await mosaic(['tenant', 'delete', slug])).code).toBe(0);
    const { id } = await dbs.admin.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    // Move the deletion back past a one-day retention, as the calendar would.
    await withScope(dbs.admin, { platform: true }, (trx) => trx.updateTable('tenants').set({ deleted_at: new Date(Date.now() - 2 * 86_400_000) }).where('id', '=', id).execute());
    const jobs = await runIn([], { ...env, DELETED_RETENTION_DAYS: '1' }, ROOT, path.join(ROOT, 'scripts/run-jobs.ts'));
    expect(jobs.code).toBe(0);
    expect(jobs.stdout).toMatch(/deleted sites purged/);
    expect(await dbs.admin.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    const themes = await dbs.admin.selectFrom('themes').select('tenant_id').where('tenant_id', '=', id).execute();
    expect(themes).toEqual([]);
    const shown = await mosaic(['--json', 'tenant', 'show', slug]);
    expect(shown.code).toBe(3);
  });

  test('a plan limit reached: exit 3 with the error naming the feature and the plan that has it', async () => {
    const free = await createTestTenant(dbs.admin, { plan: 'free' });
    const result = await mosaic(['--json', 'key', 'create', '--tenant', free.slug, '--role', 'editor', '--name', 'ci']);
    expect(result.code).toBe(3);
    expect(errorOf(result)).toMatchObject({ code: 'PlanFeatureMissing', message: 'The Free plan does not include API access; the Starter plan does.' });
  });

  test('--help for each command; wrong calls exit 2', async () => {
    const help = await mosaic(['tenant', '--help']);
    expect(help.code).toBe(0);
    for (const command of ['create', 'list', 'show', 'update', 'suspend', 'resume', 'cancel', 'delete', 'restore', 'trial']) expect(help.stdout).toContain(command);
    expect((await mosaic(['tenant', 'suspend', '--help'])).stdout).toMatch(/visitors get 503/);
    expect((await mosaic(['tenant', 'suspend'])).code).toBe(2);
    expect((await mosaic(['--json', 'tenant', 'suspend', 'Not A Slug'])).code).toBe(2);
    expect((await mosaic(['tenant', 'trial', 'x', '--until', 'someday'])).code).toBe(2);
  });

  describe('with --api, against a running server', () => {
    let server: RunningServer;
    let key: string;
    beforeAll(async () => {
      // `localhost` resolves everywhere; admin.localhost does not for every resolver.
      server = await startApiServer({ ADMIN_HOST: 'localhost', PLATFORM_DOMAIN: 'sites.test', API_RATE_LIMIT_PER_MINUTE: '100000' });
      key = (await createTestApiKey(dbs.admin, { platform: true })).key;
    }, 180_000);
    afterAll(() => server?.stop());
    const remote = (args: string[], withKey = true) => mosaic(['--json', '--api', `http://localhost:${server.port}`, ...args], withKey ? { MOSAIC_API_KEY: key } : {});

    test('the same commands and answers over the admin API', async () => {
      const site = await createTestTenant(dbs.admin, { domains: [] });
      const suspended = await remote(['tenant', 'suspend', site.slug]);
      expect(suspended.stderr).toBe('');
      expect(json(suspended)).toMatchObject({ slug: site.slug, phase: 'suspended', changed: true });
      expect(json(await remote(['tenant', 'show', site.slug])).lifecycle.phase).toBe('suspended');
      expect((json(await remote(['plan', 'list'])) as unknown as unknown[]).length).toBe(4);
      expect((json(await remote(['tenant', 'list'])) as unknown as { slug: string }[]).map((t) => t.slug)).toContain(site.slug);
      const { actor } = (await withScope(dbs.admin, { tenantId: site.id }, (trx) =>
        trx.selectFrom('audit_log').select('actor').where('tenant_id', '=', site.id).where('action', '=', 'platform.tenant.suspend').executeTakeFirstOrThrow(),
      ));
      expect(actor).toMatch(/^key:/);
    });

    test('create from a blueprint, clone and read blueprints over the admin API', async () => {
      expect(json(await remote(['blueprint', 'show', 'local-business']))).toMatchObject({ name: 'local-business', kind: 'blueprint', pages: ['/contact', '/'], posts: expect.any(Number) });
      expect(json(await remote(['blueprint', 'list'])) as unknown as unknown[]).toEqual(expect.arrayContaining([{ name: 'local-business', kind: 'blueprint' }]));
      const slug = uniqueSlug('rbp');
      const created = await remote(['tenant', 'create', slug, '--name', 'Remote blueprint', '--blueprint', 'local-business']);
      expect(created.stderr).toBe('');
      expect(json(created)).toMatchObject({ slug, created: true, pages: expect.arrayContaining(['/', '/contact']) });
      const to = uniqueSlug('rcopy');
      const cloned = await remote(['tenant', 'clone', slug, to, '--name', 'Remote copy']);
      expect(cloned.stderr).toBe('');
      expect(json(cloned)).toMatchObject({ slug: to, from: slug, created: true, pages: expect.arrayContaining(['/', '/contact']) });
      const missing = await remote(['tenant', 'clone', 'no-such-site', uniqueSlug('x'), '--name', 'Nothing']);
      expect(missing.code).toBe(3);
      expect(errorOf(missing).code).toBe('NotFound');
    });

    test('errors keep their names and exit codes; no key is a usage error', async () => {
      const site = await createTestTenant(dbs.admin, { domains: [] });
      await remote(['tenant', 'cancel', site.slug]);
      const refused = await remote(['tenant', 'suspend', site.slug]);
      expect(refused.code).toBe(3);
      expect(errorOf(refused).code).toBe('Conflict');
      const missing = await remote(['tenant', 'show', 'no-such-site']);
      expect(missing.code).toBe(3);
      expect(errorOf(missing).code).toBe('NotFound');
      const keyless = await remote(['tenant', 'list'], false);
      expect(keyless.code).toBe(2);
      expect(keyless.stderr).toMatch(/MOSAIC_API_KEY/);
    });
  });
});
