import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { createAppContext } from '../../src/app/create-app-context.ts';
import { changeLogKey } from '../../src/app/site-notifier.ts';
import { loadConfig } from '../../src/config/config.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';

describe('after a Redis reconnect', () => {
  const instanceId = `reconnect-${randomBytes(3).toString('hex')}`;
  const prefix = `${instanceId}:`;
  const admin = new Redis(inject('redisUrl'));
  afterAll(async () => {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    await admin.quit();
  });

  test('an instance keeps what memory holds and catches up at once on the changes it missed', async () => {
    const app = await createAppContext(
      loadConfig({
        DATABASE_URL: inject('appDatabaseUrl'),
        REDIS_URL: inject('redisUrl'),
        REDIS_PREFIX: prefix,
        INSTANCE_ID: instanceId,
        LOG_LEVEL: 'silent',
        // Only the read made on reconnect can explain the change being seen in time.
        VERSION_CHECK_MS: '60000',
        OUTBOX_POLL_MS: '0',
        JOB_POLL_MS: '0',
      }),
    );
    try {
      const changed = (await findTenantId(app.db, 'darkflows'))!;
      const untouched = (await findTenantId(app.db, 'codersinflow'))!;
      const held = await app.repo.tenant(changed);
      await app.repo.tenant(untouched);
      const reads = async () => (await app.metrics.redisReads.get()).values[0]?.value ?? 0;

      // A change this instance has not read yet: in the log only (its pub/sub message was lost).
      const change = { tenantId: changed, siteVersion: held!.siteVersion + 1, reason: 'missed', origin: 'elsewhere' };
      await admin.xadd(changeLogKey(prefix), '*', 'change', JSON.stringify(change));

      const clients = (await admin.client('LIST')) as string;
      const ids = clients.split('\n').filter((line) => line.includes(`name=mosaic-${instanceId}`)).map((line) => /id=(\d+)/.exec(line)?.[1]);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) await admin.client('KILL', 'ID', id!);
      const deadline = Date.now() + 3000;
      while ((await app.readiness()).redis !== 'ok' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));

      const before = await reads();
      await app.repo.tenant(untouched);
      expect(await reads()).toBe(before); // still a memory hit: nothing was thrown away
      await app.repo.tenant(changed);
      // Dropped by the change it caught up on: read again (from Redis, or past it to the database
      // when the warmer found the record older than the change and dropped the shared copy too).
      expect(await reads()).toBeGreaterThan(before);
    } finally {
      await app.close();
    }
  });
});
