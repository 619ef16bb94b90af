import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isMosaicError } from '../errors/catalog.ts';
import { execute } from '../operations/execute.ts';
import type { OperationContext } from '../operations/operation.ts';
import type { JobKind } from './job-kind.ts';
import { JobNotHeld, jobOperation } from './job-operation.ts';
import { claimJobs, recordJobFailure, SCHEDULER, type ClaimedJob } from './job-store.ts';

export interface JobRunnerOptions {
  /** The app role's connection. */
  db: Kysely<Database>;
  kinds: readonly JobKind[];
  /** What every job's operation is given besides the database, the actor and an address. */
  context: Omit<OperationContext, 'db' | 'actor' | 'clientAddress'>;
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Names this runner in each lease. */
  worker?: string;
  /** How long a claimed job is this runner's; a runner that dies leaves it to others after that. */
  leaseMs?: number;
  /** Jobs claimed at once. */
  batch?: number;
  /** Wait before retrying after the `attempts`-th failed run. */
  backoffMs?: (attempts: number) => number;
}

export interface JobRunReport {
  done: number;
  retrying: number;
  failed: number;
  /** Cancelled meanwhile, or taken over by another runner. */
  skipped: number;
}

export interface JobRunner {
  readonly worker: string;
  /** Runs every job that is due now, then returns (the command line, tests). */
  runDue(): Promise<JobRunReport>;
  /** Runs due jobs every `intervalMs` until the returned function is called (and has waited for the run under way). */
  start(intervalMs: number): () => Promise<void>;
}

/** 30 s after the first failure, doubling, at most an hour. */
export const defaultBackoff = (attempts: number): number => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/**
 * The durable job runner every server process runs. Jobs are claimed across tenants with a lease
 * (`FOR UPDATE SKIP LOCKED`, so several runners never share one) and each runs as the system actor
 * `scheduler`, its effect and its "done" mark committing together; a job whose runner dies is
 * claimed again once its lease runs out. Failures are retried with a backoff and recorded.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { db, logger } = options;
  const worker = options.worker ?? `runner-${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const batch = options.batch ?? 10;
  const backoff = options.backoffMs ?? defaultBackoff;
  const kinds = new Map(options.kinds.map((kind) => [kind.kind, kind]));
  const known = [...kinds.keys()];
  const context: OperationContext = { ...options.context, db, actor: SCHEDULER, clientAddress: null };

  async function runOne(job: ClaimedJob, report: JobRunReport): Promise<void> {
    const kind = kinds.get(job.kind);
    try {
      // Only known kinds are claimed; should one slip through, it is retried, not dropped.
      if (!kind) throw new Error(`No job kind "${job.kind}" in this process.`);
      await execute(context, jobOperation(kind), { tenant: { id: job.tenantId }, input: { jobId: job.id, worker } });
      report.done += 1;
    } catch (error) {
      if (error instanceof JobNotHeld) {
        report.skipped += 1;
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      // The caller's mistake (a deleted page, a draft that no longer validates) will not mend by waiting.
      const permanent = isMosaicError(error) && error.status !== null && error.status >= 400 && error.status < 500;
      const retryAt = permanent ? null : new Date(Date.now() + backoff(job.attempts));
      const outcome = await recordJobFailure(db, { tenantId: job.tenantId, jobId: job.id, worker, error: message, retryAt }).catch((failure: unknown) => {
        logger.warn({ job: job.id, err: failure instanceof Error ? failure.message : String(failure) }, 'could not record a failed job; its lease will run out');
        return null;
      });
      if (outcome?.status === 'failed') report.failed += 1;
      else report.retrying += 1;
      logger.warn({ job: job.id, kind: job.kind, tenant: job.tenantId, attempts: job.attempts, err: message, status: outcome?.status ?? 'unknown' }, 'job failed');
    }
  }

  async function runDue(): Promise<JobRunReport> {
    const report: JobRunReport = { done: 0, retrying: 0, failed: 0, skipped: 0 };
    // Bounded, so a flood of due jobs cannot keep one call going for ever.
    for (let round = 0; round < 100; round++) {
      const claimed = await claimJobs(db, worker, batch, leaseMs, known);
      for (const job of claimed) await runOne(job, report);
      if (claimed.length < batch) break;
    }
    return report;
  }

  return {
    worker,
    runDue,
    start(intervalMs) {
      let running: Promise<void> | null = null;
      let failing = false;
      const tick = async () => {
        try {
          await runDue();
          if (failing) logger.info({ worker }, 'job runner running again');
          failing = false;
        } catch (error) {
          if (!failing) logger.warn({ worker, err: error instanceof Error ? error.message : String(error) }, 'job runner cannot reach the database');
          failing = true;
        }
      };
      const timer = setInterval(() => {
        running ??= tick().finally(() => (running = null));
      }, intervalMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}
