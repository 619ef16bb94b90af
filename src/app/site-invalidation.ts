import { LRUCache } from 'lru-cache';
import type { InvalidationMessage } from '../cache/invalidation-bus.ts';
import type { MemoryLayer } from '../cache/memory-layer.ts';
import type { TieredCache } from '../cache/tiered-cache.ts';
import type { PageCache } from '../page-cache/page-cache.ts';
import type { PageWarmer } from '../page-cache/page-warmer.ts';
import { hostKeyFor, isHostKey, isTenantRecordKey, tenantKey, tenantPrefix } from '../site/cache-keys.ts';
import type { TenantRecord } from '../site/site-types.ts';

export interface SiteInvalidation {
  /** A tenant changed: forget what this process holds for it (once, however often the news arrives). */
  onChange(message: InvalidationMessage): void;
  /**
   * Changes may have been missed (the change log lost entries this process had not read): forget
   * what carries no site version — tenant records and host lookups. Everything else is keyed by
   * site version, so it cannot be served for a newer version and simply ages out.
   */
  onGap(): void;
}

export function createSiteInvalidation(deps: {
  cache: Pick<TieredCache, 'invalidate'>;
  memory: MemoryLayer;
  pages: PageCache | null;
  /** Told which pages of the tenant were dropped, so their new versions can be fetched before anyone asks. */
  warm?: PageWarmer['warm'];
  platformDomain: string;
  logger: { debug(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}): SiteInvalidation {
  const { cache, memory, pages, logger } = deps;
  // The newest version each tenant was dropped for (bounded: forgetting only costs a repeat drop).
  const handled = new LRUCache<string, number>({ max: 100_000 });
  return {
    onChange(message) {
      // Routing changes are dropped every time: they are few, and exact keys cost nothing to delete.
      const hosts = (message.hostnames ?? []).map((hostname) => hostKeyFor(hostname, deps.platformDomain));
      const held = memory.peek(tenantKey(message.tenantId))?.value as TenantRecord | null | undefined;
      // The same change heard again (pub/sub, then the change log) while the record is being
      // reloaded: that load began after the first drop and reads the new record, so dropping again
      // would only throw it away (and keep other instances waiting on its load lease).
      const reloading = held === undefined && (handled.get(message.tenantId) ?? -1) >= message.siteVersion;
      const current = reloading || (held !== undefined && held !== null && held.siteVersion >= message.siteVersion);
      if (hosts.length === 0 && current) return;
      // Through the cache, so a lookup already under way stores nothing it read before the change.
      void cache.invalidate(current ? hosts : [...hosts, tenantKey(message.tenantId)], 'local');
      if (current) return;
      handled.set(message.tenantId, message.siteVersion);
      memory.deletePrefix(tenantPrefix(message.tenantId));
      // Pages are keyed by site version: those of the new version (pre-rendered or warmed already) stay.
      const dropped = pages?.forget(tenantPrefix(message.tenantId), message.siteVersion) ?? [];
      // Only a tenant this process was serving (its record or pages in memory) is worth fetching ahead.
      if (held || dropped.length > 0) deps.warm?.(message, dropped);
      logger.debug({ tenant: message.tenantId, version: message.siteVersion, reason: message.reason, hosts: hosts.length }, 'invalidated');
    },
    onGap() {
      const dropped = memory.deleteWhere((key) => isTenantRecordKey(key) || isHostKey(key));
      logger.warn({ dropped }, 'change log gap; dropped tenant records and host lookups');
    },
  };
}
