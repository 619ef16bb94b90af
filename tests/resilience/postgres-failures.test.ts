import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';
import { ADMIN_HOST } from '../support/api-client.ts';
import { publishAs } from '../support/publish.ts';
import { createTestTenant } from '../support/databases.ts';
import { eventually } from '../support/eventually.ts';
import { runLoad, timed } from '../support/load.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';
import { readCounter, request, startServer, type RunningServer } from '../support/server-process.ts';

// Postgres stopped and started, connections terminated under load, and a table lock held, on a
// cluster of the test's own. No Redis: memory is the only cache, so "known" means "this process
// has seen it".

const page = (path: string, headline: string) => ({ path, title: headline, sections: [{ type: 'hero', props: { title: headline } }] });
const cold = () => `/cold-${randomBytes(4).toString('hex')}`;

describe('Postgres failures', () => {
  let db: PrivatePostgres;
  let tenant: { id: string; slug: string };
  let server: RunningServer;
  const servers: RunningServer[] = [];
  const host = () => `${tenant.slug}.localhost`;
  const baseEnv = () => ({
    DATABASE_URL: db.appUrl,
    METRICS_PORT: '0',
    LOG_LEVEL: 'error',
    // Everything goes stale within a second, so an outage is met by stale entries, not fresh ones.
    CACHE_TTL_SECONDS: '1',
    TENANT_TTL_SECONDS: '1',
    NEGATIVE_TTL_SECONDS: '1',
    PAGE_TTL_SECONDS: '1',
    DB_CONNECT_TIMEOUT_MS: '500',
    DB_STATEMENT_TIMEOUT_MS: '1000',
    DB_LOCK_TIMEOUT_MS: '300',
    RETRY_AFTER_SECONDS: '3',
  });

  beforeAll(async () => {
    db = await startPrivatePostgres();
    tenant = await createTestTenant(db.admin);
    const app = createPostgresDatabase(db.appUrl, 1);
    for (const p of [page('/', 'Home'), page('/about', 'About'), page('/404', 'Lost')]) {
      await publishAs(app, tenant.id, p);
    }
    await app.destroy();
    // The server starts after these changes: left in the outbox, their notices would reach it while
    // the first requests load, and a load under way when its tenant changes is not cached.
    await db.admin.deleteFrom('change_outbox').execute();
    server = await startServer({ ...baseEnv(), RENDER_CONCURRENCY: '4', RENDER_QUEUE: '4', RENDER_DEADLINE_MS: '1500' });
    servers.push(server);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.destroy();
  });

  test('stopped: known pages are served last-good, unknown ones get a fast 503 with Retry-After; it recovers by itself', async () => {
    // Known: two pages, a path that does not exist, and a host that does not exist.
    const known = [
      { host: host(), path: '/', status: 200 },
      { host: host(), path: '/about', status: 200 },
      { host: host(), path: '/nope', status: 404 },
      { host: 'nobody.example', path: '/', status: 404 },
    ];
    for (const k of known) expect((await request(server.port, k.path, { host: k.host })).status).toBe(k.status);
    await new Promise((r) => setTimeout(r, 1200)); // every entry is stale now

    await db.stop();
    try {
      const result = await runLoad({ port: server.port, concurrency: 4, durationMs: 1500, next: (i) => known[i % known.length]! });
      expect(result.failed, JSON.stringify(result)).toBe(0);
      expect(result.maxLatencyMs, JSON.stringify(result.slowest)).toBeLessThan(1000);

      for (const target of [{ host: host(), path: cold() }, { host: 'stranger.example', path: '/' }]) {
        const unknown = await timed(server.port, target.path, target.host);
        expect(unknown.status).toBe(503);
        expect(unknown.headers['retry-after']).toBe('3');
        expect(unknown.body).toContain('Temporarily unavailable');
        expect(unknown.body).not.toMatch(/Error|at .*\.ts/);
        expect(unknown.ms).toBeLessThan(1000);
      }
      // The admin API too: a problem document saying when to come back, not a 500.
      const api = await request(server.port, '/api/v1/tenants', { host: ADMIN_HOST, headers: { authorization: `Bearer mk_${'a'.repeat(12)}_${'b'.repeat(43)}` } });
      expect(api.status, api.body).toBe(503);
      expect(api.headers['retry-after']).toBe('3');
      expect(JSON.parse(api.body)).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
      const ready = await request(server.port, '/readyz');
      expect([ready.status, ready.body]).toEqual([503, 'not ready: database unavailable']);
      expect(await readCounter(server, 'mosaic_requests_refused_total', 'reason="database"')).toBeGreaterThanOrEqual(2);
    } finally {
      await db.start();
    }
    const path = cold();
    const recovered = await eventually(() => request(server.port, path, { host: host() }), (r) => r.status === 404, 10_000);
    expect(recovered.status).toBe(404);
    expect((await request(server.port, '/readyz')).body).toBe('ready');
    expect(server.child.exitCode).toBeNull();
  });

  test('connections terminated under load and while idle: the process stays up, the pool replaces them', async () => {
    const admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    const terminateAll = () => admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'mosaic_app'`);
    try {
      const lostBefore = await readCounter(server, 'mosaic_database_connections_lost_total');
      const load = runLoad({
        port: server.port,
        concurrency: 6,
        durationMs: 2500,
        ok: [200, 404, 503],
        next: (i) => (i % 2 ? { host: host(), path: cold() } : { host: host(), path: '/about' }),
      });
      for (const at of [500, 1200, 1900]) {
        await new Promise((r) => setTimeout(r, at === 500 ? 500 : 700));
        await terminateAll();
      }
      const result = await load;
      expect(result.failed, JSON.stringify(result)).toBe(0); // only 200, 404 and a few 503s: never a 500
      expect(result.statuses[503] ?? 0).toBeLessThanOrEqual(18); // at most the requests caught in the act
      expect(result.maxLatencyMs, JSON.stringify(result.slowest)).toBeLessThan(2000);
      expect(server.child.exitCode).toBeNull();

      await terminateAll(); // idle this time
      await new Promise((r) => setTimeout(r, 200));
      expect(server.child.exitCode).toBeNull();
      expect((await request(server.port, cold(), { host: host() })).status).toBe(404);
      expect(await readCounter(server, 'mosaic_database_connections_lost_total')).toBeGreaterThan(lostBefore);
    } finally {
      await admin.end();
    }
  });

  test('a table lock held: cold pages answer 503 within the timeouts, the excess is shed at once, host lookups and /readyz still answer', async () => {
    const locker = new pg.Client({ connectionString: db.adminUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE pages IN ACCESS EXCLUSIVE MODE');
    try {
      const pages = Promise.all(Array.from({ length: 20 }, () => timed(server.port, cold(), host())));
      await new Promise((r) => setTimeout(r, 50));
      const [readyz, unknownHost] = await Promise.all([timed(server.port, '/readyz', '127.0.0.1'), timed(server.port, '/', 'fresh-stranger.example')]);
      expect([readyz.status, readyz.body]).toEqual([200, 'ready']);
      expect(readyz.ms).toBeLessThan(500);
      expect(unknownHost.status).toBe(404);
      expect(unknownHost.ms).toBeLessThan(500);

      const answers = await pages;
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(503));
      for (const answer of answers) expect(answer.headers['retry-after']).toBe('3');
      expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(2000);
      // Four render, four wait, the rest are refused without waiting.
      const shed = answers.filter((a) => a.body.includes('<title>Busy</title>'));
      expect(shed.length).toBeGreaterThanOrEqual(10);
      for (const answer of shed) expect(answer.ms).toBeLessThan(500);
      expect(await readCounter(server, 'mosaic_requests_refused_total', 'reason="overloaded"')).toBeGreaterThanOrEqual(10);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await request(server.port, cold(), { host: host() })).status).toBe(404);
  });

  test('a render past its deadline answers 503 and is not cached', async () => {
    const slow = await startServer({ ...baseEnv(), DB_LOCK_TIMEOUT_MS: '5000', RENDER_DEADLINE_MS: '400' });
    servers.push(slow);
    const locker = new pg.Client({ connectionString: db.adminUrl });
    await locker.connect();
    const path = cold();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE pages IN ACCESS EXCLUSIVE MODE');
    let late;
    try {
      late = await timed(slow.port, path, host());
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect(late.status).toBe(503);
    expect(late.ms).toBeGreaterThanOrEqual(350);
    expect(late.ms).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 300)); // the abandoned render finishes now
    const after = await request(slow.port, path, { host: host() });
    expect(after.status).toBe(404);
    expect(after.headers['x-mosaic-cache']).toBe('miss');
  });
});
