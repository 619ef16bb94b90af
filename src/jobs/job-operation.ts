import { z } from 'zod';
import { MosaicError } from '../errors/catalog.ts';
import { defineOperation, type OperationSpec, type OperationTx } from '../operations/operation.ts';
import { formatIssuePath } from '../validation/issue-path.ts';
import type { JobInfo, JobKind } from './job-kind.ts';
import { finishJob, lockJob } from './job-store.ts';

/** The job is no longer this runner's: cancelled, or taken over by another runner after its lease ran out. */
export class JobNotHeld extends Error {
  override name = 'JobNotHeld';
}

const input = z.strictObject({ jobId: z.uuid(), worker: z.string().min(1).max(200) });
const operations = new WeakMap<JobKind, OperationSpec<typeof input, unknown>>();

/**
 * A job kind as an operation of its own name: it locks the job, checks this runner still holds
 * it, runs the handler, and marks the job done — all in one transaction, so the effect and "done"
 * commit together or not at all. The audit record of the effect names the job and who asked for it.
 */
export function jobOperation(kind: JobKind): OperationSpec<typeof input, unknown> {
  const known = operations.get(kind);
  if (known) return known;
  const op = defineOperation({
    name: kind.kind,
    scope: 'tenant',
    action: kind.action,
    mutates: true,
    input,
    async run(tx, { jobId, worker }) {
      const tenantId = tx.tenant!.id;
      const job = await lockJob(tx.trx, tenantId, jobId);
      if (!job || job.status !== 'running' || job.lockedBy !== worker) throw new JobNotHeld(`job ${jobId} is ${job?.status ?? 'gone'}`);
      const payload = kind.payload.safeParse(job.payload);
      if (!payload.success) {
        const details = payload.error.issues.map((i) => ({ path: `payload.${formatIssuePath(i.path)}`, message: i.message }));
        throw new MosaicError('InvalidInput', `The ${kind.kind} job's payload is not valid.`, details);
      }
      const info: JobInfo = { id: job.id, kind: job.kind, subject: job.subject, attempts: job.attempts, runAt: job.runAt, createdBy: job.createdBy };
      const audited: OperationTx = {
        ...tx,
        audit: (entry) => tx.audit({ ...entry, detail: { ...entry.detail, job: { id: job.id, runAt: job.runAt, scheduledBy: job.createdBy } } }),
      };
      const result = await kind.run(audited, payload.data, info);
      await finishJob(tx.trx, tenantId, jobId);
      return result;
    },
  });
  operations.set(kind, op);
  return op;
}
