import { z } from 'zod';
import { jobsFor, type JobView } from '../../jobs/job-store.ts';
import { defineOperation } from '../operation.ts';
import { pageIdSchema } from './page-schemas.ts';
import { findPageRow, pageSubject } from './page-store.ts';

/** A page's scheduled publishes still to run, and those that failed; with `all`, the finished ones too. */
export const listSchedules = defineOperation({
  name: 'page.schedules',
  scope: 'tenant',
  action: 'page.read',
  mutates: false,
  input: z.strictObject({ pageId: pageIdSchema, all: z.stringbool().or(z.boolean()).optional() }),
  async run(tx, input): Promise<{ items: JobView[] }> {
    const page = await findPageRow(tx, input.pageId, { deleted: true });
    return { items: await jobsFor(tx.trx, tx.tenant!.id, pageSubject(page.id), { finished: input.all === true }) };
  },
});
