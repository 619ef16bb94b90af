import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createSiteNotifier } from '../../src/app/site-notifier.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { execute } from '../../src/operations/execute.ts';
import { createPage, publishPage, readPage, saveDraft, schedulePublish } from '../../src/operations/pages/index.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { roleActors, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

const draft = (headline: string) => ({ title: headline, sections: [{ type: 'hero', props: { title: headline } }] });

// Against a real server: what visitors get is the published version, whatever the draft says,
// until someone publishes — or the scheduler does.
describe('drafts on a running site', () => {
  const dbs = openTestDatabases(2);
  let server: RunningServer;
  let tenant: { id: string; slug: string };
  let editor: UserActor;
  let notifier: ReturnType<typeof createSiteNotifier>;
  const as = (clock?: () => Date) => testContext(dbs.app, { actor: editor, notify: notifier.notify, clock });
  const call = <I>(input: I) => ({ tenant: { id: tenant.id }, input });
  const served = async (path: string) => {
    const res = await request(server.port, path, { host: `${tenant.slug}.localhost` });
    return { status: res.status, title: /<title>([^<]*)<\/title>/.exec(res.body)?.[1] ?? '', body: res.body };
  };

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    editor = (await roleActors(dbs.admin, tenant.id)).editor;
    // Redis carries each change from this test process to the server, as from any other instance.
    const env = { DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `d${randomBytes(3).toString('hex')}:` };
    notifier = createSiteNotifier(loadConfig(env), createLogger('silent', 'test'), dbs.app);
    server = await startServer({ ...env, JOB_POLL_MS: '100' });
  });
  afterAll(async () => {
    await server?.stop();
    await notifier?.close();
    await dbs.close();
  });

  test('an unpublished page is not found; a published one is served while a different draft is saved', async () => {
    const page = await execute(as(), createPage, call({ path: '/news', title: 'Never shown' }));
    await execute(as(), saveDraft, call({ pageId: page.id, expectedRevision: 1, draft: draft('Published words') }));
    expect((await served('/news')).status).toBe(404);
    await execute(as(), publishPage, call({ pageId: page.id }));
    await execute(as(), saveDraft, call({ pageId: page.id, expectedRevision: 2, draft: draft('Secret draft words') }));
    const seen = await served('/news');
    expect(seen).toMatchObject({ status: 200 });
    expect(seen.body).toContain('Published words');
    expect(seen.body).not.toContain('Secret draft words');
  });

  test('the server’s own job runner publishes a scheduled draft, and visitors see it', async () => {
    const { id } = await execute(as(), readPage, call({ path: '/news' }));
    // The editor's clock runs a minute behind: "now" is a minute ahead for them, and due for the server.
    await execute(as(() => new Date(Date.now() - 60_000)), schedulePublish, call({ pageId: id, at: new Date().toISOString() }));
    const seen = await eventually(() => served('/news'), (s) => s.body.includes('Secret draft words'), 8000, 100);
    expect(seen.body).toContain('Secret draft words');
  });
});
