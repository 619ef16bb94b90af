import { z } from 'zod';
import { MosaicError } from '../errors/catalog.ts';
import type { Actor } from '../operations/actor.ts';
import { execute, parseInput } from '../operations/execute.ts';
import { resetPassword } from '../operations/me/passwords.ts';
import { issuePasswordReset } from '../operations/users/issue-password-reset.ts';
import { findAccount, findPasswordReset } from './account-lookups.ts';
import { emailSchema, tokenSchema } from './account-schemas.ts';
import { operationContext, type AuthDeps, type ClientInfo } from './auth-deps.ts';
import { newPasswordSchema } from './password-policy.ts';
import { hashToken } from './tokens.ts';

export const passwordResetRequestInput = z.strictObject({ email: emailSchema });
export const passwordResetConfirmInput = z.strictObject({ token: tokenSchema, password: newPasswordSchema });

/** What every reset request is told, whether or not the email has an account. */
export const RESET_REQUESTED = { accepted: true, message: 'If an account has this email, a link to choose a new password is on its way.' } as const;

const SYSTEM: Actor = { kind: 'system', name: 'password-reset' };

/**
 * Asks for a password-reset link by email. The answer is the same, and comes as fast, whether or
 * not the address has an account: the link is made and mailed in the background (`delivery`
 * settles when that is done, never rejects; nothing waits for it but tests and the CLI). A
 * disabled account, an account over its hourly allowance of reset mails, or no account gets no
 * mail. The link is never part of the answer, even without SMTP (then it is only logged).
 */
export async function requestPasswordReset(
  deps: AuthDeps,
  raw: unknown,
  client: ClientInfo,
): Promise<{ response: typeof RESET_REQUESTED; delivery: Promise<void> }> {
  const { email } = parseInput(passwordResetRequestInput, raw);
  const delivery = (async () => {
    const account = await findAccount(deps.db, email);
    if (!account || account.disabled_at) return;
    if (!(await deps.throttle.allowReset(account.email))) {
      deps.logger.warn({ client: client.address }, 'password reset not sent: too many for this account');
      return;
    }
    await execute(operationContext(deps, SYSTEM, client.address), issuePasswordReset, { input: { userId: account.user_id } });
  })().catch((error: unknown) => deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'password reset not sent'));
  return { response: RESET_REQUESTED, delivery };
}

/**
 * Sets a new password with a reset link's token (`{ token, password }`): single use, one hour;
 * every session of the account ends. A disabled account's link does not work. A malformed body is
 * `InvalidInput`; a well-formed token that names no usable reset is `LinkInvalid`, `LinkUsed` or `LinkExpired`.
 */
export async function confirmPasswordReset(deps: AuthDeps, raw: unknown, client: ClientInfo) {
  const { token, password } = parseInput(passwordResetConfirmInput, raw);
  const reset = await findPasswordReset(deps.db, hashToken(token));
  if (!reset || reset.disabled_at) throw new MosaicError('LinkInvalid');
  if (reset.used_at) throw new MosaicError('LinkUsed');
  if (new Date(reset.expires_at) <= deps.clock()) throw new MosaicError('LinkExpired');
  const actor: Actor = { kind: 'user', userId: reset.user_id, email: reset.email, platformAdmin: reset.platform_role === 'admin' };
  return execute(operationContext(deps, actor, client.address), resetPassword, { input: { token, password } });
}
