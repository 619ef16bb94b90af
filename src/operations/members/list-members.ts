import { z } from 'zod';
import type { TenantRole } from '../../db/schema.ts';
import { defineOperation } from '../operation.ts';

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: TenantRole;
  /** A disabled account keeps its membership but cannot sign in. */
  disabled: boolean;
  memberSince: string;
}

/** The site's members with their emails and roles, by email. */
export const listMembers = defineOperation({
  name: 'member.list',
  scope: 'tenant',
  action: 'member.read',
  mutates: false,
  input: z.strictObject({}),
  async run({ trx, tenant }): Promise<MemberView[]> {
    const rows = await trx
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.user_id', 'u.email', 'u.name', 'm.role', 'u.disabled_at', 'm.created_at'])
      .where('m.tenant_id', '=', tenant!.id)
      .orderBy('u.email')
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      email: r.email,
      name: r.name,
      role: r.role,
      disabled: r.disabled_at !== null,
      memberSince: new Date(r.created_at).toISOString(),
    }));
  },
});
