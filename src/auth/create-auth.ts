import type { LimiterRedis } from '../limits/shared-counter.ts';
import type { Kysely } from 'kysely';
import type { Catalog } from '../../registry/catalog.ts';
import type { MosaicConfig } from '../config/config.ts';
import type { Database } from '../db/schema.ts';
import { adminOrigin, createAccountMail } from '../mail/account-mail.ts';
import { createSmtpMailer, type Mailer } from '../mail/mailer.ts';
import type { Actor } from '../operations/actor.ts';
import type { OperationContext } from '../operations/operation.ts';
import type { SiteChangeNotifier } from '../publishing/site-version.ts';
import { authenticateApiKey } from './api-key-auth.ts';
import { operationContext, type AuthDeps, type ClientInfo } from './auth-deps.ts';
import { csrfAllowed, csrfTokenFor, type CsrfCheck } from './csrf.ts';
import { acceptInvitation, previewInvitation } from './invitation-flow.ts';
import { confirmPasswordReset, requestPasswordReset } from './password-reset-flow.ts';
import { createPurposeKeys, type PurposeKeys } from './purpose-keys.ts';
import { authenticateSession, clearedSessionCookie, sessionCookie } from './session-auth.ts';
import { signIn } from './sign-in.ts';
import { createSignInThrottle, type ThrottleLimits } from './sign-in-throttle.ts';

/**
 * Everything the admin's HTTP layer needs to know who is calling and to run account flows: each
 * method is one of the modules in src/auth, bound to this process's database, keys, throttle and
 * mail. HTTP concerns (reading cookies and headers, status codes) stay with the caller.
 */
export interface Auth {
  readonly deps: AuthDeps;
  /** `http(s)://ADMIN_HOST[:port]`, for links and the CSRF origin check. */
  readonly adminOrigin: string;
  signIn(input: unknown, client: ClientInfo & { presentedToken?: string | null }): ReturnType<typeof signIn>;
  authenticateSession(token: string | null | undefined): ReturnType<typeof authenticateSession>;
  authenticateApiKey(authorization: string | null | undefined): ReturnType<typeof authenticateApiKey>;
  csrfTokenFor(sessionId: string): string;
  csrfAllowed(check: Omit<CsrfCheck, 'adminOrigin'>): boolean;
  /** The session cookie for a sign-in (`Secure` when the admin is served over https). */
  sessionCookie(token: string, expiresAt: Date): ReturnType<typeof sessionCookie>;
  clearedSessionCookie(): ReturnType<typeof clearedSessionCookie>;
  previewInvitation(token: string): ReturnType<typeof previewInvitation>;
  acceptInvitation(input: unknown, client: ClientInfo): ReturnType<typeof acceptInvitation>;
  requestPasswordReset(input: unknown, client: ClientInfo): ReturnType<typeof requestPasswordReset>;
  confirmPasswordReset(input: unknown, client: ClientInfo): ReturnType<typeof confirmPasswordReset>;
  /** The context to `execute` operations with, for an actor this module verified. */
  context(actor: Actor, clientAddress: string | null): OperationContext;
  /** Closes the mail transport; the Redis connection belongs to whoever passed it in. */
  close(): void;
}

export interface AuthOptions {
  config: Pick<MosaicConfig, 'accounts' | 'adminHost' | 'publicScheme' | 'port'> & { platformDomain?: string };
  db: Kysely<Database>;
  secretKey: Buffer;
  notify: SiteChangeNotifier;
  registry: Catalog;
  logger: AuthDeps['logger'];
  /** A connection for the sign-in throttle (its owner closes it); null: each process counts alone. */
  redis: LimiterRedis | null;
  redisPrefix?: string;
  clock?: () => Date;
  limits?: ThrottleLimits;
  /** Replaces SMTP (tests); by default SMTP_URL decides. */
  mailer?: Mailer | null;
  dns?: AuthDeps['dns'];
}

export function createAuth(options: AuthOptions): Auth {
  const origin = adminOrigin(options.config);
  const smtpUrl = options.config.accounts.smtpUrl;
  const mailer =
    options.mailer !== undefined ? options.mailer : smtpUrl ? createSmtpMailer(smtpUrl.reveal(), options.config.accounts.mailFrom) : null;
  const keys: PurposeKeys = createPurposeKeys(options.secretKey);
  const deps: AuthDeps = {
    db: options.db,
    clock: options.clock ?? (() => new Date()),
    notify: options.notify,
    registry: options.registry,
    logger: options.logger,
    mail: createAccountMail({ mailer, adminOrigin: origin, logger: options.logger }),
    keys,
    throttle: createSignInThrottle({ redis: options.redis, prefix: options.redisPrefix ?? 'mosaic:', limits: options.limits }),
    sessions: { idleMs: options.config.accounts.sessionIdleMs, maxMs: options.config.accounts.sessionMaxMs },
    platformDomain: options.config.platformDomain,
    dns: options.dns,
  };
  const secure = origin.startsWith('https:');
  return {
    deps,
    adminOrigin: origin,
    signIn: (input, client) => signIn(deps, input, client),
    authenticateSession: (token) => authenticateSession(deps, token),
    authenticateApiKey: (authorization) => authenticateApiKey(deps, authorization),
    csrfTokenFor: (sessionId) => csrfTokenFor(keys, sessionId),
    csrfAllowed: (check) => csrfAllowed(keys, { ...check, adminOrigin: origin }),
    sessionCookie: (token, expiresAt) => sessionCookie(token, { secure, maxAgeSeconds: (expiresAt.getTime() - deps.clock().getTime()) / 1000 }),
    clearedSessionCookie: () => clearedSessionCookie({ secure }),
    previewInvitation: (token) => previewInvitation(deps, token),
    acceptInvitation: (input, client) => acceptInvitation(deps, input, client),
    requestPasswordReset: (input, client) => requestPasswordReset(deps, input, client),
    confirmPasswordReset: (input, client) => confirmPasswordReset(deps, input, client),
    context: (actor, clientAddress) => operationContext(deps, actor, clientAddress),
    close: () => mailer?.close(),
  };
}
