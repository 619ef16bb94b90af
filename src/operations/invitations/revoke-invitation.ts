import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { requireRoleWithinReach } from '../members/member-rules.ts';
import { defineOperation } from '../operation.ts';

/** Withdraws an open invitation; its link stops working. An owner invitation only by owners. */
export const revokeInvitation = defineOperation({
  name: 'invitation.revoke',
  scope: 'tenant',
  action: 'member.invite',
  mutates: true,
  input: z.strictObject({ invitationId: z.uuid() }),
  async run(tx, input) {
    const tenantId = tx.tenant!.id;
    const row = await tx.trx
      .selectFrom('invitations')
      .select(['id', 'email', 'role'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', input.invitationId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new MosaicError('NotFound', 'No open invitation has that id.');
    requireRoleWithinReach(tx, row.role);
    await tx.trx.updateTable('invitations').set({ revoked_at: tx.now }).where('tenant_id', '=', tenantId).where('id', '=', row.id).execute();
    await tx.audit({ subject: row.email, before: { role: row.role }, detail: { invitation: row.id } });
    return { id: row.id, revoked: true };
  },
});
