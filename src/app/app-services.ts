import type { Kysely } from 'kysely';
import type { MosaicConfig } from '../config/config.ts';
import type { Database } from '../db/schema.ts';
import type { SubmissionLimiter } from '../forms/submission-limiter.ts';
import type { Logger } from '../log/logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { PageCache } from '../page-cache/page-cache.ts';
import type { SiteChangeNotifier } from '../publishing/site-version.ts';
import type { SiteRepository } from '../site/site-repository.ts';

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
  metrics: Metrics;
  notify: SiteChangeNotifier;
  /** Form submissions per (tenant, client); shared by every instance when Redis is configured. */
  formLimiter: SubmissionLimiter;
  /** Throws when a required dependency (database; Redis when configured) is unreachable. */
  checkReady(): Promise<void>;
  close(): Promise<void>;
}
