import { sql } from 'kysely';
import { z } from 'zod';
import { tenantRoleSchema } from '../../auth/account-schemas.ts';
import { defineOperation } from '../operation.ts';
import { keepAnOwner, lockMembership, requireRoleWithinReach } from './member-rules.ts';

/**
 * Gives a member another role. The actor must be able to manage both the old and the new role
 * (admins cannot touch owners); the last owner cannot be demoted.
 */
export const changeMemberRole = defineOperation({
  name: 'member.update',
  scope: 'tenant',
  action: 'member.update',
  mutates: true,
  input: z.strictObject({ userId: z.uuid(), role: tenantRoleSchema }),
  async run(tx, input) {
    const tenantId = tx.tenant!.id;
    const member = await lockMembership(tx.trx, tenantId, input.userId);
    requireRoleWithinReach(tx, member.role);
    requireRoleWithinReach(tx, input.role);
    if (member.role === input.role) {
      tx.noChange();
      return { userId: member.user_id, email: member.email, role: member.role, changed: false };
    }
    if (member.role === 'owner') await keepAnOwner(tx.trx, tenantId, member.user_id);
    await tx.trx
      .updateTable('memberships')
      .set({ role: input.role, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', member.user_id)
      .execute();
    await tx.audit({ subject: member.email, before: { role: member.role }, after: { role: input.role }, detail: { userId: member.user_id } });
    return { userId: member.user_id, email: member.email, role: input.role, changed: true };
  },
});
