import type { Kysely } from 'kysely';
import type { Database, TenantRole } from '../../src/db/schema.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { isMosaicError, MosaicError } from '../../src/errors/catalog.ts';
import type { Actor } from '../../src/operations/actor.ts';
import { addMembership, createTestUser } from './accounts.ts';

export type UserActor = Extract<Actor, { kind: 'user' }>;

/** One user per tenant role on `tenantId`, an outsider (owner elsewhere, when given) and a platform admin. */
export async function roleActors(
  admin: Kysely<Database>,
  tenantId: string,
  elsewhere?: string,
): Promise<Record<TenantRole | 'outsider' | 'platform', UserActor>> {
  const users = {} as Record<TenantRole | 'outsider' | 'platform', UserActor>;
  for (const role of ['owner', 'admin', 'editor', 'viewer'] as const) {
    users[role] = await createTestUser(admin);
    await addMembership(admin, tenantId, users[role].userId, role);
  }
  users.outsider = await createTestUser(admin);
  if (elsewhere) await addMembership(admin, elsewhere, users.outsider.userId, 'owner');
  users.platform = await createTestUser(admin, { platformAdmin: true });
  return users;
}

/** The catalog name of the error a call fails with, `resolved` when it does not, or the message of another error. */
export async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isMosaicError(error) ? error.code : String(error);
  }
}

/** The error a call fails with, which must be a catalog error. */
export async function mosaicError(promise: Promise<unknown>): Promise<MosaicError> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!isMosaicError(error)) throw error;
  return error;
}

/** A tenant's audit records, oldest first, read as the owner. */
export function auditOf(admin: Kysely<Database>, tenantId: string) {
  return withTenant(admin, tenantId, (trx) =>
    trx.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute(),
  );
}

/** A tenant's site version. */
export async function siteVersionOf(admin: Kysely<Database>, tenantId: string): Promise<number> {
  const row = await admin.selectFrom('tenants').select('site_version').where('id', '=', tenantId).executeTakeFirstOrThrow();
  return Number(row.site_version);
}
