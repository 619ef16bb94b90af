import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { submissionColumns, toSubmissionView, type SubmissionView } from './submission-store.ts';

export const readSubmission = defineOperation({
  name: 'submission.read',
  scope: 'tenant',
  action: 'submission.read',
  mutates: false,
  input: z.strictObject({ submissionId: z.uuid() }),
  async run(tx, input): Promise<SubmissionView> {
    const row = await tx.trx
      .selectFrom('form_submissions')
      .select(submissionColumns)
      .where('tenant_id', '=', tx.tenant!.id)
      .where('id', '=', input.submissionId)
      .executeTakeFirst();
    if (!row) throw new MosaicError('NotFound', `There is no message ${input.submissionId}.`);
    return toSubmissionView(row);
  },
});
