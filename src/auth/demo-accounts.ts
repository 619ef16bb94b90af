import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isMosaicError } from '../errors/catalog.ts';
import type { Actor } from '../operations/actor.ts';
import { execute } from '../operations/execute.ts';
import { addMember } from '../operations/members/add-member.ts';
import { listMembers } from '../operations/members/list-members.ts';
import type { OperationContext } from '../operations/operation.ts';
import { createUser, readUser } from '../operations/users/create-user.ts';
import { findAccount } from './account-lookups.ts';
import { verifyPassword } from './password-hash.ts';

/** Known to everyone (the README prints it): demo accounts exist only on demo installations. */
export const DEMO_PASSWORD = 'mosaic-demo';
export const DEMO_ADMIN_EMAIL = 'admin@demo.mosaic.localhost';
export const demoOwnerEmail = (slug: string): string => `${slug}@demo.mosaic.localhost`;

const SEEDER: Actor = { kind: 'system', name: 'demo-accounts' };

/**
 * One platform admin and one owner per demo site, with the demo password; what exists already is
 * left as it is. Runs through the operations like any other change.
 */
export async function ensureDemoAccounts(
  context: Omit<OperationContext, 'actor' | 'clientAddress'>,
  slugs: readonly string[],
): Promise<{ created: string[] }> {
  const ctx: OperationContext = { ...context, actor: SEEDER, clientAddress: null };
  const created: string[] = [];
  const ensureUser = async (email: string, platformAdmin: boolean) => {
    try {
      await execute(ctx, readUser, { input: { email } });
    } catch (error) {
      if (!isMosaicError(error) || error.code !== 'NotFound') throw error;
      await execute(ctx, createUser, {
        input: { email, name: platformAdmin ? 'Demo platform admin' : 'Demo owner', platformAdmin, password: DEMO_PASSWORD },
      });
      created.push(email);
    }
  };
  await ensureUser(DEMO_ADMIN_EMAIL, true);
  for (const slug of slugs) {
    const email = demoOwnerEmail(slug);
    await ensureUser(email, false);
    const members = await execute(ctx, listMembers, { tenant: { slug } });
    if (!members.some((m) => m.email === email)) await execute(ctx, addMember, { tenant: { slug }, input: { email, role: 'owner' } });
  }
  return { created };
}

/**
 * The start-up line telling a newcomer how to sign in, when the demo platform admin exists and
 * still has the demo password; null otherwise (a real installation prints nothing).
 */
export async function demoSignInHint(db: Kysely<Database>, adminOrigin: string): Promise<string | null> {
  const account = await findAccount(db, DEMO_ADMIN_EMAIL);
  if (!account?.password_hash || account.disabled_at || !(await verifyPassword(DEMO_PASSWORD, account.password_hash))) return null;
  return `Sign in at ${adminOrigin}/ as ${DEMO_ADMIN_EMAIL} / ${DEMO_PASSWORD} (platform admin), or as <site>@demo.mosaic.localhost / ${DEMO_PASSWORD} (owner of that demo site)`;
}
