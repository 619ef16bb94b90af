import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { keepAnOwner, lockMembership, requireRoleWithinReach } from './member-rules.ts';

/** Takes a member off the site; admins cannot remove owners, and nobody the last owner. */
export const removeMember = defineOperation({
  name: 'member.remove',
  scope: 'tenant',
  action: 'member.remove',
  mutates: true,
  input: z.strictObject({ userId: z.uuid() }),
  async run(tx, input) {
    const tenantId = tx.tenant!.id;
    const member = await lockMembership(tx.trx, tenantId, input.userId);
    requireRoleWithinReach(tx, member.role);
    if (member.role === 'owner') await keepAnOwner(tx.trx, tenantId, member.user_id);
    await tx.trx.deleteFrom('memberships').where('tenant_id', '=', tenantId).where('user_id', '=', member.user_id).execute();
    await tx.audit({ subject: member.email, before: { role: member.role }, detail: { userId: member.user_id } });
    return { userId: member.user_id, email: member.email, removed: true };
  },
});
