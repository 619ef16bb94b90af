import { sql } from 'kysely';
import { z } from 'zod';
import { tokenSchema } from '../../auth/account-schemas.ts';
import { hashPassword, verifyPassword } from '../../auth/password-hash.ts';
import { givenPasswordSchema, newPasswordSchema, passwordIssues } from '../../auth/password-policy.ts';
import { hashToken } from '../../auth/tokens.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation, type OperationTx } from '../operation.ts';
import { revokeAllSessions } from '../users/manage-user.ts';

function requireUser(tx: OperationTx) {
  if (tx.actor.kind !== 'user') throw new MosaicError('Forbidden', 'Only a signed-in person has a password.');
  return tx.actor;
}

/**
 * Changes the caller's password after checking the current one. Every other session ends;
 * `keepSessionId` (the one making the change) stays open.
 */
export const changePassword = defineOperation({
  name: 'me.change-password',
  scope: 'self',
  action: null,
  mutates: true,
  input: z.strictObject({
    currentPassword: givenPasswordSchema,
    newPassword: newPasswordSchema,
    keepSessionId: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  }),
  async run(tx, input) {
    const user = requireUser(tx);
    const { rows } = await sql<{ password_hash: string | null }>`SELECT password_hash FROM mosaic_sign_in_lookup(${user.email})`.execute(tx.trx);
    const stored = rows[0]?.password_hash;
    if (!stored || !(await verifyPassword(input.currentPassword, stored))) {
      throw new MosaicError('InvalidInput', undefined, [{ path: 'currentPassword', message: 'is not your current password' }]);
    }
    const issues = passwordIssues(input.newPassword, user.email, 'newPassword');
    if (issues.length) throw new MosaicError('InvalidInput', undefined, issues);
    await tx.trx
      .updateTable('users')
      .set({ password_hash: await hashPassword(input.newPassword), updated_at: sql`now()` })
      .where('id', '=', user.userId)
      .execute();
    let query = tx.trx.updateTable('sessions').set({ revoked_at: tx.now }).where('user_id', '=', user.userId).where('revoked_at', 'is', null);
    if (input.keepSessionId) query = query.where('id', '<>', input.keepSessionId);
    const revoked = (await query.returning('id').execute()).length;
    await tx.audit({ subject: user.email, detail: { sessionsRevoked: revoked } });
    return { sessionsRevoked: revoked };
  },
});

/**
 * Sets a new password with a reset link's token. The actor is the link's account, built by
 * `confirmPasswordReset` (src/auth/password-reset-flow.ts); the reset row is locked and checked
 * again here, so a link works once. Every session of the account ends, and every other open
 * reset link of it stops working.
 */
export const resetPassword = defineOperation({
  name: 'me.reset-password',
  scope: 'self',
  action: null,
  mutates: true,
  input: z.strictObject({ token: tokenSchema, password: newPasswordSchema }),
  async run(tx, input) {
    const user = requireUser(tx);
    const reset = await tx.trx
      .selectFrom('password_resets')
      .select(['id', 'expires_at', 'used_at'])
      .where('token_hash', '=', hashToken(input.token))
      .where('user_id', '=', user.userId)
      .forUpdate()
      .executeTakeFirst();
    if (!reset) throw new MosaicError('LinkInvalid');
    if (reset.used_at) throw new MosaicError('LinkUsed');
    if (new Date(reset.expires_at) <= tx.now) throw new MosaicError('LinkExpired');
    const issues = passwordIssues(input.password, user.email);
    if (issues.length) throw new MosaicError('InvalidInput', undefined, issues);
    await tx.trx
      .updateTable('users')
      .set({ password_hash: await hashPassword(input.password), updated_at: sql`now()` })
      .where('id', '=', user.userId)
      .execute();
    await tx.trx.updateTable('password_resets').set({ used_at: tx.now }).where('user_id', '=', user.userId).where('used_at', 'is', null).execute();
    const sessionsRevoked = await revokeAllSessions(tx, user.userId);
    await tx.audit({ subject: user.email, detail: { reset: reset.id, sessionsRevoked } });
    return { userId: user.userId, email: user.email, sessionsRevoked };
  },
});
