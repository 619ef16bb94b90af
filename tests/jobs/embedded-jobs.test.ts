import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/pglite-database.ts';
import type { Database } from '../../src/db/schema.ts';
import { JOB_KINDS } from '../../src/jobs/job-kinds.ts';
import { createJobRunner } from '../../src/jobs/job-runner.ts';
import { execute } from '../../src/operations/execute.ts';
import { createPage, saveDraft, schedulePublish } from '../../src/operations/pages/index.ts';
import { queryPublishedPage } from '../../src/site/site-queries.ts';
import { provisionTenant } from '../../src/tenants/provision-tenant.ts';
import { testContext } from '../support/publish.ts';

// The embedded default has one connection: claiming, running and marking done must all fit through it.
describe('scheduled publishing on the embedded database', () => {
  let embedded: EmbeddedDatabase;
  let app: Kysely<Database>;
  let tenantId: string;

  beforeAll(async () => {
    embedded = await openEmbeddedDatabase('memory://');
    await migrateOrThrow(embedded.admin);
    const definition = {
      slug: 'embedded-jobs',
      name: 'Jobs',
      status: 'active' as const,
      plan: 'free' as const,
      settings: {},
      domains: [],
      theme: { preset: 'ocean', overrides: {} },
    };
    ({ tenantId } = await provisionTenant(embedded.admin, definition, [], { actor: 'test', platformDomain: 'localhost' }));
    app = await embedded.dropToAppRole();
  }, 60_000);
  afterAll(() => embedded?.close());

  test('a due publish runs once as the app role, with two runners sharing the one connection', async () => {
    const context = testContext(app, { clock: () => new Date(Date.now() - 60_000) });
    const call = <I>(input: I) => ({ tenant: { id: tenantId }, input });
    const page = await execute(context, createPage, call({ path: '/later', title: 'Later' }));
    await execute(context, saveDraft, call({ pageId: page.id, expectedRevision: 1, draft: { title: 'Later', sections: [{ type: 'hero', props: { title: 'Later' } }] } }));
    await execute(context, schedulePublish, call({ pageId: page.id, at: new Date().toISOString() }));
    const runner = () =>
      createJobRunner({
        db: app,
        kinds: JOB_KINDS,
        context: { clock: () => new Date(), notify: async () => {}, registry: catalog, logger: { warn: () => {} }, platformDomain: 'localhost' },
        logger: { warn: () => {}, info: () => {} },
      });
    const reports = await Promise.all([runner().runDue(), runner().runDue()]);
    expect(reports.reduce((sum, r) => sum + r.done, 0)).toBe(1);
    expect((await queryPublishedPage(app, tenantId, '/later'))?.title).toBe('Later');
  });
});
