import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { isConcurrencyConflict } from '../../src/db/database-errors.ts';
import { MAX_OPERATION_ATTEMPTS, retryingConflicts } from '../../src/operations/conflict-retry.ts';
import { execute } from '../../src/operations/execute.ts';
import { defineOperation } from '../../src/operations/operation.ts';
import { createTestTenant, lockHolder, openTestDatabases } from '../support/databases.ts';
import { publishAs, testContext } from '../support/publish.ts';

const conflict = (code: string) => Object.assign(new Error(`conflict ${code}`), { code });

describe('running an operation again after a concurrency conflict', () => {
  test('deadlocks and serialization failures are conflicts; other errors are not', () => {
    expect(isConcurrencyConflict(conflict('40P01'))).toBe(true);
    expect(isConcurrencyConflict(conflict('40001'))).toBe(true);
    expect(isConcurrencyConflict(conflict('23505'))).toBe(false);
    expect(isConcurrencyConflict(new Error('plain'))).toBe(false);
    expect(isConcurrencyConflict(null)).toBe(false);
  });

  test(`a conflict is retried up to ${MAX_OPERATION_ATTEMPTS} attempts in all; any other failure at once`, async () => {
    /** The attempts made at an operation that always fails with `code`, and what it finally threw. */
    const attemptsFailingWith = async (code: string) => {
      const seen: number[] = [];
      const thrown = await retryingConflicts(
        async (n) => {
          seen.push(n);
          throw conflict(code);
        },
        () => {},
      ).catch((error: unknown) => error);
      return { seen, thrown: (thrown as Error).message };
    };
    expect(await attemptsFailingWith('40P01')).toEqual({ seen: [1, 2, 3], thrown: 'conflict 40P01' });
    expect(await attemptsFailingWith('23505')).toEqual({ seen: [1], thrown: 'conflict 23505' });
  });

  describe('on PostgreSQL', () => {
    const dbs = openTestDatabases(4);
    let tenant: { id: string; slug: string };
    let first: string;
    let second: string;

    beforeAll(async () => {
      tenant = await createTestTenant(dbs.admin);
      first = (await publishAs(dbs.app, tenant.id, { path: '/first', title: 'First', sections: [] })).pageId;
      second = (await publishAs(dbs.app, tenant.id, { path: '/second', title: 'Second', sections: [] })).pageId;
    });
    afterAll(() => dbs.close());

    test('an operation chosen as a deadlock victim runs again and succeeds, its notices not doubled', async () => {
      const attempts: number[] = [];
      const warnings: unknown[] = [];
      const announced: number[] = [];
      // Locks the two pages in one order; the test's own transaction takes them in the other.
      const lockBoth = defineOperation({
        name: 'test.lock-both',
        scope: 'tenant',
        action: 'page.publish',
        mutates: true,
        input: z.strictObject({}),
        async run(tx) {
          attempts.push(attempts.length + 1);
          await tx.trx.selectFrom('pages').select('id').where('id', '=', first).forUpdate().execute();
          await tx.trx.selectFrom('pages').select('id').where('id', '=', second).forUpdate().execute();
          await tx.siteChanged('test lock both');
          await tx.audit({ subject: 'both' });
          return 'locked both';
        },
      });
      const context = { ...testContext(dbs.app, { notify: async (change) => void announced.push(change.siteVersion) }), logger: { warn: (entry: unknown) => void warnings.push(entry) } };

      let running: Promise<string> | undefined;
      await dbs.admin.transaction().execute(async (trx) => {
        await trx.selectFrom('pages').select('id').where('id', '=', second).forUpdate().execute();
        const holder = await lockHolder(trx, dbs.admin);
        running = execute(context, lockBoth, { tenant: { id: tenant.id } });
        // Once the operation holds the first page and waits for the second, close the circle: it
        // began waiting first, so its deadlock check fires first and it is the one aborted.
        await holder.blocking(1);
        await trx.selectFrom('pages').select('id').where('id', '=', first).forUpdate().execute();
      });

      await expect(running).resolves.toBe('locked both');
      expect(attempts).toEqual([1, 2]);
      expect(warnings).toEqual([expect.objectContaining({ operation: 'test.lock-both', attempt: 1, code: '40P01' })]);
      expect(announced).toHaveLength(1);
      const audits = await dbs.admin.selectFrom('audit_log').select('id').where('tenant_id', '=', tenant.id).where('action', '=', 'test.lock-both').execute();
      expect(audits).toHaveLength(1);
    });
  });
});
