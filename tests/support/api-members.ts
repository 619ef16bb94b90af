import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database, TenantRole } from '../../src/db/schema.ts';
import { addMembership, createTestUser } from './accounts.ts';
import { ApiClient } from './api-client.ts';

export const MEMBER_PASSWORD = 'a long enough passphrase 7';

/** A new person with `role` on the tenant, signed in to the API as a browser (cookie and CSRF token). */
export async function signedInMember(admin: Kysely<Database>, port: number, tenantId: string, role: TenantRole): Promise<ApiClient> {
  const user = await createTestUser(admin, { password: MEMBER_PASSWORD });
  await addMembership(admin, tenantId, user.userId, role);
  const client = new ApiClient(port);
  expect((await client.signIn(user.email, MEMBER_PASSWORD)).status).toBe(200);
  return client;
}
