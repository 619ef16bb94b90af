import type { Kysely } from 'kysely';
import { newApiKey } from '../../src/auth/api-key-secret.ts';
import { hashToken, newToken } from '../../src/auth/tokens.ts';
import type { Database, TenantRole } from '../../src/db/schema.ts';
import { withScope } from '../../src/db/scope.ts';
import { addMembership, createTestUser, uniqueEmail } from './accounts.ts';

/** A key stored directly (as `createApiKey` would), for a site role or platform-wide; returns the whole key. */
export async function createTestApiKey(
  admin: Kysely<Database>,
  grant: { tenantId: string; role: TenantRole } | { platform: true },
  options: { expiresAt?: Date | null; revoked?: boolean } = {},
): Promise<{ id: string; key: string }> {
  const fresh = newApiKey();
  const tenantId = 'tenantId' in grant ? grant.tenantId : null;
  const row = await withScope(admin, { tenantId, platform: tenantId === null }, (trx) =>
    trx
      .insertInto('api_keys')
      .values({
        tenant_id: tenantId,
        role: 'role' in grant ? grant.role : null,
        name: 'test key',
        prefix: fresh.prefix,
        secret_hash: fresh.secretHash,
        created_by: 'test',
        created_at: new Date(),
        expires_at: options.expiresAt ?? null,
        revoked_at: options.revoked ? new Date() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return { id: row.id, key: fresh.key };
}

/** An open invitation to `role`; returns its id and the link's token. */
export async function createTestInvitation(
  admin: Kysely<Database>,
  tenantId: string,
  options: { role?: TenantRole; email?: string } = {},
): Promise<{ id: string; token: string; email: string }> {
  const token = newToken();
  const email = options.email ?? uniqueEmail('invitee');
  const row = await withScope(admin, { tenantId }, (trx) =>
    trx
      .insertInto('invitations')
      .values({
        tenant_id: tenantId,
        email,
        role: options.role ?? 'viewer',
        token_hash: hashToken(token),
        invited_by: 'test',
        created_at: new Date(),
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return { id: row.id, token, email };
}

/** A new account that is a member of the site with `role`. */
export async function createTestMember(admin: Kysely<Database>, tenantId: string, role: TenantRole = 'viewer', options: { password?: string } = {}) {
  const user = await createTestUser(admin, options);
  await addMembership(admin, tenantId, user.userId, role);
  return user;
}

/** An open password-reset link of the account, valid for an hour; returns its token. */
export async function createTestPasswordReset(admin: Kysely<Database>, userId: string): Promise<string> {
  const token = newToken();
  await withScope(admin, { platform: true }, (trx) =>
    trx
      .insertInto('password_resets')
      .values({ user_id: userId, token_hash: hashToken(token), created_at: new Date(), expires_at: new Date(Date.now() + 3_600_000) })
      .execute(),
  );
  return token;
}
