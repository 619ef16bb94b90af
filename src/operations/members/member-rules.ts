import type { Transaction } from 'kysely';
import type { Database, TenantRole } from '../../db/schema.ts';
import { MosaicError } from '../../errors/catalog.ts';
import type { OperationTx } from '../operation.ts';
import { ROLE_RANK } from '../permissions.ts';

/**
 * Refuses granting, changing or taking away `role` unless the actor may: never above their own
 * role, and owner only with `member.manage-owners` (owners and platform admins).
 */
export function requireRoleWithinReach(tx: OperationTx, role: TenantRole): void {
  if (role === 'owner') tx.require('member.manage-owners');
  const own = tx.role;
  if (!own || ROLE_RANK[role] > ROLE_RANK[own])
    throw new MosaicError('Forbidden', `Your role (${own ?? 'none'}) cannot hand out or manage the role ${role}.`);
}

/**
 * Refuses when `userId` is the site's only owner. Locks the owner rows first, so two owners
 * demoting each other at once cannot leave the site with none: the second waits, then sees one.
 */
export async function keepAnOwner(trx: Transaction<Database>, tenantId: string, userId: string): Promise<void> {
  const owners = await trx
    .selectFrom('memberships')
    .select('user_id')
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'owner')
    .forUpdate()
    .execute();
  if (owners.length <= 1 && owners.every((o) => o.user_id === userId)) throw new MosaicError('LastOwner');
}

/** One member's row, locked for the change; NotFound when they are not a member here. */
export async function lockMembership(trx: Transaction<Database>, tenantId: string, userId: string) {
  const row = await trx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.role', 'u.email'])
    .where('m.tenant_id', '=', tenantId)
    .where('m.user_id', '=', userId)
    .forUpdate('m')
    .executeTakeFirst();
  if (!row) throw new MosaicError('NotFound', 'That person is not a member of this site.');
  return row;
}
