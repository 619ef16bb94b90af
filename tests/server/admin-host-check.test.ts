import pino from 'pino';
import { describe, expect, inject, test } from 'vitest';
import { createAppContext } from '../../src/app/create-app-context.ts';
import { loadConfig } from '../../src/config/config.ts';
import { warnIfAdminHostClaimed } from '../../src/server/admin-host-check.ts';

describe('a tenant at the admin host', () => {
  const check = async (env: Record<string, string>) => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const app = await createAppContext(loadConfig({ DATABASE_URL: inject('appDatabaseUrl'), LOG_LEVEL: 'silent', JOB_POLL_MS: '0', ...env }), logger);
    try {
      return { claimed: await warnIfAdminHostClaimed(app), lines };
    } finally {
      await app.close();
    }
  };

  test('is reported at start-up, by platform address or by domain', async () => {
    for (const adminHost of ['darkflows.localhost', 'www.codersinflow.com']) {
      const { claimed, lines } = await check({ ADMIN_HOST: adminHost });
      expect(claimed, adminHost).toBe(true);
      expect(lines.join('')).toContain('ADMIN_HOST is also a tenant’s address');
    }
  });

  test('the default admin host claims no tenant', async () => {
    expect((await check({})).claimed).toBe(false);
  });
});
