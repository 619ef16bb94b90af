import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { INVITATION_COLUMNS, invitationView, type InvitationView } from './invitation-view.ts';

/** Invitations neither accepted nor revoked, newest first; expired ones are flagged. */
export const listInvitations = defineOperation({
  name: 'invitation.list',
  scope: 'tenant',
  action: 'member.invite',
  mutates: false,
  input: z.strictObject({}),
  async run({ trx, tenant, now }): Promise<InvitationView[]> {
    const rows = await trx
      .selectFrom('invitations')
      .select(INVITATION_COLUMNS)
      .where('tenant_id', '=', tenant!.id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((row) => invitationView(row, now));
  },
});
