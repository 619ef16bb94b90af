import { LRUCache } from 'lru-cache';
import { createWorkQueue } from '../concurrency/work-queue.ts';
import type { LoadLease } from '../cache/load-lease.ts';
import type { MosaicConfig } from '../config/config.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { PageCache } from '../page-cache/page-cache.ts';
import type { SiteChange } from '../publishing/site-version.ts';
import { siteOrigin, type ResolvedSite } from '../request/resolve-site.ts';
import { prerenderClaimKey } from '../site/cache-keys.ts';
import type { PublishedPath, TenantRecord } from '../site/site-types.ts';
import { normalizePath } from './plan-page.ts';

/** Renders one page of a site through Astro, as a visitor's GET would, so the page cache stores it. */
export type PageRenderer = (site: ResolvedSite, pathname: string) => Promise<void>;

/**
 * Renders pages after a change, before anyone asks for them. The process that makes a page's
 * change renders that page (and the home page) under the new site version before announcing it,
 * so the first visitor gets a hit; every instance that hears of a change then competes for a
 * cluster-wide claim on the new version, and the one that wins renders the tenant's other pages
 * in the background, home pages first.
 */
export interface Prerender {
  /** A server attaches its renderer once Astro's handler is loaded; until then (and in tools) nothing is rendered. */
  attach(render: PageRenderer): void;
  /** Before a change is announced: renders the pages it names. Never throws; gives up after the render deadline. */
  beforeAnnounce(change: SiteChange): Promise<void>;
  /** On hearing of a change (every instance): claims the version for the cluster and queues its pages. */
  onChange(change: Pick<SiteChange, 'tenantId' | 'siteVersion'>): void;
  /** Resolves once nothing is queued or rendering. */
  idle(): Promise<void>;
  stop(): void;
}

/** Pages waiting at most; beyond, a change's pages are left for visitors to render. */
const MAX_QUEUED = 100_000;
/** How long a claim on a version lasts: another instance hearing of the change late does not render it again. */
export const PRERENDER_CLAIM_MS = 5 * 60_000;

export function createPrerender(deps: {
  config: Pick<MosaicConfig, 'prerenderConcurrency' | 'platformDomain' | 'publicScheme' | 'render'>;
  pages: PageCache | null;
  /** The tenant as stored now (not cached): its site version is the one to render. */
  loadTenant(tenantId: string): Promise<TenantRecord | null>;
  publishedPaths(tenant: TenantRecord): Promise<PublishedPath[]>;
  /** Shared by every instance; null when there is only this one. */
  lease: Pick<LoadLease, 'acquire'> | null;
  metrics: Pick<Metrics, 'prerenders' | 'prerenderQueued'>;
  logger: { warn(obj: object, msg: string): void };
}): Prerender {
  const { config, pages, metrics, logger } = deps;
  const concurrency = config.prerenderConcurrency;
  let render: PageRenderer | null = null;
  let stopped = false;
  // Home pages go before every other page, whichever tenant they belong to.
  const queue = createWorkQueue({
    concurrency,
    maxQueued: MAX_QUEUED,
    onError: (error) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'pre-render failed'),
    onWaiting: (count) => metrics.prerenderQueued.set(count),
  });
  // The newest version heard of per tenant (bounded): work for an older one is dropped.
  const newest = new LRUCache<string, number>({ max: 100_000 });

  const enabled = () => render !== null && pages !== null && concurrency > 0 && !stopped;
  const siteOf = (tenant: TenantRecord): ResolvedSite => {
    const origin = siteOrigin(tenant, config);
    return { kind: 'site', tenant, origin, host: new URL(origin).hostname };
  };
  const failed = (error: unknown, tenant: TenantRecord, path?: string) => {
    metrics.prerenders.inc({ result: 'failed' });
    logger.warn({ err: error instanceof Error ? error.message : String(error), tenant: tenant.id, path }, 'pre-render failed');
  };

  /** Renders one page unless it is cached or being rendered; a visitor's miss meanwhile waits for this render. */
  async function renderOne(tenant: TenantRecord, path: string): Promise<void> {
    if (!render || !pages) return;
    if (await pages.get(tenant, path)) {
      metrics.prerenders.inc({ result: 'cached' });
      return;
    }
    const claim = pages.claimRender(tenant, path);
    if (!claim.claimed) {
      await claim.result;
      metrics.prerenders.inc({ result: 'cached' });
      return;
    }
    try {
      await render(siteOf(tenant), path);
    } finally {
      claim.finish();
    }
    if (await pages.get(tenant, path)) metrics.prerenders.inc({ result: 'stored' });
    else failed(new Error('the render stored no page'), tenant, path);
  }

  const current = async (change: Pick<SiteChange, 'tenantId' | 'siteVersion'>): Promise<TenantRecord | null> => {
    const tenant = await deps.loadTenant(change.tenantId);
    // A newer change renders its own version; a suspended or cancelled site shows no pages.
    if (!tenant || tenant.siteVersion !== change.siteVersion) return null;
    return tenant.status === 'suspended' || tenant.status === 'cancelled' ? null : tenant;
  };

  async function queueVersion(change: Pick<SiteChange, 'tenantId' | 'siteVersion'>): Promise<void> {
    if (deps.lease && !(await deps.lease.acquire(prerenderClaimKey(change.tenantId, change.siteVersion)))) return;
    const tenant = await current(change);
    if (!tenant) return;
    const paths = (await deps.publishedPaths(tenant)).map((p) => p.path).filter((path) => path !== '/404');
    for (const path of paths) {
      const queued = queue.push(
        async () => {
          // A newer version of the site arrived while this waited: its own pages are queued.
          if ((newest.get(tenant.id) ?? 0) > tenant.siteVersion) return;
          await renderOne(tenant, path).catch((error: unknown) => failed(error, tenant, path));
        },
        { urgent: path === '/' },
      );
      if (!queued) metrics.prerenders.inc({ result: 'dropped' });
    }
  }

  return {
    attach(renderer) {
      render = renderer;
    },

    async beforeAnnounce(change) {
      if (!enabled() || !change.paths?.length) return;
      let timer: NodeJS.Timeout | undefined;
      const work = (async () => {
        const tenant = await current(change);
        if (!tenant) return;
        // The home page is the one most visitors ask for first.
        const paths = [...new Set(['/', ...change.paths!.map(normalizePath)])];
        await Promise.all(paths.map((path) => renderOne(tenant, path).catch((error: unknown) => failed(error, tenant, path))));
      })().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error), tenant: change.tenantId }, 'pre-render failed'));
      // The change is announced after the render deadline at the latest, rendered or not.
      await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, config.render.deadlineMs)))]);
      clearTimeout(timer);
    },

    onChange(change) {
      if ((newest.get(change.tenantId) ?? -1) >= change.siteVersion) return;
      newest.set(change.tenantId, change.siteVersion);
      if (!enabled()) return;
      // Listing the pages is not queued work yet, but `idle` waits for it too.
      const release = queue.hold();
      queueVersion(change)
        .catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error), tenant: change.tenantId }, 'pre-render not queued'))
        .finally(release);
    },

    idle: () => queue.idle(),

    stop() {
      stopped = true;
      queue.stop();
    },
  };
}
