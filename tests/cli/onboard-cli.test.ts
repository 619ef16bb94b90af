import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { createTestApiKey } from '../support/api-fixtures.ts';
import { startApiServer } from '../support/api-client.ts';
import { cliEnv, MOSAIC_BIN, run, type Run } from '../support/cli-process.ts';
import { createTestTenant, openTestDatabases, uniqueSlug } from '../support/databases.ts';
import type { RunningServer } from '../support/server-process.ts';

interface Report {
  dryRun: boolean;
  rows: { line: number; slug: string; outcome: string; errors: { path: string; message: string }[]; site: { tenantId: string | null; domains: { hostname: string; records: { type: string; name: string; value: string }[] }[] } | null }[];
  totals: Record<string, number>;
}

describe('mosaic onboard, run as real processes', { timeout: 400_000 }, () => {
  const dbs = openTestDatabases(2);
  let env: Record<string, string>;
  let cwd: string;
  const mosaic = (args: string[], extra: Record<string, string> = {}): Promise<Run> => run(process.execPath, [MOSAIC_BIN, ...args], { ...env, ...extra }, { cwd });
  const report = (result: Run) => JSON.parse(result.stdout) as Report;
  const outcomes = (r: Report) => Object.fromEntries(r.rows.map((row) => [row.line, row.outcome]));
  const slugsThere = async (slugs: string[]) => (await dbs.admin.selectFrom('tenants').select('slug').where('slug', 'in', slugs).execute()).map((t) => t.slug).sort();

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'mosaic-onboard-cli-'));
    env = cliEnv({ REDIS_URL: inject('redisUrl'), PLATFORM_DOMAIN: 'sites.test' });
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
    await dbs.close();
  });

  test('a CSV with good and bad rows: --dry-run lists every bad row by line; the run creates the good ones only; a second run creates nothing', async () => {
    const holder = await createTestTenant(dbs.admin);
    const taken = await createTestTenant(dbs.admin, { name: 'Already Here', domains: [] });
    const [good1, good2, badSlugTwice] = [uniqueSlug('dental'), uniqueSlug('bakery'), uniqueSlug('twice')];
    const bad = { blueprint: uniqueSlug('nobp'), freePlan: uniqueSlug('free'), platform: uniqueSlug('plat'), theme: uniqueSlug('theme'), held: uniqueSlug('held'), email: uniqueSlug('email') };
    const csv = [
      'slug,name,blueprint,plan,domains,owner_email,theme_preset,theme_primary', // line 1
      `${good1},Harbor Dental,local-business,pro,"www.${good1}.example; ${good1}.example",owner@${good1}.example,forest,#0b6e4f`, // 2
      `${good2},"The Bakery, Main St",,starter,,,,`, // 3
      `Not A Slug,Bad slug,local-business,pro,,,,`, // 4
      `${bad.blueprint},No blueprint,no-such-blueprint,pro,,,,`, // 5
      `${bad.freePlan},Free with a domain,,free,www.${bad.freePlan}.example,,,`, // 6
      `${good1},Twice,,pro,,,,`, // 7
      `${bad.platform},Platform name,,pro,x.sites.test,,,`, // 8
      `${taken.slug},Someone Else,,pro,,,,`, // 9
      `${bad.theme},Bad colour,,pro,,,,blue`, // 10
      `${bad.held},Held domain,,pro,${holder.slug}.test,owner@${bad.held}.example,,`, // 11
      `${badSlugTwice},Domain twice,,pro,www.${good1}.example,,,`, // 12
      `${bad.email},Bad owner,,pro,,not-an-email,,`, // 13
    ].join('\n');
    const file = path.join(cwd, 'clients.csv');
    await writeFile(file, `${csv}\n`);
    const newSlugs = [good1, good2, badSlugTwice, ...Object.values(bad)];

    const dry = await mosaic(['--json', 'onboard', '--dry-run', file]);
    expect(dry.code, dry.stderr).toBe(3);
    const checked = report(dry);
    expect(checked.dryRun).toBe(true);
    expect(outcomes(checked)).toEqual({ 2: 'valid', 3: 'valid', 4: 'invalid', 5: 'invalid', 6: 'invalid', 7: 'invalid', 8: 'invalid', 9: 'conflict', 10: 'invalid', 11: 'invalid', 12: 'invalid', 13: 'invalid' });
    const problems = Object.fromEntries(checked.rows.map((r) => [r.line, r.errors.map((e) => `${e.path}: ${e.message}`).join(' | ')]));
    expect(problems[4]).toMatch(/^slug: /);
    expect(problems[5]).toContain('no blueprint is called');
    expect(problems[6]).toContain('The Free plan does not include custom domains');
    expect(problems[7]).toContain(`"${good1}" is also on line 2`);
    expect(problems[8]).toContain('under the platform domain');
    expect(problems[9]).toMatch(/name: the existing site is called "Already Here"/);
    expect(problems[10]).toMatch(/^theme\.overrides\.colors\.primary: /);
    expect(problems[11]).toBe(`domains: hostname "${holder.slug}.test" belongs to tenant "${holder.slug}"`);
    expect(problems[12]).toContain('is also on line 2');
    expect(problems[13]).toMatch(/^ownerEmail: /);
    expect(checked.totals).toMatchObject({ rows: 12, valid: 2, invalid: 9, conflict: 1, created: 0 });
    expect(await slugsThere(newSlugs)).toEqual([]);

    const human = await mosaic(['onboard', '--dry-run', file]);
    expect(human.stdout).toMatch(/^line +slug +outcome +detail/);
    expect(human.stdout).toContain('Dry run, nothing changed: 12 rows: 2 valid, 9 invalid, 1 conflict.');

    const reportCsv = path.join(cwd, 'done.csv');
    const real = await mosaic(['--json', 'onboard', '--concurrency', '3', '--report', reportCsv, file]);
    expect(real.code, real.stderr).toBe(3);
    const done = report(real);
    expect(done.totals).toMatchObject({ created: 2, invalid: 9, conflict: 1 });
    expect(await slugsThere(newSlugs)).toEqual([good1, good2].sort());
    const dental = done.rows.find((r) => r.line === 2)!.site!;
    const id = dental.tenantId!;
    const domains = await withTenant(dbs.admin, id, (trx) => trx.selectFrom('domains').select(['hostname', 'verified', 'challenge_token']).where('tenant_id', '=', id).orderBy('hostname').execute());
    expect(domains.map((d) => [d.hostname, d.verified])).toEqual([[`${good1}.example`, false], [`www.${good1}.example`, false]]);
    const theme = await withTenant(dbs.admin, id, (trx) => trx.selectFrom('themes').select(['preset', 'overrides']).where('tenant_id', '=', id).executeTakeFirstOrThrow());
    expect(theme).toEqual({ preset: 'forest', overrides: { colors: { primary: '#0b6e4f' } } });
    const invited = await withTenant(dbs.admin, id, (trx) => trx.selectFrom('invitations').select(['email', 'role']).where('tenant_id', '=', id).execute());
    expect(invited).toEqual([{ email: `owner@${good1}.example`, role: 'owner' }]);
    // The report file: one line per DNS record, with the TXT challenge the owner must create.
    const lines = parse(await readFile(reportCsv, 'utf8'), { columns: true }) as Record<string, string>[];
    const txt = lines.filter((l) => l.slug === good1 && l.record_type === 'TXT');
    expect(txt.map((l) => [l.record_name, l.record_value]).sort()).toEqual(domains.map((d) => [`_mosaic-challenge.${d.hostname}`, d.challenge_token]).sort());
    expect(lines.find((l) => l.line === '9')).toMatchObject({ outcome: 'conflict' });

    const again = await mosaic(['--json', 'onboard', '--report', path.join(cwd, 'again.json'), file]);
    expect(again.code).toBe(3);
    const second = report(again);
    expect(outcomes(second)).toMatchObject({ 2: 'existed', 3: 'existed' });
    expect(second.totals).toMatchObject({ created: 0, existed: 2 });
    expect(JSON.parse(await readFile(path.join(cwd, 'again.json'), 'utf8'))).toMatchObject({ totals: { existed: 2 } });
    expect(await slugsThere(newSlugs)).toEqual([good1, good2].sort());
    const invitedAgain = await withTenant(dbs.admin, id, (trx) => trx.selectFrom('invitations').select('id').where('tenant_id', '=', id).execute());
    expect(invitedAgain).toHaveLength(1);
  });

  test('a file that is not an onboarding CSV is a usage error; a clean file exits 0', async () => {
    const wrong = path.join(cwd, 'wrong.csv');
    await writeFile(wrong, 'slug,name,colour\na,b,c\n');
    const refused = await mosaic(['onboard', wrong]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Unknown column: colour');
    expect((await mosaic(['onboard', path.join(cwd, 'missing.csv')])).code).toBe(2);
    const clean = path.join(cwd, 'clean.csv');
    const slug = uniqueSlug('clean');
    await writeFile(clean, `slug,name\n${slug},Clean\n`);
    const ok = await mosaic(['onboard', clean]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('1 row: 1 created.');
  });

  describe('with --api', () => {
    let server: RunningServer;
    let key: string;
    beforeAll(async () => {
      server = await startApiServer({ ADMIN_HOST: 'localhost', PLATFORM_DOMAIN: 'sites.test', API_RATE_LIMIT_PER_MINUTE: '100000' });
      key = (await createTestApiKey(dbs.admin, { platform: true })).key;
    }, 180_000);
    afterAll(() => server?.stop());

    test('the same validation and answers over the admin API', async () => {
      const slug = uniqueSlug('remote');
      const file = path.join(cwd, 'remote.csv');
      await writeFile(file, `slug,name,blueprint,plan,domains,owner_email\n${slug},Remote,local-business,pro,www.${slug}.example,owner@${slug}.example\nbad-${slug},Bad,no-such-blueprint,pro,,\n`);
      const remote = (args: string[]) => mosaic(['--json', '--api', `http://localhost:${server.port}`, 'onboard', ...args, file], { MOSAIC_API_KEY: key });
      const dry = report(await remote(['--dry-run']));
      expect(outcomes(dry)).toEqual({ 2: 'valid', 3: 'invalid' });
      const first = report(await remote([]));
      expect(outcomes(first)).toEqual({ 2: 'created', 3: 'invalid' });
      expect(first.rows[0]!.site!.domains[0]!.records.map((r) => r.name)).toContain(`_mosaic-challenge.www.${slug}.example`);
      expect(outcomes(report(await remote([])))).toEqual({ 2: 'existed', 3: 'invalid' });
      expect(await slugsThere([slug, `bad-${slug}`])).toEqual([slug]);
    });
  });
});
