import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { createAppContext } from '../../src/app/create-app-context.ts';
import { loadConfig } from '../../src/config/config.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';

describe('after a Redis reconnect', () => {
  const instanceId = `reconnect-${randomBytes(3).toString('hex')}`;
  const admin = new Redis(inject('redisUrl'));
  afterAll(() => admin.quit());

  test('an instance forgets what only its memory held and reads through Redis again', async () => {
    const app = await createAppContext(
      loadConfig({ DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `${instanceId}:`, INSTANCE_ID: instanceId, LOG_LEVEL: 'silent' }),
    );
    try {
      const tenantId = (await findTenantId(app.db, 'darkflows'))!;
      await app.repo.tenant(tenantId);
      const reads = async () => (await app.metrics.redisReads.get()).values[0]?.value ?? 0;
      const warm = await reads();
      await app.repo.tenant(tenantId);
      expect(await reads()).toBe(warm); // a memory hit

      const clients = (await admin.client('LIST')) as string;
      const ids = clients.split('\n').filter((line) => line.includes(`name=mosaic-${instanceId}`)).map((line) => /id=(\d+)/.exec(line)?.[1]);
      expect(ids.length).toBeGreaterThan(0);
      const reconnected = new Promise((resolve) => setTimeout(resolve, 1500));
      for (const id of ids) await admin.client('KILL', 'ID', id!);
      await reconnected;

      await app.repo.tenant(tenantId);
      expect(await reads()).toBeGreaterThan(warm);
    } finally {
      await app.close();
    }
  });
});
