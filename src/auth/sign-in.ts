import { z } from 'zod';
import { MosaicError } from '../errors/catalog.ts';
import type { Actor } from '../operations/actor.ts';
import { execute, parseInput } from '../operations/execute.ts';
import { createSession, signOut } from '../operations/me/sessions.ts';
import { findAccount } from './account-lookups.ts';
import { emailSchema } from './account-schemas.ts';
import { operationContext, type AuthDeps, type ClientInfo } from './auth-deps.ts';
import { csrfTokenFor } from './csrf.ts';
import { hashPassword, needsRehash, prepareDummyHash, verifyDummyPassword, verifyPassword } from './password-hash.ts';
import { givenPasswordSchema } from './password-policy.ts';
import { authenticateSession } from './session-auth.ts';

export const signInInput = z.strictObject({ email: emailSchema, password: givenPasswordSchema });
export type SignInInput = z.input<typeof signInInput>;

export interface SignInResult {
  /** The cookie's value; shown once, stored only as its hash. */
  token: string;
  sessionId: string;
  expiresAt: string;
  /** For the `X-CSRF-Token` header of every state-changing request made with this session. */
  csrfToken: string;
  actor: Extract<Actor, { kind: 'user' }>;
}

/**
 * Signs in with email and password. An unknown email, a wrong password and a disabled account
 * get the same `InvalidCredentials`, after the same work (a dummy hash for unknown emails).
 * Failures are throttled per email and per client address (`RateLimited` with the seconds to
 * wait); a success clears the email's count. A session presented with the sign-in (`presentedToken`,
 * the cookie already in the browser) is ended: the new session never reuses an old token.
 */
export async function signIn(deps: AuthDeps, raw: unknown, client: ClientInfo & { presentedToken?: string | null }): Promise<SignInResult> {
  const { email, password } = parseInput(signInInput, raw);
  await deps.throttle.check(email, client.address);
  // Made before the lookup, so the first sign-in of a process costs the same for any email.
  await prepareDummyHash();

  const account = await findAccount(deps.db, email);
  const verified = account?.password_hash ? await verifyPassword(password, account.password_hash) : await verifyDummyPassword(password);
  if (!account || !verified || account.disabled_at) {
    await deps.throttle.failed(email, client.address);
    deps.logger.info({ client: client.address }, 'sign-in refused');
    throw new MosaicError('InvalidCredentials');
  }
  await deps.throttle.succeeded(email);

  if (client.presentedToken) {
    const previous = await authenticateSession(deps, client.presentedToken);
    if (previous) await execute(operationContext(deps, previous.actor, client.address), signOut, { input: { sessionId: previous.sessionId } });
  }
  const actor: Extract<Actor, { kind: 'user' }> = {
    kind: 'user',
    userId: account.user_id,
    email: account.email,
    platformAdmin: account.platform_role === 'admin',
  };
  const now = deps.clock();
  const upgradeHash = needsRehash(account.password_hash!) ? await hashPassword(password) : undefined;
  const session = await execute(operationContext(deps, actor, client.address), createSession, {
    input: { expiresAt: new Date(now.getTime() + deps.sessions.maxMs), ip: client.address, userAgent: client.userAgent, upgradeHash },
  });
  return { ...session, csrfToken: csrfTokenFor(deps.keys, session.sessionId), actor };
}
