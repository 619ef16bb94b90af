import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics; one registry per process, created with the app context. */
export interface Metrics {
  registry: Registry;
  pageRenders: Counter;
  pageCache: Counter<'result' | 'layer'>;
  pageWarms: Counter<'result'>;
  /** Rendered sections looked up (`hit`, `miss`) and not kept because reusing them would lose something (`refused`). */
  sectionFragments: Counter<'result'>;
  /** Pages rendered after a change before anyone asked: stored, already cached, failed, or dropped (queue full). */
  prerenders: Counter<'result'>;
  prerenderQueued: Gauge;
  databaseLoads: Counter<'kind'>;
  redisReads: Counter;
  /** 1 while Redis is used, 0 while it is skipped (unreachable, or its breaker open). */
  redisAvailable: Gauge;
  /** Redis commands not sent because the breaker was open. */
  redisSkipped: Counter;
  /** Pooled database connections that died (restart, failover, an administrator's kill). */
  databaseConnectionsLost: Counter;
  /** Requests answered 503: database unavailable, overloaded (shed) or past the render deadline. */
  requestsRefused: Counter<'reason'>;
  /** Per-tenant origin limit decisions by kind of work; no tenant label, so the series stay few. */
  originLimit: Counter<'work' | 'outcome'>;
  rendersInFlight: Gauge;
  rendersQueued: Gauge;
  /** Change notices delivered, by who delivered them (the publisher right away, or a dispatcher later). */
  changesDelivered: Counter<'by'>;
  changeDeliveryFailures: Counter;
  /** Reads the outbox backlog when metrics are scraped. */
  observeOutbox(read: () => Promise<{ pending: number; oldestSeconds: number }>): void;
  /** Reads what the in-process caches hold when metrics are scraped. */
  observeCaches(read: () => CacheHoldings): void;
}

/** Entries and counted bytes per in-process cache (`page`, `not-found`, `data`). */
export type CacheHoldings = Record<string, { entries: number; bytes: number }>;

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mosaic_' });
  const registers = [registry];
  let readOutbox: (() => Promise<{ pending: number; oldestSeconds: number }>) | null = null;
  let readCaches: (() => CacheHoldings) | null = null;
  // prom-client's default metrics leave out array buffers, where pooled Buffers live.
  new Gauge({
    name: 'mosaic_nodejs_array_buffers_bytes',
    help: 'Memory held by ArrayBuffers and Buffers',
    registers,
    collect() {
      this.set(process.memoryUsage().arrayBuffers);
    },
  });
  new Gauge({
    name: 'mosaic_memory_cache_entries',
    help: 'Entries held by each in-process cache',
    labelNames: ['cache'],
    registers,
    collect() {
      for (const [cache, held] of Object.entries(readCaches?.() ?? {})) {
        this.set({ cache }, held.entries);
        cacheBytes.set({ cache }, held.bytes);
      }
    },
  });
  // Registered after the entries gauge, whose collect fills it: scrapes read both from one moment.
  const cacheBytes = new Gauge({ name: 'mosaic_memory_cache_bytes', help: 'Bytes counted against each in-process cache budget', labelNames: ['cache'], registers });
  const outboxOldest = new Gauge({ name: 'mosaic_outbox_oldest_seconds', help: 'Age of the oldest undelivered change notice', registers });
  new Gauge({
    name: 'mosaic_outbox_backlog',
    help: 'Change notices not yet delivered to every instance',
    registers,
    async collect() {
      const backlog = await readOutbox?.().catch(() => null);
      if (!backlog) return;
      this.set(backlog.pending);
      outboxOldest.set(backlog.oldestSeconds);
    },
  });
  return {
    registry,
    pageRenders: new Counter({ name: 'mosaic_page_renders_total', help: 'Pages rendered by Astro', registers }),
    pageCache: new Counter({
      name: 'mosaic_page_cache_total',
      help: 'Page cache lookups by result, and for hits where the page was found (memory, redis)',
      labelNames: ['result', 'layer'],
      registers,
    }),
    pageWarms: new Counter({ name: 'mosaic_page_warms_total', help: 'Pages fetched into memory after a change, before any request, by result', labelNames: ['result'], registers }),
    sectionFragments: new Counter({ name: 'mosaic_section_fragments_total', help: 'Rendered sections looked up or refused, by result', labelNames: ['result'], registers }),
    prerenders: new Counter({ name: 'mosaic_prerenders_total', help: 'Pages pre-rendered after a change, by result', labelNames: ['result'], registers }),
    prerenderQueued: new Gauge({ name: 'mosaic_prerender_queued', help: 'Pages waiting to be pre-rendered', registers }),
    databaseLoads: new Counter({ name: 'mosaic_database_loads_total', help: 'Cache misses loaded from Postgres, by kind', labelNames: ['kind'], registers }),
    redisReads: new Counter({ name: 'mosaic_redis_reads_total', help: 'Cache reads sent to Redis', registers }),
    redisAvailable: new Gauge({ name: 'mosaic_redis_available', help: '1 while Redis is used, 0 while it is skipped', registers }),
    redisSkipped: new Counter({ name: 'mosaic_redis_skipped_total', help: 'Redis commands not sent because Redis was down', registers }),
    databaseConnectionsLost: new Counter({ name: 'mosaic_database_connections_lost_total', help: 'Pooled database connections that died', registers }),
    requestsRefused: new Counter({ name: 'mosaic_requests_refused_total', help: 'Requests answered 503, by reason', labelNames: ['reason'], registers }),
    originLimit: new Counter({ name: 'mosaic_origin_limit_total', help: 'Per-tenant origin work counted, by kind and outcome', labelNames: ['work', 'outcome'], registers }),
    rendersInFlight: new Gauge({ name: 'mosaic_renders_in_flight', help: 'Page renders under way', registers }),
    rendersQueued: new Gauge({ name: 'mosaic_renders_queued', help: 'Page renders waiting for a slot', registers }),
    changesDelivered: new Counter({ name: 'mosaic_changes_delivered_total', help: 'Change notices delivered, by deliverer', labelNames: ['by'], registers }),
    changeDeliveryFailures: new Counter({ name: 'mosaic_change_delivery_failures_total', help: 'Change notice deliveries that must be retried', registers }),
    observeOutbox(read) {
      readOutbox = read;
    },
    observeCaches(read) {
      readCaches = read;
    },
  };
}
