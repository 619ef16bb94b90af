import { sql } from 'kysely';
import { z } from 'zod';
import { emailSchema, tenantRoleSchema } from '../../auth/account-schemas.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { memberSeatCount, requireRoomFor } from '../plan-limits.ts';

/**
 * Platform staff put an existing account on a site directly, without an invitation (demo
 * accounts, agency onboarding). Members invite instead: adding by email would tell them which
 * addresses have accounts.
 */
export const addMember = defineOperation({
  name: 'member.add',
  scope: 'tenant',
  action: 'platform.user.manage',
  mutates: true,
  input: z.strictObject({ email: emailSchema, role: tenantRoleSchema }),
  async run(tx, input) {
    const tenantId = tx.tenant!.id;
    // The account is not a member yet, so only the sign-in lookup can see it from this tenant.
    const { rows } = await sql<{ user_id: string }>`SELECT user_id FROM mosaic_sign_in_lookup(${input.email})`.execute(tx.trx);
    const userId = rows[0]?.user_id;
    if (!userId) throw new MosaicError('NotFound', `No account has the email ${input.email}.`);
    const existing = await tx.trx
      .selectFrom('memberships')
      .select('role')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (existing) throw new MosaicError('AlreadyMember', `${input.email} is already a member of this site (${existing.role}).`);
    await requireRoomFor(tx, 'members', () => memberSeatCount(tx, input.email));
    await tx.trx.insertInto('memberships').values({ tenant_id: tenantId, user_id: userId, role: input.role }).execute();
    await tx.audit({ subject: input.email, after: { role: input.role }, detail: { userId } });
    return { userId, email: input.email, role: input.role };
  },
});
