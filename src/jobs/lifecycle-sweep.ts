import { execute } from '../operations/execute.ts';
import type { OperationContext } from '../operations/operation.ts';
import { expireTrials, purgeDeletedTenants } from '../operations/tenants/tenant-lifecycle.ts';
import { SCHEDULER } from './job-store.ts';

export interface LifecycleSweepReport {
  /** Slugs of trials that ended and were suspended. */
  suspended: string[];
  /** Slugs of deleted sites purged after the retention period. */
  purged: string[];
}

/**
 * The time-driven half of the life cycle, run by every server's job runner and by `npm run jobs`:
 * ended trials are suspended, sites deleted longer ago than the retention period are purged.
 * Several instances may sweep at once: rows are claimed with SKIP LOCKED, so each is handled once.
 */
export async function runLifecycleSweep(
  context: Omit<OperationContext, 'actor' | 'clientAddress'>,
  options: { retentionDays: number },
): Promise<LifecycleSweepReport> {
  const as = { ...context, actor: SCHEDULER, clientAddress: null };
  const suspended = await execute(as, expireTrials, { input: {} });
  const purged = await execute(as, purgeDeletedTenants, { input: { retentionDays: options.retentionDays } });
  return { suspended, purged };
}

/** Sweeps every `intervalMs` until the returned function is called (and has waited for the sweep under way). */
export function startLifecycleSweep(
  context: Omit<OperationContext, 'actor' | 'clientAddress'>,
  options: { retentionDays: number; intervalMs: number },
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() =>
      runLifecycleSweep(context, options).catch((error: unknown) =>
        context.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'life-cycle sweep failed; it runs again next time'),
      ),
    );
  }, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
