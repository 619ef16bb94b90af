import { z } from 'zod';
import { hashToken, newToken } from '../../auth/tokens.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';

/** How long a password-reset link works. */
export const RESET_TTL_MS = 60 * 60 * 1000;

/**
 * Sends a user a single-use password-reset link (1 hour). Run by platform staff for a user, and
 * by `requestPasswordReset` (src/auth/password-reset-flow.ts) for anyone who asks by email, as the
 * system: that flow answers the same whether or not the email has an account and never passes on
 * the result. Without SMTP the link is logged and returned, as for invitations. If the mail
 * cannot be sent, no reset is kept.
 */
export const issuePasswordReset = defineOperation({
  name: 'platform.user.password-reset',
  scope: 'platform',
  action: 'platform.user.manage',
  mutates: true,
  input: z.strictObject({ userId: z.uuid() }),
  async run(tx, input): Promise<{ userId: string; expiresAt: string; link: string | null }> {
    const mail = tx.context.mail;
    if (!mail) throw new Error('platform.user.password-reset needs context.mail');
    const user = await tx.trx.selectFrom('users').select(['id', 'email', 'disabled_at']).where('id', '=', input.userId).executeTakeFirst();
    if (!user) throw new MosaicError('NotFound', 'No account has that id.');
    if (user.disabled_at) throw new MosaicError('Forbidden', 'This account is disabled; enable it first.');
    const token = newToken();
    const expiresAt = new Date(tx.now.getTime() + RESET_TTL_MS);
    const row = await tx.trx
      .insertInto('password_resets')
      .values({ user_id: user.id, token_hash: hashToken(token), created_at: tx.now, expires_at: expiresAt, client_address: tx.context.clientAddress })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.audit({ subject: user.email, detail: { userId: user.id, reset: row.id, expiresAt: expiresAt.toISOString() } });
    const { link } = await mail.sendLink({
      to: user.email,
      subject: 'Reset your Mosaic password',
      body: `Someone asked to reset the password of your account ${user.email}.\n\nChoose a new password: {link}\n\nThe link works once, for one hour. If you did not ask, ignore this mail: your password stays as it is.`,
      path: '/reset-password',
      token,
    });
    return { userId: user.id, expiresAt: expiresAt.toISOString(), link };
  },
});
