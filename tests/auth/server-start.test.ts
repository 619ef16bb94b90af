import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../../src/auth/demo-accounts.ts';
import { logMessages, startServer, type RunningServer } from '../support/server-process.ts';
import { eventually } from '../support/eventually.ts';

const MAIN = fileURLToPath(new URL('../../src/server/main.ts', import.meta.url));

describe('starting a server', () => {
  test('with PostgreSQL in production and no SECRET_KEY it refuses, with the reason and no stack trace', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [MAIN],
        { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: inject('appDatabaseUrl'), PORT: '0' }, timeout: 30_000 },
        (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
      );
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SECRET_KEY is required with DATABASE_URL in production/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  describe('on a fresh embedded database', () => {
    let server: RunningServer;
    let dir: string;
    const logs: string[] = [];
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'mosaic-demo-'));
      server = await startServer({ PGLITE_DIR: path.join(dir, 'db'), DATABASE_URL: '', REDIS_URL: '', SECRET_KEY: '', LOG_LEVEL: 'info' }, { logs });
    }, 90_000);
    afterAll(async () => {
      await server?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    test('prints how to sign in with the demo accounts, once', async () => {
      const expected = `Sign in at http://admin.localhost:${server.port}/ as ${DEMO_ADMIN_EMAIL} / ${DEMO_PASSWORD}`;
      const hints = await eventually(
        async () => logMessages(logs).filter((m) => m.startsWith(expected)),
        (found) => found.length > 0,
        10_000,
      );
      expect(hints).toHaveLength(1);
    });

    test('keeps a generated secret key beside the database, readable by its owner only', async () => {
      expect((await stat(path.join(dir, 'secret-key'))).mode & 0o777).toBe(0o600);
    });
  });
});
