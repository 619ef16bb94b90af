import { sql } from 'kysely';
import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { cursorId, cursorTime, decodeCursor, exactTime, pageRequestShape, toPage, type Page } from '../pagination.ts';
import { submissionColumns, toSubmissionView, type SubmissionView } from './submission-store.ts';

/** Messages visitors sent through the site's forms, newest first. */
export const listSubmissions = defineOperation({
  name: 'submission.list',
  scope: 'tenant',
  action: 'submission.read',
  mutates: false,
  input: z.strictObject({ ...pageRequestShape, form: z.string().min(1).max(60).optional() }),
  async run(tx, input): Promise<Page<SubmissionView>> {
    let query = tx.trx
      .selectFrom('form_submissions')
      .select(submissionColumns)
      .select(exactTime('created_at').as('cursor_at'))
      .where('tenant_id', '=', tx.tenant!.id);
    if (input.form) query = query.where('form', '=', input.form);
    if (input.cursor) {
      const [at = '', id = ''] = decodeCursor(input.cursor, 2);
      query = query.where(sql<boolean>`(created_at, id) < (${cursorTime(at)}::timestamptz, ${cursorId(id)}::uuid)`);
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute();
    return toPage(rows, input.limit, (row) => [row.cursor_at, row.id], toSubmissionView);
  },
});
