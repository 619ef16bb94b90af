import { sql } from 'kysely';
import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation, type OperationTx } from '../operation.ts';
import { USER_COLUMNS, userView, type UserView } from './user-view.ts';

async function lockUser(tx: OperationTx, userId: string) {
  const row = await tx.trx.selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).forUpdate().executeTakeFirst();
  if (!row) throw new MosaicError('NotFound', 'No account has that id.');
  return row;
}

/** Ends every open session of a user; returns how many. */
export async function revokeAllSessions(tx: OperationTx, userId: string): Promise<number> {
  const revoked = await tx.trx
    .updateTable('sessions')
    .set({ revoked_at: tx.now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', tx.now)
    .returning('id')
    .execute();
  return revoked.length;
}

const refuseSelf = (tx: OperationTx, userId: string, what: string) => {
  if (tx.actor.kind === 'user' && tx.actor.userId === userId)
    throw new MosaicError('Forbidden', `You cannot ${what} your own account; ask another platform admin.`);
};

/**
 * Disables an account (it can no longer sign in, and its sessions end at once) or enables it again.
 * Nobody disables their own account.
 */
export const setUserDisabled = defineOperation({
  name: 'platform.user.disable',
  scope: 'platform',
  action: 'platform.user.manage',
  mutates: true,
  input: z.strictObject({ userId: z.uuid(), disabled: z.boolean() }),
  async run(tx, input): Promise<UserView & { sessionsRevoked: number }> {
    const before = await lockUser(tx, input.userId);
    if (input.disabled) refuseSelf(tx, input.userId, 'disable');
    if ((before.disabled_at !== null) === input.disabled) {
      tx.noChange();
      return { ...userView(before), sessionsRevoked: 0 };
    }
    const row = await tx.trx
      .updateTable('users')
      .set({ disabled_at: input.disabled ? tx.now : null, updated_at: sql`now()` })
      .where('id', '=', input.userId)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    // Enabling again must not bring back a session that was open when the account was disabled.
    const sessionsRevoked = input.disabled ? await revokeAllSessions(tx, input.userId) : 0;
    await tx.audit({
      subject: row.email,
      before: { disabled: !input.disabled },
      after: { disabled: input.disabled },
      detail: { userId: row.id, sessionsRevoked },
    });
    return { ...userView(row), sessionsRevoked };
  },
});

/** Makes an account platform staff, or takes that away (never from yourself). */
export const setPlatformRole = defineOperation({
  name: 'platform.user.set-role',
  scope: 'platform',
  action: 'platform.user.manage',
  mutates: true,
  input: z.strictObject({ userId: z.uuid(), platformAdmin: z.boolean() }),
  async run(tx, input): Promise<UserView> {
    const before = await lockUser(tx, input.userId);
    if (!input.platformAdmin) refuseSelf(tx, input.userId, 'demote');
    if ((before.platform_role === 'admin') === input.platformAdmin) {
      tx.noChange();
      return userView(before);
    }
    const row = await tx.trx
      .updateTable('users')
      .set({ platform_role: input.platformAdmin ? 'admin' : null, updated_at: sql`now()` })
      .where('id', '=', input.userId)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    await tx.audit({
      subject: row.email,
      before: { platformAdmin: !input.platformAdmin },
      after: { platformAdmin: input.platformAdmin },
      detail: { userId: row.id },
    });
    return userView(row);
  },
});

/** Signs a user out everywhere (a lost laptop, a leaked cookie). */
export const revokeUserSessions = defineOperation({
  name: 'platform.user.revoke-sessions',
  scope: 'platform',
  action: 'platform.user.manage',
  mutates: true,
  input: z.strictObject({ userId: z.uuid() }),
  async run(tx, input) {
    const user = await lockUser(tx, input.userId);
    const sessionsRevoked = await revokeAllSessions(tx, user.id);
    await tx.audit({ subject: user.email, detail: { userId: user.id, sessionsRevoked } });
    return { userId: user.id, sessionsRevoked };
  },
});
