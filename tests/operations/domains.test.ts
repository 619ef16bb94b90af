import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { createDnsLookup } from '../../src/domains/dns-challenge.ts';
import { JOB_KINDS } from '../../src/jobs/job-kinds.ts';
import { createJobRunner } from '../../src/jobs/job-runner.ts';
import { createSmtpMailer } from '../../src/mail/mailer.ts';
import { execute } from '../../src/operations/execute.ts';
import { addDomain, listDomains, makePrimaryDomain, removeDomain, verifyDomain } from '../../src/operations/domains/index.ts';
import type { Actor } from '../../src/operations/actor.ts';
import type { SiteChange } from '../../src/publishing/site-version.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.ts';
import { freePort } from '../support/free-port.ts';
import { auditOf, failure, mosaicError, roleActors, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';
import { startSmtpCatcher } from '../support/smtp-catcher.ts';

const ZONE = 'example';
const fresh = (label: string) => `${label}-${randomBytes(3).toString('hex')}.${ZONE}`;

describe('custom domains as operations, as the app role, checked against a real DNS server', () => {
  const dbs = openTestDatabases(4);
  let dns: TestDnsServer;
  let records: Record<string, string[]> = {};
  let site: { id: string; slug: string };
  let other: { id: string; slug: string };
  let users: Record<'owner' | 'admin' | 'editor' | 'viewer' | 'outsider' | 'platform', UserActor>;
  const notices: SiteChange[] = [];
  const warnings: { obj: object; msg: string }[] = [];

  const context = (actor: Actor = users.owner) => ({
    ...testContext(dbs.app, { actor, notify: async (c: SiteChange) => void notices.push(c) }),
    dns: createDnsLookup([dns.address], { timeoutMs: 1000, tries: 1 }),
  });
  const on = (tenant: { id: string }, input: object) => ({ tenant: { id: tenant.id }, input });
  const publish = async (hostname: string, token: string) => {
    records = { ...records, [`_mosaic-challenge.${hostname}`]: [token] };
    await dns.setRecords(records);
  };
  const domainRow = (tenantId: string, hostname: string) =>
    withTenant(dbs.admin, tenantId, (trx) => trx.selectFrom('domains').selectAll().where('hostname', '=', hostname).executeTakeFirst());
  const jobsOf = (tenantId: string, hostname: string) =>
    withTenant(dbs.admin, tenantId, (trx) =>
      trx.selectFrom('jobs').select(['id', 'kind', 'status', 'run_at']).where('subject', '=', `domain:${hostname}`).orderBy('created_at').execute(),
    );
  const resolves = async (hostname: string) => {
    const { rows } = await sql<{ tenant_id: string }>`SELECT tenant_id FROM mosaic_resolve_host(${hostname}, NULL)`.execute(dbs.app);
    return rows[0]?.tenant_id ?? null;
  };

  beforeAll(async () => {
    dns = await startDnsServer([ZONE]);
    site = await createTestTenant(dbs.admin, { plan: 'pro' });
    other = await createTestTenant(dbs.admin, { plan: 'starter' });
    users = await roleActors(dbs.admin, site.id, other.id);
  });
  afterAll(async () => {
    await dns?.stop();
    await dbs.close();
  });

  test('an owner adds a hostname: unverified, with the TXT challenge and the CNAME target; it does not route', async () => {
    const hostname = fresh('www');
    const view = await execute(context(), addDomain, on(site, { hostname: `${hostname.toUpperCase()}.` }));
    expect(view).toMatchObject({ hostname, verified: false, primary: false, brokenSince: null });
    expect(view.records).toEqual([
      { type: 'TXT', name: `_mosaic-challenge.${hostname}`, value: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) },
      { type: 'CNAME', name: hostname, value: `${site.slug}.localhost` },
    ]);
    expect(await resolves(hostname)).toBeNull();
    expect((await execute(context(users.viewer), listDomains, on(site, {}))).map((d) => d.hostname)).toContain(hostname);
    const trail = await auditOf(dbs.admin, site.id);
    expect(trail.at(-1)).toMatchObject({ action: 'domain.add', subject: hostname, actor: users.owner.email });
  });

  test('who may: admins and owners manage, everyone on the site reads, an outsider sees nothing', async () => {
    expect(await failure(execute(context(users.editor), addDomain, on(site, { hostname: fresh('ed') })))).toBe('Forbidden');
    expect(await failure(execute(context(users.viewer), addDomain, on(site, { hostname: fresh('vw') })))).toBe('Forbidden');
    expect(await failure(execute(context(users.outsider), listDomains, on(site, {})))).toBe('NotFound');
    expect(await failure(execute(context(users.admin), addDomain, on(site, { hostname: fresh('adm') })))).toBe('resolved');
  });

  test('refused, with nothing written: the platform domain, another site’s name, a name held twice, a bad name, the plan', async () => {
    const before = (await auditOf(dbs.admin, site.id)).length;
    const platformName = await mosaicError(execute(context(), addDomain, on(site, { hostname: `shop.localhost` })));
    expect(platformName.code).toBe('DomainUnavailable');
    const taken = await mosaicError(execute(context(), addDomain, on(site, { hostname: `${other.slug}.test` })));
    expect(taken.code).toBe('DomainUnavailable');
    expect(taken.message).not.toContain(`"${other.slug}"`);
    expect(taken.details).toEqual([{ path: 'hostname', message: expect.stringContaining('another site') }]);
    expect(await failure(execute(context(), addDomain, on(site, { hostname: `${site.slug}.test` })))).toBe('Conflict');
    for (const hostname of ['localhost', '127.0.0.1', 'a b.example', 'x'.repeat(70) + '.example']) {
      expect(await failure(execute(context(), addDomain, on(site, { hostname })))).toBe('InvalidInput');
    }
    expect((await auditOf(dbs.admin, site.id)).length).toBe(before);

    // Starter allows two custom domains; the site already has its own `.test` name.
    const owner = (await roleActors(dbs.admin, other.id)).owner;
    expect(await failure(execute(context(owner), addDomain, on(other, { hostname: fresh('second') })))).toBe('resolved');
    const limit = await mosaicError(execute(context(owner), addDomain, on(other, { hostname: fresh('third') })));
    expect(limit.code).toBe('PlanLimitReached');
    expect(limit.extensions).toMatchObject({ limit: 'customDomains', allowed: 2, liftedBy: 'pro' });
    const free = await createTestTenant(dbs.admin, { plan: 'free', domains: [] });
    const missing = await mosaicError(execute(context(users.platform), addDomain, on(free, { hostname: fresh('free') })));
    expect(missing).toMatchObject({ code: 'PlanFeatureMissing', extensions: { feature: 'customDomains' } });
  });

  test('verify: without the record it keeps the reason and queues a retry; with it the domain routes and is re-checked', async () => {
    const hostname = fresh('shop');
    const added = await execute(context(), addDomain, on(site, { hostname }));
    const failed = await execute(context(), verifyDomain, on(site, { hostname }));
    expect(failed).toMatchObject({ verified: false, lastCheckError: `no TXT record at _mosaic-challenge.${hostname}`, retryAt: expect.any(String) });
    expect(await jobsOf(site.id, hostname)).toEqual([expect.objectContaining({ kind: 'domain.verify', status: 'pending' })]);

    await publish(hostname, 'not-the-token');
    const wrong = await execute(context(), verifyDomain, on(site, { hostname }));
    expect(wrong.lastCheckError).toContain('does not hold the expected token');
    // Still one retry waiting, not one per call.
    expect((await jobsOf(site.id, hostname)).filter((j) => j.status === 'pending')).toHaveLength(1);

    await publish(hostname, added.records[0]!.value);
    notices.length = 0;
    const verified = await execute(context(), verifyDomain, on(site, { hostname }));
    expect(verified).toMatchObject({ verified: true, lastCheckError: null, retryAt: null, verifiedAt: expect.any(String) });
    expect(await resolves(hostname)).toBe(site.id);
    expect(notices).toEqual([expect.objectContaining({ tenantId: site.id, hostnames: expect.arrayContaining([hostname, `${site.slug}.localhost`]) })]);
    expect(await jobsOf(site.id, hostname)).toContainEqual(expect.objectContaining({ kind: 'domain.recheck', status: 'pending' }));
    // Verifying again changes nothing and writes nothing.
    const trail = (await auditOf(dbs.admin, site.id)).length;
    expect(await execute(context(), verifyDomain, on(site, { hostname }))).toMatchObject({ verified: true });
    expect((await auditOf(dbs.admin, site.id)).length).toBe(trail);
  });

  test('make primary: only a verified domain; every host of the site is announced; the old primary steps down', async () => {
    const hostname = fresh('primary');
    const added = await execute(context(), addDomain, on(site, { hostname }));
    expect(await failure(execute(context(), makePrimaryDomain, on(site, { hostname })))).toBe('Conflict');
    await publish(hostname, added.records[0]!.value);
    await execute(context(), verifyDomain, on(site, { hostname }));
    notices.length = 0;
    expect(await execute(context(), makePrimaryDomain, on(site, { hostname }))).toMatchObject({ primary: true });
    expect((await domainRow(site.id, `${site.slug}.test`))?.is_primary).toBe(false);
    expect(notices).toEqual([expect.objectContaining({ hostnames: expect.arrayContaining([hostname, `${site.slug}.test`, `${site.slug}.localhost`]) })]);
    const { rows } = await sql<{ primary_hostname: string }>`SELECT primary_hostname FROM mosaic_resolve_host(${`${site.slug}.test`}, NULL)`.execute(dbs.app);
    expect(rows[0]?.primary_hostname).toBe(hostname);
    const primaries = (await execute(context(), listDomains, on(site, {}))).filter((d) => d.primary).map((d) => d.hostname);
    expect(primaries).toEqual([hostname]);
  });

  test('remove: stops routing, cancels its checks, announces it, and frees the name for another site', async () => {
    const hostname = fresh('gone');
    const added = await execute(context(), addDomain, on(site, { hostname }));
    await publish(hostname, added.records[0]!.value);
    await execute(context(), verifyDomain, on(site, { hostname }));
    notices.length = 0;
    expect(await execute(context(users.admin), removeDomain, on(site, { hostname }))).toEqual({ hostname, removed: true });
    expect(await resolves(hostname)).toBeNull();
    expect(await domainRow(site.id, hostname)).toBeUndefined();
    expect((await jobsOf(site.id, hostname)).map((j) => j.status)).not.toContain('pending');
    expect(notices).toEqual([expect.objectContaining({ hostnames: expect.arrayContaining([hostname]) })]);
    expect(await failure(execute(context(), removeDomain, on(site, { hostname })))).toBe('NotFound');
    const third = await createTestTenant(dbs.admin, { plan: 'pro', domains: [] });
    expect(await failure(execute(context(users.platform), addDomain, on(third, { hostname })))).toBe('resolved');
  });

  test('a re-check whose resolver does not answer marks nothing and tells no one: the runner retries it', async () => {
    const hostname = fresh('quiet');
    const added = await execute(context(), addDomain, on(site, { hostname }));
    await publish(hostname, added.records[0]!.value);
    await execute(context(), verifyDomain, on(site, { hostname }));
    await withTenant(dbs.admin, site.id, (trx) => trx.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('subject', '=', `domain:${hostname}`).execute());
    const runner = createJobRunner({
      db: dbs.app,
      kinds: JOB_KINDS,
      context: {
        clock: () => new Date(),
        notify: async () => {},
        registry: catalog,
        logger: { warn: (obj, msg) => void warnings.push({ obj, msg }) },
        platformDomain: 'localhost',
        dns: createDnsLookup([`127.0.0.1:${await freePort()}`], { timeoutMs: 300, tries: 1 }),
      },
      logger: { warn: () => {}, info: () => {} },
    });
    await runner.runDue();
    expect(await domainRow(site.id, hostname)).toMatchObject({ verified: true, broken_since: null });
    const job = await withTenant(dbs.admin, site.id, (trx) => trx.selectFrom('jobs').selectAll().where('subject', '=', `domain:${hostname}`).where('kind', '=', 'domain.recheck').executeTakeFirstOrThrow());
    expect(job).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('DNS lookup') });
    expect(warnings.map((w) => w.msg)).not.toContain('custom domain no longer verifies');
  });

  test('the job runner verifies once the record appears, and a daily re-check marks a broken domain and tells the owners', async () => {
    const smtp = await startSmtpCatcher();
    const mailer = createSmtpMailer(smtp.url, 'Mosaic <no-reply@localhost>');
    const runner = createJobRunner({
      db: dbs.app,
      kinds: JOB_KINDS,
      context: {
        clock: () => new Date(),
        notify: async (c) => void notices.push(c),
        registry: catalog,
        logger: { warn: (obj, msg) => void warnings.push({ obj, msg }) },
        platformDomain: 'localhost',
        dns: createDnsLookup([dns.address], { timeoutMs: 1000, tries: 1 }),
        mailer,
      },
      logger: { warn: () => {}, info: () => {} },
    });
    const due = (hostname: string) => withTenant(dbs.admin, site.id, (trx) =>
      trx.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('subject', '=', `domain:${hostname}`).where('status', '=', 'pending').execute(),
    );
    try {
      const hostname = fresh('later');
      const added = await execute(context(), addDomain, on(site, { hostname }));
      await execute(context(), verifyDomain, on(site, { hostname }));
      await due(hostname);
      // Still no record: the job fails and waits for its backoff.
      await runner.runDue();
      expect(await jobsOf(site.id, hostname)).toEqual([expect.objectContaining({ kind: 'domain.verify', status: 'pending' })]);
      expect((await domainRow(site.id, hostname))?.verified).toBe(false);

      await publish(hostname, added.records[0]!.value);
      await due(hostname);
      await runner.runDue();
      expect(await domainRow(site.id, hostname)).toMatchObject({ verified: true, broken_since: null });
      expect(await resolves(hostname)).toBe(site.id);

      // The record is removed: the re-check marks it broken (it still routes) and tells the owner.
      records = Object.fromEntries(Object.entries(records).filter(([name]) => !name.endsWith(hostname)));
      await dns.setRecords(records);
      await due(hostname);
      await runner.runDue();
      const broken = await domainRow(site.id, hostname);
      expect(broken).toMatchObject({ verified: true, last_check_error: `no TXT record at _mosaic-challenge.${hostname}` });
      expect(broken?.broken_since).toBeInstanceOf(Date);
      expect(await resolves(hostname)).toBe(site.id);
      expect(warnings).toContainEqual({ obj: expect.objectContaining({ hostname, owners: [users.owner.email] }), msg: 'custom domain no longer verifies' });
      expect(smtp.mails).toEqual([expect.objectContaining({ to: [users.owner.email], raw: expect.stringContaining(`${hostname} no longer verifies`) })]);
      expect(await jobsOf(site.id, hostname)).toContainEqual(expect.objectContaining({ kind: 'domain.recheck', status: 'pending' }));

      // Back again: the mark is cleared, and no second mail was sent meanwhile.
      await publish(hostname, added.records[0]!.value);
      await due(hostname);
      await runner.runDue();
      expect(await domainRow(site.id, hostname)).toMatchObject({ broken_since: null, last_check_error: null });
      expect(smtp.mails).toHaveLength(1);
      const actions = (await auditOf(dbs.admin, site.id)).filter((r) => r.subject === hostname).map((r) => r.action);
      expect(actions).toEqual(['domain.add', 'domain.verify', 'domain.verify', 'domain.recheck', 'domain.recheck']);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });
});
