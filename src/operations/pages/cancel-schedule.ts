import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { cancelJob, lockJob, type JobView } from '../../jobs/job-store.ts';
import { defineOperation } from '../operation.ts';
import { pageIdSchema } from './page-schemas.ts';
import { findPageRow, pageSubject } from './page-store.ts';

/**
 * Cancels a scheduled publish that has not run. A publish that is being committed right now is
 * waited for, and then it has run: `Conflict`.
 */
export const cancelSchedule = defineOperation({
  name: 'page.cancel-schedule',
  scope: 'tenant',
  action: 'page.publish',
  mutates: true,
  input: z.strictObject({ pageId: pageIdSchema, jobId: z.uuid() }),
  async run(tx, input): Promise<JobView> {
    const page = await findPageRow(tx, input.pageId, { deleted: true });
    const tenantId = tx.tenant!.id;
    const job = await lockJob(tx.trx, tenantId, input.jobId);
    if (!job || job.subject !== pageSubject(page.id)) throw new MosaicError('NotFound', `${page.path} has no schedule ${input.jobId}.`);
    if (!(await cancelJob(tx.trx, tenantId, job.id))) throw new MosaicError('Conflict', `That schedule is ${job.status}; only one that has not run can be cancelled.`);
    await tx.audit({ subject: page.path, before: { scheduledAt: job.runAt }, after: { scheduledAt: null }, detail: { pageId: page.id, jobId: job.id } });
    return { ...job, status: 'cancelled' };
  },
});
