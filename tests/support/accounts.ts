import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashPassword } from '../../src/auth/password-hash.ts';
import type { Database, TenantRole } from '../../src/db/schema.ts';
import { withScope } from '../../src/db/scope.ts';
import type { Actor } from '../../src/operations/actor.ts';

/**
 * Creates a user directly with the owner connection (in platform scope, as only a platform
 * operation may create platform admins), and the actor a verified sign-in would give.
 */
export async function createTestUser(
  admin: Kysely<Database>,
  options: { platformAdmin?: boolean; email?: string; password?: string } = {},
): Promise<Extract<Actor, { kind: 'user' }>> {
  const email = options.email ?? `u-${randomBytes(4).toString('hex')}@example.test`;
  const passwordHash = options.password ? await hashPassword(options.password) : null;
  const row = await withScope(admin, { platform: true }, (trx) =>
    trx
      .insertInto('users')
      .values({ email, name: email.split('@')[0], platform_role: options.platformAdmin ? 'admin' : null, password_hash: passwordHash })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return { kind: 'user', userId: row.id, email, platformAdmin: options.platformAdmin ?? false };
}

export async function addMembership(admin: Kysely<Database>, tenantId: string, userId: string, role: TenantRole): Promise<void> {
  await admin.insertInto('memberships').values({ tenant_id: tenantId, user_id: userId, role }).execute();
}

export const uniqueEmail = (prefix = 'u'): string => `${prefix}-${randomBytes(4).toString('hex')}@example.test`;
