import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { claimChanges, finishChanges, PUBLISHER_GRACE_MS, recordChange } from '../../src/publishing/change-outbox.ts';
import { publishAs } from '../support/publish.ts';
import { createTestTenant } from '../support/databases.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import { readCounter, request, startServer, type RunningServer } from '../support/server-process.ts';

// The outbox on a database of the test's own: no other test's server may claim these notices.

const PUBLISH_THEN_DIE = fileURLToPath(new URL('./fixtures/publish-then-die.ts', import.meta.url));
const run = promisify(execFile);
const home = (headline: string) => ({ path: '/', title: headline, sections: [{ type: 'hero', props: { title: headline } }] });
const title = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1];

describe('change outbox', () => {
  let db: PrivatePostgres;
  let app: ReturnType<typeof createPostgresDatabase>;
  let tenant: { id: string; slug: string };
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    db = await startPrivatePostgres();
    app = createPostgresDatabase(db.appUrl, 4);
    tenant = await createTestTenant(db.admin);
    await publishAs(app, tenant.id, home('First'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await app?.destroy();
    await db?.destroy();
  });

  const pending = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM change_outbox`.execute(db.admin)).rows[0]?.n);
  const clearOutbox = () => sql`DELETE FROM change_outbox`.execute(db.admin);

  describe('the table and its functions', () => {
    test('a notice is written in the change’s own transaction and rolls back with it', async () => {
      await clearOutbox();
      await expect(
        withTenant(app, tenant.id, async (trx) => {
          await recordChange(trx, { tenantId: tenant.id, siteVersion: 99, reason: 'doomed' });
          throw new Error('change refused');
        }),
      ).rejects.toThrow('change refused');
      expect(await pending()).toBe(0);
      await expect(
        publishAs(app, tenant.id, { path: '/', title: '', sections: [] }),
      ).rejects.toThrow();
      expect(await pending()).toBe(0);
      await publishAs(app, tenant.id, home('Recorded'));
      expect(await pending()).toBe(1);
    });

    test('row-level security: the app role reads no notice and cannot write one for another tenant', async () => {
      const { rows } = await sql<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>`
        SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'change_outbox'`.execute(db.admin);
      expect(rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
      await expect(sql`SELECT * FROM change_outbox`.execute(app)).rejects.toThrow(/permission denied/);
      const other = await createTestTenant(db.admin);
      await expect(withTenant(app, tenant.id, (trx) => recordChange(trx, { tenantId: other.id, siteVersion: 1, reason: 'sneaky' }))).rejects.toThrow(
        /row-level security/,
      );
    });

    test('claims are exclusive while they last, come back when a claimer dies, and finishing retires them', async () => {
      await clearOutbox();
      for (let i = 0; i < 12; i++) await withTenant(app, tenant.id, (trx) => recordChange(trx, { tenantId: tenant.id, siteVersion: i, reason: `n${i}` }));
      expect(await claimChanges(app, 100, 60_000)).toEqual([]); // the publisher's grace period
      await new Promise((r) => setTimeout(r, PUBLISHER_GRACE_MS + 100));

      const other = createPostgresDatabase(db.appUrl, 1);
      try {
        const [a, b] = await Promise.all([claimChanges(app, 7, 400), claimChanges(other, 7, 400)]);
        const ids = [...a, ...b].map((c) => c.noticeId);
        expect(ids).toHaveLength(12);
        expect(new Set(ids).size).toBe(12);
        expect(a[0]).toMatchObject({ tenantId: tenant.id, attempts: 1 });
        expect(await claimChanges(app, 100, 400)).toEqual([]);

        await finishChanges(app, a.map((c) => c.noticeId));
        await new Promise((r) => setTimeout(r, 500)); // b's claimer "died": its lease lapses
        const again = await claimChanges(other, 100, 400);
        expect(again.map((c) => c.noticeId).sort()).toEqual(b.map((c) => c.noticeId).sort());
        expect(again[0]?.attempts).toBe(2);
        await finishChanges(other, again.map((c) => c.noticeId));
        expect(await pending()).toBe(0);
      } finally {
        await other.destroy();
      }
    });
  });

  async function publishAndDie(headline: string): Promise<number> {
    const outcome = await run(process.execPath, [PUBLISH_THEN_DIE, db.appUrl, tenant.id, headline]).then(
      () => 'exited normally',
      (error: { signal?: string }) => error.signal,
    );
    expect(outcome).toBe('SIGKILL');
    return Date.now();
  }

  async function waitForHeadline(server: RunningServer, headline: string, since: number, withinMs: number): Promise<number> {
    for (;;) {
      const seen = title((await request(server.port, '/', { host: `${tenant.slug}.localhost` })).body);
      if (seen === headline) return Date.now() - since;
      if (Date.now() - since > withinMs) throw new Error(`still "${seen}" after ${withinMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  test('a publisher killed right after its commit still reaches every instance within 2 s (Redis)', async () => {
    await clearOutbox();
    const env = {
      DATABASE_URL: db.appUrl,
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `ob${randomBytes(3).toString('hex')}:`,
      // Long lives: only the delivered notice can explain a new page.
      CACHE_TTL_SECONDS: '600',
      TENANT_TTL_SECONDS: '600',
      METRICS_PORT: '0',
    };
    const pair = [await startServer(env), await startServer(env)];
    servers.push(...pair);
    for (const server of pair) await waitForHeadline(server, 'Recorded', Date.now(), 2000);

    const died = await publishAndDie('After the crash');
    for (const server of pair) expect(await waitForHeadline(server, 'After the crash', died, 2000)).toBeLessThan(2000);
    const delivered = await Promise.all(pair.map((s) => readCounter(s, 'mosaic_changes_delivered_total', 'by="dispatcher"')));
    expect(delivered.reduce((a, b) => a + b)).toBe(1); // one instance delivered it, for both
    await new Promise((r) => setTimeout(r, 200));
    expect(await pending()).toBe(0);
    expect(await readCounter(pair[0]!, 'mosaic_outbox_backlog')).toBe(0);
    await Promise.all(pair.map((s) => s.stop()));
  });

  test('without Redis, a server delivers it to itself within 2 s', async () => {
    const server = await startServer({ DATABASE_URL: db.appUrl, CACHE_TTL_SECONDS: '600', TENANT_TTL_SECONDS: '600' });
    servers.push(server);
    await waitForHeadline(server, 'After the crash', Date.now(), 2000);
    const died = await publishAndDie('Alone');
    expect(await waitForHeadline(server, 'Alone', died, 2000)).toBeLessThan(2000);
  });
});
