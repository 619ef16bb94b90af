import type { Auth } from '../auth/create-auth.ts';
import type { Logger } from '../log/logger.ts';
import type { Actor } from '../operations/actor.ts';
import type { OperationContext } from '../operations/operation.ts';
import type { PreviewLinks } from '../preview/preview-links.ts';
import type { OriginLimit } from '../limits/origin-limit.ts';
import type { ApiRateLimit, TenantBySlug } from './rate-limit.ts';

/** Who is calling, from a verified credential: a session cookie or an API key. */
export interface Caller {
  actor: Actor;
  via: 'session' | 'api-key';
  /** The session's id (its token's hash) when signed in with a cookie. */
  sessionId: string | null;
}

/** What the front tells the API about the connection (Hono's `c.env`). */
export interface ApiBindings {
  /** The client's address as the front determined it (trusted hops only). */
  clientAddress: string | null;
}

/** Every request: the caller, if any credential was valid, and the context operations run with. */
export type ApiEnv = {
  Bindings: ApiBindings;
  Variables: { caller: Caller | null; context: OperationContext | null };
};

/** Routes behind `signedIn`: a caller is certain. */
export type SignedInEnv = {
  Variables: { caller: Caller; context: OperationContext };
};

/** What the API is built from; one set per process. */
export interface ApiDeps {
  auth: Auth;
  logger: Pick<Logger, 'error' | 'warn' | 'info'>;
  rateLimit: ApiRateLimit;
  /** Each site's origin budget, spent by site-scoped calls. */
  originLimit: OriginLimit;
  tenantBySlug: TenantBySlug;
  /** Signed links that show a draft on the site's own address. */
  previews: PreviewLinks;
  /** `Retry-After` of a 503 when the database cannot answer (RETRY_AFTER_SECONDS). */
  retryAfterSeconds?: number;
}
