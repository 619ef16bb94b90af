import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { publishAs } from '../support/publish.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

const PUBLISH_SCRIPT = fileURLToPath(new URL('../../scripts/publish.ts', import.meta.url));
const run = promisify(execFile);

const page = (headline: string) => ({
  path: '/',
  title: headline,
  meta: { description: 'Two instances' },
  sections: [{ type: 'hero', props: { title: headline } }],
});

describe('two server processes sharing Postgres and Redis', () => {
  const dbs = openTestDatabases(2);
  const servers: RunningServer[] = [];
  const tempDirs: string[] = [];
  const pageFile = async (name: string, content: unknown) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mosaic-publish-'));
    tempDirs.push(dir);
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(content));
    return file;
  };
  let tenant: { id: string; slug: string };
  let env: Record<string, string>;

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    await publishAs(dbs.app, tenant.id, page('First headline'));
    env = {
      DATABASE_URL: inject('appDatabaseUrl'),
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `t${randomBytes(3).toString('hex')}:`,
      // Long enough that only the invalidation message can explain a fresh page within a second.
      TENANT_TTL_SECONDS: '600',
    };
    servers.push(await startServer(env), await startServer(env));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await dbs.close();
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const headline = async (server: RunningServer) => {
    const res = await request(server.port, '/', { host: `${tenant.slug}.localhost` });
    return /<title>([^<]*)<\/title>/.exec(res.body)?.[1];
  };

  test('a publish from another process is served by every instance within one second', async () => {
    // Warm both instances so each holds the old page in memory.
    for (const server of servers) expect(await headline(server)).toBe('First headline');

    const file = await pageFile('home.json', page('Second headline'));
    await run(process.execPath, [PUBLISH_SCRIPT, tenant.slug, file], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' } });
    const published = Date.now();

    for (const server of servers) {
      let seen = await headline(server);
      while (seen !== 'Second headline' && Date.now() - published < 1000) {
        await new Promise((r) => setTimeout(r, 20));
        seen = await headline(server);
      }
      expect(seen).toBe('Second headline');
    }
    expect(Date.now() - published).toBeLessThan(1000);
  });

  test('the publish CLI rejects an invalid page, names every bad path and changes nothing', async () => {
    const file = await pageFile('bad.json', { path: '/', title: '', sections: [{ type: 'hero', props: {} }, { type: 'nope', props: {} }] });
    const failure = await run(process.execPath, [PUBLISH_SCRIPT, tenant.slug, file], { env: { ...process.env, ...env } }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/title/);
    expect(failure?.stderr).toMatch(/sections\[0\]\.props\.title/);
    expect(failure?.stderr).toMatch(/sections\[1\]/);
    for (const server of servers) expect(await headline(server)).toBe('Second headline');
  });
});
