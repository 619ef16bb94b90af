import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createTestApiKey } from '../support/api-fixtures.ts';
import { startApiServer } from '../support/api-client.ts';
import { cliEnv, MOSAIC_BIN, run, type Run } from '../support/cli-process.ts';
import { createTestTenant, openTestDatabases, uniqueSlug } from '../support/databases.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import type { RunningServer } from '../support/server-process.ts';

interface Domain {
  hostname: string;
  primary: boolean;
  verified: boolean;
  records: { type: string; name: string; value: string }[];
}

describe('mosaic domain, run as real processes against a real DNS server', { timeout: 400_000 }, () => {
  const dbs = openTestDatabases(2);
  const zone = `${uniqueSlug('zone')}.example`;
  let dns: TestDnsServer;
  let env: Record<string, string>;
  let cwd: string;
  const mosaic = (args: string[], extra: Record<string, string> = {}): Promise<Run> => run(process.execPath, [MOSAIC_BIN, ...args], { ...env, ...extra }, { cwd });
  const json = <T>(result: Run) => JSON.parse(result.stdout) as T;
  const errorOf = (result: Run) => (JSON.parse(result.stderr) as { error: { code: string; message: string } }).error;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'mosaic-domain-cli-'));
    dns = await startDnsServer([zone]);
    env = cliEnv({ REDIS_URL: inject('redisUrl'), PLATFORM_DOMAIN: 'sites.test', DNS_RESOLVERS: dns.address });
  });
  afterAll(async () => {
    await dns?.stop();
    await rm(cwd, { recursive: true, force: true });
    await dbs.close();
  });

  test('add prints the TXT and CNAME records; verify finds the TXT record; primary; list; remove', async () => {
    const site = await createTestTenant(dbs.admin, { plan: 'pro', domains: [] });
    const hostname = `www.${zone}`;
    const human = await mosaic(['domain', 'add', site.slug, hostname]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`Added ${hostname} to ${site.slug}, unverified.`);
    expect(human.stdout).toMatch(new RegExp(`TXT +_mosaic-challenge\\.${hostname.replace(/\./g, '\\.')} +\\S{20,}`));
    expect(human.stdout).toMatch(new RegExp(`CNAME +${hostname.replace(/\./g, '\\.')} +${site.slug}\\.sites\\.test`));

    const listed = json<Domain[]>(await mosaic(['--json', 'domain', 'list', site.slug]));
    expect(listed).toHaveLength(1);
    const txt = listed[0]!.records.find((r) => r.type === 'TXT')!;
    expect(txt.name).toBe(`_mosaic-challenge.${hostname}`);

    // Not there yet: not verified, and the job runner will try again.
    const early = await mosaic(['--json', 'domain', 'verify', site.slug, hostname]);
    expect(early.code).toBe(0);
    expect(json<Domain & { retryAt: string | null }>(early)).toMatchObject({ verified: false, retryAt: expect.any(String) });
    expect((await mosaic(['--json', 'domain', 'primary', site.slug, hostname])).code).toBe(3);

    await dns.setRecords({ [txt.name]: [txt.value] });
    const verified = await mosaic(['domain', 'verify', site.slug, hostname]);
    expect(verified.stdout.trim()).toBe(`${hostname} is verified: it routes to ${site.slug}, and gets its certificate on the first HTTPS request.`);
    expect(json<Domain>(await mosaic(['--json', 'domain', 'primary', site.slug, hostname]))).toMatchObject({ hostname, primary: true, verified: true });
    const table = await mosaic(['domain', 'list', site.slug]);
    expect(table.stdout).toMatch(new RegExp(`${hostname.replace(/\./g, '\\.')} +verified +yes +${txt.value}`));

    expect(json(await mosaic(['--json', 'domain', 'remove', site.slug, hostname]))).toEqual({ hostname, removed: true });
    expect(json<Domain[]>(await mosaic(['--json', 'domain', 'list', site.slug]))).toEqual([]);
  });

  test('refusals keep their names and exit codes', async () => {
    const free = await createTestTenant(dbs.admin, { plan: 'free', domains: [] });
    const noFeature = await mosaic(['--json', 'domain', 'add', free.slug, `a.${zone}`]);
    expect(noFeature.code).toBe(3);
    expect(errorOf(noFeature).code).toBe('PlanFeatureMissing');
    const pro = await createTestTenant(dbs.admin, { plan: 'pro', domains: [] });
    const platform = await mosaic(['--json', 'domain', 'add', pro.slug, 'x.sites.test']);
    expect(platform.code).toBe(3);
    expect(errorOf(platform).code).toBe('DomainUnavailable');
    expect((await mosaic(['--json', 'domain', 'remove', pro.slug, `none.${zone}`])).code).toBe(3);
    expect((await mosaic(['--json', 'domain', 'add', pro.slug, 'not a host'])).code).toBe(2);
    expect((await mosaic(['domain', 'add', pro.slug])).code).toBe(2);
  });

  describe('with --api', () => {
    let server: RunningServer;
    let key: string;
    beforeAll(async () => {
      server = await startApiServer({ ADMIN_HOST: 'localhost', PLATFORM_DOMAIN: 'sites.test', DNS_RESOLVERS: dns.address, API_RATE_LIMIT_PER_MINUTE: '100000' });
      key = (await createTestApiKey(dbs.admin, { platform: true })).key;
    }, 180_000);
    afterAll(() => server?.stop());
    const remote = (args: string[]) => mosaic(['--json', '--api', `http://localhost:${server.port}`, ...args], { MOSAIC_API_KEY: key });

    test('the same commands and answers over the admin API', async () => {
      const site = await createTestTenant(dbs.admin, { plan: 'pro', domains: [] });
      const hostname = `api.${zone}`;
      const added = json<Domain>(await remote(['domain', 'add', site.slug, hostname]));
      expect(added).toMatchObject({ hostname, verified: false });
      const txt = added.records.find((r) => r.type === 'TXT')!;
      await dns.setRecords({ [txt.name]: [txt.value] });
      expect(json<Domain>(await remote(['domain', 'verify', site.slug, hostname]))).toMatchObject({ verified: true });
      expect(json<Domain>(await remote(['domain', 'primary', site.slug, hostname]))).toMatchObject({ primary: true });
      expect(json<Domain[]>(await remote(['domain', 'list', site.slug])).map((d) => d.hostname)).toEqual([hostname]);
      expect(json(await remote(['domain', 'remove', site.slug, hostname]))).toEqual({ hostname, removed: true });
      const taken = await remote(['domain', 'remove', site.slug, hostname]);
      expect(taken.code).toBe(3);
    });
  });
});
