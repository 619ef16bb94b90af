import type { Kysely } from 'kysely';
import type { ApiRateLimit } from '../api/rate-limit.ts';
import type { Auth } from '../auth/create-auth.ts';
import type { MosaicConfig } from '../config/config.ts';
import type { Database } from '../db/schema.ts';
import type { SubmissionLimiter } from '../forms/submission-limiter.ts';
import type { OriginLimit } from '../limits/origin-limit.ts';
import type { TlsAllowList } from '../domains/tls-allow-list.ts';
import type { Logger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { PageCache } from '../page-cache/page-cache.ts';
import type { SiteChangeNotifier } from '../publishing/site-version.ts';
import type { Prerender } from '../render/prerender.ts';
import type { FragmentStore } from '../render/section-fragments.ts';
import type { RenderGate } from '../render/render-gate.ts';
import type { SiteRepository } from '../site/site-repository.ts';
import type { ReadinessReport } from './readiness.ts';

/**
 * What a request handler may use. Built once per process by `createAppContext` and handed to
 * Astro through `locals`, so the server and the rendered pages share one set of connections.
 */
export interface AppServices {
  config: MosaicConfig;
  logger: Logger;
  /** Connected as the unprivileged app role; tenant work goes through `withTenant`. */
  db: Kysely<Database>;
  repo: SiteRepository;
  /** Rendered pages; null when PAGE_CACHE=off. */
  pages: PageCache | null;
  /** Rendered sections reused across renders in this process; null when FRAGMENT_CACHE_MB=0. */
  fragments: FragmentStore | null;
  /** Bounds renders in flight, their queue and how long one may take (load shedding). */
  renders: RenderGate;
  metrics: Metrics;
  /** Announces a committed change; never throws (see `outboxNotifier`). */
  notify: SiteChangeNotifier;
  /** Renders changed pages before visitors ask; a server attaches Astro's renderer (`src/server/main.ts`). */
  prerender: Prerender;
  /** Who is calling (sessions, API keys) and the account flows: sign-in, invitations, resets. */
  auth: Auth;
  /** Database and Redis as `/readyz` reports them; never throws. */
  readiness(): Promise<ReadinessReport>;
  /** Form submissions per (tenant, client); shared by every instance when Redis is configured. */
  formLimiter: SubmissionLimiter;
  /** Which hostnames may get a certificate (the internal listener's `/tls/ask`); null outside a server. */
  tlsAllowList: TlsAllowList | null;
  /** Admin API calls per key, person or anonymous address; shared by every instance when Redis is configured. */
  apiRateLimit: ApiRateLimit;
  /** Each tenant's origin work (renders, form posts, API calls) at its plan's rate; shared through Redis. */
  originLimit: OriginLimit;
  /** Throws when the database is unreachable (Redis being down only degrades the service). */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}
