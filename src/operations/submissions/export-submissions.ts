import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { submissionColumns, toSubmissionView } from './submission-store.ts';
import { submissionsCsv } from './submissions-csv.ts';

export const MAX_EXPORTED = 50_000;

/** Every message (or those of one form, or a time range) as a CSV file, newest first. */
export const exportSubmissions = defineOperation({
  name: 'submission.export',
  scope: 'tenant',
  action: 'submission.export',
  mutates: false,
  input: z.strictObject({
    form: z.string().min(1).max(60).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  }),
  async run(tx, input): Promise<{ filename: string; contentType: string; rows: number; csv: string }> {
    let query = tx.trx.selectFrom('form_submissions').select(submissionColumns).where('tenant_id', '=', tx.tenant!.id);
    if (input.form) query = query.where('form', '=', input.form);
    if (input.from) query = query.where('created_at', '>=', new Date(input.from));
    if (input.to) query = query.where('created_at', '<', new Date(input.to));
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(MAX_EXPORTED).execute();
    const day = tx.now.toISOString().slice(0, 10);
    return {
      filename: `${tx.tenant!.slug}-messages-${day}.csv`,
      contentType: 'text/csv; charset=utf-8; header=present',
      rows: rows.length,
      csv: submissionsCsv(rows.map(toSubmissionView)),
    };
  },
});
