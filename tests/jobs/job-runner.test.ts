import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { catalog } from '../../registry/catalog.ts';
import { createAppContext } from '../../src/app/create-app-context.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { MosaicError } from '../../src/errors/catalog.ts';
import { defineJobKind, type JobKind } from '../../src/jobs/job-kind.ts';
import { JOB_KINDS } from '../../src/jobs/job-kinds.ts';
import { createJobRunner } from '../../src/jobs/job-runner.ts';
import { JobNotHeld, jobOperation } from '../../src/jobs/job-operation.ts';
import { claimJobs, enqueueJob, SCHEDULER } from '../../src/jobs/job-store.ts';
import { scheduledPublish } from '../../src/operations/pages/scheduled-publish.ts';
import { execute } from '../../src/operations/execute.ts';
import { cancelSchedule, createPage, listSchedules, publishPage, saveDraft, schedulePublish } from '../../src/operations/pages/index.ts';
import { queryPublishedPage } from '../../src/site/site-queries.ts';
import { createTestTenant } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { createFreshDatabase, type FreshDatabase } from '../support/fresh-database.ts';
import { auditOf, failure, roleActors, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

const quiet = { warn: () => {}, info: () => {} };

describe('the job runner, on PostgreSQL', () => {
  // An installation of its own: runners claim due jobs of every site, so on the suite's shared
  // database another test's servers could claim these jobs, and these runners theirs.
  let dbs: FreshDatabase;
  let tenant: { id: string; slug: string };
  let editor: UserActor;
  // The editor's clock runs a minute behind, so "a minute from now" for them is due for the database now.
  const behind = () => new Date(Date.now() - 60_000);
  const as = (actor = editor, clock?: () => Date) => testContext(dbs.app, { actor, clock });
  const call = <I>(input: I) => ({ tenant: { id: tenant.id }, input });

  async function scheduledPage(path: string, title: string, dueInMs = 0, clock = behind) {
    const page = await execute(as(), createPage, call({ path, title }));
    await execute(as(), saveDraft, call({ pageId: page.id, expectedRevision: page.draftRevision, draft: { title, sections: [{ type: 'hero', props: { title } }] } }));
    const at = new Date(Date.now() + dueInMs).toISOString();
    const job = await execute(as(editor, clock), schedulePublish, call({ pageId: page.id, at }));
    return { page, job };
  }
  const runner = (options: Partial<Parameters<typeof createJobRunner>[0]> = {}) =>
    createJobRunner({
      db: dbs.app,
      kinds: JOB_KINDS,
      context: { clock: () => new Date(), notify: async () => {}, registry: catalog, logger: quiet, platformDomain: 'localhost' },
      logger: quiet,
      ...options,
    });
  const jobRow = (id: string) => withTenant(dbs.admin, tenant.id, (trx) => trx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  const versionsOf = (pageId: string) =>
    withTenant(dbs.admin, tenant.id, (trx) => trx.selectFrom('page_versions').select('version').where('page_id', '=', pageId).execute());

  beforeAll(async () => {
    dbs = await createFreshDatabase();
    tenant = await createTestTenant(dbs.admin);
    editor = (await roleActors(dbs.admin, tenant.id)).editor;
  });
  afterAll(() => dbs?.drop());

  test('a time in the past is refused, and so is a draft that would not publish', async () => {
    const page = await execute(as(), createPage, call({ path: '/past', title: '' }));
    expect(await failure(execute(as(editor, () => new Date()), schedulePublish, call({ pageId: page.id, at: new Date(Date.now() - 1000).toISOString() })))).toBe('InvalidInput');
    // A page without a title would not publish, so scheduling it is refused now.
    expect(await failure(execute(as(editor, behind), schedulePublish, call({ pageId: page.id, at: new Date().toISOString() })))).toBe('InvalidComposition');
    expect((await execute(as(), listSchedules, call({ pageId: page.id }))).items).toEqual([]);
  });

  test('with two app contexts running, each scheduled publish runs exactly once', async () => {
    const scheduled: Awaited<ReturnType<typeof scheduledPage>>[] = [];
    for (let i = 0; i < 8; i++) scheduled.push(await scheduledPage(`/race-${i}`, `Race ${i}`, 600));
    const env = { DATABASE_URL: dbs.appUrl, JOB_POLL_MS: '25', OUTBOX_POLL_MS: '0', LOG_LEVEL: 'silent' };
    const apps = await Promise.all([createAppContext(loadConfig({ ...env, INSTANCE_ID: 'one' })), createAppContext(loadConfig({ ...env, INSTANCE_ID: 'two' }))]);
    try {
      const statuses = () => Promise.all(scheduled.map(({ job }) => jobRow(job.id).then((row) => row.status)));
      expect(await eventually(statuses, (all) => all.every((s) => s === 'done'), 10_000)).toEqual(scheduled.map(() => 'done'));
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
    for (const { page, job } of scheduled) {
      expect(await versionsOf(page.id)).toEqual([{ version: 1 }]);
      expect((await jobRow(job.id)).attempts).toBe(1);
      expect((await queryPublishedPage(dbs.app, tenant.id, page.path))?.title).toBe(page.path.replace('/race-', 'Race '));
    }
    const audit = (await auditOf(dbs.admin, tenant.id)).filter((r) => r.action === 'page.publish' && r.subject.startsWith('/race-'));
    expect(audit).toHaveLength(scheduled.length);
    // Done by the scheduler, on behalf of the editor who scheduled it.
    expect(audit[0]).toMatchObject({
      actor: 'system:scheduler',
      actor_kind: 'system',
      detail: { job: { scheduledBy: { label: editor.email, kind: 'user', id: editor.userId } } },
    });
  });

  test('a job that fell due while no runner ran is run after a restart, with the draft as it was when scheduled', async () => {
    const { page, job } = await scheduledPage('/while-down', 'As scheduled', 300, () => new Date());
    await execute(as(), saveDraft, call({ pageId: page.id, expectedRevision: page.draftRevision + 1, draft: { title: 'Edited later', sections: [] } }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await jobRow(job.id)).status).toBe('pending');
    const report = await runner().runDue();
    expect(report).toMatchObject({ done: 1, failed: 0 });
    expect((await queryPublishedPage(dbs.app, tenant.id, '/while-down'))?.title).toBe('As scheduled');
    expect(await runner().runDue()).toMatchObject({ done: 0 });
  });

  test('a job whose runner died is run by another once its lease runs out, and only then', async () => {
    const { page, job } = await scheduledPage('/orphan', 'Orphan');
    const claimed = await claimJobs(dbs.app, 'dead-runner', 10, 1000, JOB_KINDS.map((k) => k.kind));
    expect(claimed.map((c) => c.id)).toContain(job.id);
    expect(await runner().runDue()).toMatchObject({ done: 0 });
    expect(await versionsOf(page.id)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await runner().runDue()).toMatchObject({ done: 1 });
    expect(await jobRow(job.id)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await versionsOf(page.id)).toEqual([{ version: 1 }]);
    // Had the first runner only been slow, it could not publish a second time now.
    const late = execute(testContext(dbs.app, { actor: SCHEDULER }), jobOperation(scheduledPublish as unknown as JobKind), call({ jobId: job.id, worker: 'dead-runner' }));
    await expect(late).rejects.toBeInstanceOf(JobNotHeld);
    expect(await versionsOf(page.id)).toEqual([{ version: 1 }]);
  });

  test('cancelling before the time prevents the publish; a publish that ran cannot be cancelled', async () => {
    const { page, job } = await scheduledPage('/cancelled', 'Cancelled', 60_000, () => new Date());
    expect((await execute(as(), listSchedules, call({ pageId: page.id }))).items.map((j) => j.id)).toEqual([job.id]);
    expect(await failure(execute(as((await roleActors(dbs.admin, tenant.id)).viewer), cancelSchedule, call({ pageId: page.id, jobId: job.id })))).toBe('Forbidden');
    const cancelled = await execute(as(), cancelSchedule, call({ pageId: page.id, jobId: job.id }));
    expect(cancelled.status).toBe('cancelled');
    await sql`UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = ${job.id}`.execute(dbs.admin);
    await runner().runDue();
    expect(await versionsOf(page.id)).toEqual([]);
    expect((await execute(as(), listSchedules, call({ pageId: page.id }))).items).toEqual([]);

    const ran = await scheduledPage('/ran', 'Ran');
    await runner().runDue();
    expect(await failure(execute(as(), cancelSchedule, call({ pageId: ran.page.id, jobId: ran.job.id })))).toBe('Conflict');
    expect(await failure(execute(as(), cancelSchedule, call({ pageId: page.id, jobId: ran.job.id })))).toBe('NotFound');
  });

  test('a scheduled version publish points the page at that version', async () => {
    const { page } = await scheduledPage('/republish', 'First');
    await runner().runDue();
    await execute(as(), saveDraft, call({ pageId: page.id, expectedRevision: page.draftRevision + 1, draft: { title: 'Second', sections: [] } }));
    await execute(as(), publishPage, call({ pageId: page.id }));
    await execute(as(editor, behind), schedulePublish, call({ pageId: page.id, at: new Date().toISOString(), version: 1 }));
    await runner().runDue();
    expect((await queryPublishedPage(dbs.app, tenant.id, '/republish'))?.title).toBe('First');
    expect(await failure(execute(as(editor, behind), schedulePublish, call({ pageId: page.id, at: new Date().toISOString(), version: 7 })))).toBe('UnknownPageVersion');
  });

  describe('failures', () => {
    let attempts = 0;
    const flaky = defineJobKind({
      kind: 'test.flaky',
      action: 'tenant.update',
      payload: z.strictObject({ failures: z.number().int() }),
      maxAttempts: 3,
      async run(tx, payload) {
        attempts += 1;
        if (attempts <= payload.failures) throw new Error(`boom ${attempts}`);
        await tx.audit({ subject: 'flaky', detail: { attempts } });
      },
    });
    const refused = defineJobKind({
      kind: 'test.refused',
      action: 'tenant.update',
      payload: z.strictObject({}),
      maxAttempts: 5,
      run: async () => {
        throw new MosaicError('InvalidComposition', 'the draft no longer validates');
      },
    });
    const kinds = [flaky, refused] as unknown as JobKind[];
    const enqueue = (kind: string, payload: Record<string, unknown>) =>
      withTenant(dbs.app, tenant.id, (trx) => enqueueJob(trx, tenant.id, { kind, subject: `test:${kind}`, payload, runAt: new Date(Date.now() - 1000), createdBy: editor, maxAttempts: 3 }));

    test('a failing job is retried after a backoff, its error recorded, until it succeeds', async () => {
      attempts = 0;
      const job = await enqueue('test.flaky', { failures: 2 });
      const r = runner({ kinds, backoffMs: () => 300 });
      expect(await r.runDue()).toMatchObject({ retrying: 1 });
      expect(await jobRow(job.id)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'boom 1' });
      // Not before its backoff.
      expect(await r.runDue()).toMatchObject({ retrying: 0, done: 0 });
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await r.runDue()).toMatchObject({ retrying: 1 });
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await r.runDue()).toMatchObject({ done: 1 });
      expect(await jobRow(job.id)).toMatchObject({ status: 'done', attempts: 3, last_error: null });
      const audit = (await auditOf(dbs.admin, tenant.id)).filter((a) => a.action === 'test.flaky');
      expect(audit).toEqual([expect.objectContaining({ actor: 'system:scheduler', detail: expect.objectContaining({ attempts: 3 }) })]);
    });

    test('a job out of attempts fails for good, and the trail says so', async () => {
      attempts = 0;
      const job = await enqueue('test.flaky', { failures: 99 });
      const r = runner({ kinds, backoffMs: () => 0 });
      for (let i = 0; i < 3; i++) await r.runDue();
      expect(await jobRow(job.id)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3' });
      expect(await r.runDue()).toMatchObject({ done: 0, retrying: 0, failed: 0 });
      const audit = (await auditOf(dbs.admin, tenant.id)).filter((a) => a.action === 'job.failed' && a.subject === 'test:test.flaky');
      expect(audit.at(-1)).toMatchObject({ actor: 'system:scheduler', detail: { job: { id: job.id, kind: 'test.flaky' }, attempts: 3, error: 'boom 3' } });
    });

    test('a refusal (the caller’s mistake) fails at once instead of retrying', async () => {
      const job = await enqueue('test.refused', {});
      expect(await runner({ kinds }).runDue()).toMatchObject({ failed: 1 });
      expect(await jobRow(job.id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'the draft no longer validates' });
    });

    test('a kind this process does not know is left, untouched, for a process that knows it', async () => {
      const job = await enqueue('test.unknown', {});
      expect(await runner({ kinds, backoffMs: () => 60_000 }).runDue()).toMatchObject({ done: 0, retrying: 0, failed: 0, skipped: 0 });
      expect(await jobRow(job.id)).toMatchObject({ status: 'pending', attempts: 0, last_error: null, locked_by: null });
      const known = defineJobKind({ kind: 'test.unknown', action: 'tenant.update', payload: z.strictObject({}), maxAttempts: 3, run: async (tx) => void (await tx.audit({ subject: 'unknown' })) });
      expect(await runner({ kinds: [known] as unknown as JobKind[] }).runDue()).toMatchObject({ done: 1 });
      expect(await jobRow(job.id)).toMatchObject({ status: 'done', attempts: 1 });
    });
  });

  test('the claim function is the only way across tenants: the app role sees no job without a tenant', async () => {
    expect(await dbs.app.selectFrom('jobs').select('id').execute()).toEqual([]);
    const other = createPostgresDatabase(dbs.appUrl, 1);
    try {
      await expect(sql`SET ROLE mosaic_jobs`.execute(other)).rejects.toThrow(/permission denied/);
    } finally {
      await other.destroy();
    }
  });
});
