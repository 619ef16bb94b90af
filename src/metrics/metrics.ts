import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics; one registry per process, created with the app context. */
export interface Metrics {
  registry: Registry;
  pageRenders: Counter;
  pageCache: Counter<'result'>;
  databaseLoads: Counter<'kind'>;
  redisReads: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mosaic_' });
  return {
    registry,
    pageRenders: new Counter({ name: 'mosaic_page_renders_total', help: 'Pages rendered by Astro', registers: [registry] }),
    pageCache: new Counter({ name: 'mosaic_page_cache_total', help: 'Page cache lookups by result', labelNames: ['result'], registers: [registry] }),
    databaseLoads: new Counter({ name: 'mosaic_database_loads_total', help: 'Cache misses loaded from Postgres, by kind', labelNames: ['kind'], registers: [registry] }),
    redisReads: new Counter({ name: 'mosaic_redis_reads_total', help: 'Cache reads sent to Redis', registers: [registry] }),
  };
}
