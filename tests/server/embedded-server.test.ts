import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

// A newcomer with no database: no DATABASE_URL, no REDIS_URL.
describe('the embedded default', () => {
  let server: RunningServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mosaic-pglite-'));
    const env: Record<string, string> = { PGLITE_DIR: path.join(dir, 'db'), DATABASE_URL: '', REDIS_URL: '' };
    server = await startServer(env);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('migrates, seeds the demo tenants on first start, and serves distinct sites', async () => {
    const coders = await request(server.port, '/', { host: 'codersinflow.localhost' });
    const dark = await request(server.port, '/', { host: 'darkflows.localhost' });
    expect(coders.status).toBe(200);
    expect(dark.status).toBe(200);
    expect(coders.body).toContain('Coders in Flow');
    expect(dark.body).toContain('DarkFlows');
    expect((await request(server.port, '/', { host: 'oldshop.localhost' })).status).toBe(503);
    expect((await request(server.port, '/readyz')).status).toBe(200);
  });
});
