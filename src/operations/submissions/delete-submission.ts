import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';

/** Deletes messages (one or many); the audit record names them, not what they said. */
export const deleteSubmissions = defineOperation({
  name: 'submission.delete',
  scope: 'tenant',
  action: 'submission.delete',
  mutates: true,
  input: z.strictObject({ submissionIds: z.array(z.uuid()).min(1).max(500) }),
  async run(tx, input): Promise<{ deleted: string[] }> {
    const rows = await tx.trx
      .deleteFrom('form_submissions')
      .where('tenant_id', '=', tx.tenant!.id)
      .where('id', 'in', [...new Set(input.submissionIds)])
      .returning('id')
      .execute();
    if (rows.length === 0) throw new MosaicError('NotFound', 'None of those messages exist.');
    const deleted = rows.map((r) => r.id);
    // What visitors wrote is personal data: the trail keeps that it was deleted, not its text.
    await tx.audit({ subject: deleted.length === 1 ? `submission:${deleted[0]}` : `${deleted.length} submissions`, detail: { deleted } });
    return { deleted };
  },
});
