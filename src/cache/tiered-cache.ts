import type { CacheEntry, CacheLayer, CacheLogger } from './cache-layer.ts';
import type { LoadLease } from './load-lease.ts';

export interface LoadOptions {
  ttlMs: number;
  /** How long a known absence (`null`) is remembered. */
  negativeTtlMs: number;
  /**
   * After `ttlMs`, how long the old value may still be served while one background refresh runs
   * (stale-while-revalidate). A failed refresh keeps the old value. 0 turns this off.
   * A known absence is checked again as soon as it goes stale (so a new site or page shows at
   * once); only when that check fails is the absence served for this long.
   */
  staleMs?: number;
}

export interface CacheStats {
  hits: Record<string, number>;
  loads: number;
  loadErrors: number;
  /** Calls that joined a lookup already under way for the same key. */
  coalesced: number;
  staleServed: number;
  refreshes: number;
  refreshFailures: number;
  /** Misses that waited for another instance's load instead of loading. */
  leaseWaits: number;
}

export interface TieredCache {
  readonly layers: readonly CacheLayer[];
  /**
   * Looks through the layers in order, back-filling the earlier ones on a later hit; on a full
   * miss calls `load` once however many callers ask at the same time — in this process, and with
   * a lease across every process sharing the last layer — and stores the result (including
   * `null`) in every layer. A failed load is not stored and fails every waiter.
   */
  getOrLoad<T>(key: string, load: () => Promise<T | null>, options: LoadOptions): Promise<T | null>;
  /** The value when some layer holds it (fresh or stale), without loading. */
  get<T>(key: string): Promise<T | undefined>;
  /** The entry when this process's layer holds it fresh, read synchronously; else undefined. */
  peekFresh(key: string): CacheEntry | undefined;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  /**
   * Deletes keys from every layer, or with `'local'` from this process's layer only (the first),
   * and makes lookups already under way for any key store nothing.
   */
  invalidate(keys: readonly string[], scope?: 'all' | 'local'): Promise<void>;
  stats(): CacheStats;
}

export interface TieredCacheOptions {
  layers: readonly CacheLayer[];
  logger?: CacheLogger;
  /** Cluster-wide single flight: only the lease holder loads; the others wait for its result. */
  lease?: LoadLease;
  /** How long a failed refresh waits before the next try. */
  retryMs?: number;
}

const LEASE_POLL_MS = 10;
/** Invalidated keys remembered for lookups under way (see `current`). */
const MAX_REMEMBERED = 50_000;

export function createTieredCache(options: TieredCacheOptions): TieredCache {
  const { layers, logger, lease } = options;
  const retryMs = options.retryMs ?? 5_000;
  const inFlight = new Map<string, Promise<unknown>>();
  const refreshing = new Set<string>();
  // Every invalidation takes the next number, remembered for each key it named; a lookup keeps the
  // number it started at and stores what it read only if its own key was not invalidated since.
  // Per key, so one tenant's change does not void loads of others (another instance waiting on
  // such a load's lease would poll until the lease ran out). Past MAX_REMEMBERED keys the memory
  // starts over and voids every lookup begun before, as one counter for all keys would.
  let epoch = 0;
  let floor = 0;
  const invalidatedAt = new Map<string, number>();
  const current = (key: string, startedAt: number): boolean => startedAt >= floor && (invalidatedAt.get(key) ?? 0) <= startedAt;
  const stats: CacheStats = {
    hits: Object.fromEntries(layers.map((l) => [l.name, 0])),
    loads: 0,
    loadErrors: 0,
    coalesced: 0,
    staleServed: 0,
    refreshes: 0,
    refreshFailures: 0,
    leaseWaits: 0,
  };

  const entryFor = (value: unknown, opts: LoadOptions): CacheEntry => {
    const now = Date.now();
    const freshUntil = now + (value === null ? opts.negativeTtlMs : opts.ttlMs);
    return { value, freshUntil, expiresAt: freshUntil + (opts.staleMs ?? 0) };
  };
  // An absence outlives its freshness in this process only: random paths must not fill Redis.
  const forLayer = (entry: CacheEntry, index: number): CacheEntry =>
    index > 0 && entry.value === null && entry.freshUntil !== undefined ? { ...entry, expiresAt: entry.freshUntil } : entry;
  const writeAll = (key: string, entry: CacheEntry, upTo = layers.length) =>
    Promise.all(layers.slice(0, upTo).map((layer, index) => layer.set(key, forLayer(entry, index))));
  const isStale = (entry: CacheEntry) => Date.now() >= (entry.freshUntil ?? entry.expiresAt);
  const skipped = (layer: CacheLayer) => layer.available?.() === false;

  async function find(key: string): Promise<{ entry: CacheEntry; index: number } | undefined> {
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      if (skipped(layer)) continue;
      const entry = layer.peek ? layer.peek(key) : await layer.get(key);
      if (entry) return { entry, index: i };
    }
    return undefined;
  }

  /** Serves what a layer held; starts one background refresh when it is stale. */
  function use<T>(key: string, found: { entry: CacheEntry; index: number }, load: (() => Promise<T | null>) | null, opts: LoadOptions | null, startedAt: number): T | null {
    const { entry, index } = found;
    stats.hits[layers[index]!.name] = (stats.hits[layers[index]!.name] ?? 0) + 1;
    if (index > 0 && current(key, startedAt)) void writeAll(key, entry, index);
    if (load && opts && isStale(entry)) {
      stats.staleServed++;
      refresh(key, entry, load, opts);
    }
    return entry.value as T | null;
  }

  /** A failed load keeps the last good value (absences included) and retries after `retryMs`. */
  async function keep(key: string, stale: CacheEntry, opts: LoadOptions, startedAt: number, error: unknown): Promise<void> {
    stats.refreshFailures++;
    logger?.warn({ key, err: error instanceof Error ? error.message : String(error) }, 'cache refresh failed; serving the last good value');
    const now = Date.now();
    const kept = { ...stale, freshUntil: now + retryMs, expiresAt: Math.max(stale.expiresAt, now + retryMs + (opts.staleMs ?? 0)) };
    if (current(key, startedAt)) await writeAll(key, kept);
  }

  async function recheckAbsence<T>(key: string, stale: CacheEntry, load: () => Promise<T | null>, opts: LoadOptions, startedAt: number): Promise<T | null> {
    try {
      return await loadOnce(key, load, opts, startedAt);
    } catch (error) {
      stats.staleServed++;
      await keep(key, stale, opts, startedAt, error);
      return null;
    }
  }

  function refresh<T>(key: string, stale: CacheEntry, load: () => Promise<T | null>, opts: LoadOptions): void {
    if (refreshing.has(key)) return;
    refreshing.add(key);
    stats.refreshes++;
    const startedAt = epoch;
    load()
      .then(async (value) => {
        if (current(key, startedAt)) await writeAll(key, entryFor(value, opts));
      })
      .catch((error: unknown) => keep(key, stale, opts, startedAt, error))
      .finally(() => refreshing.delete(key));
  }

  async function loadOnce<T>(key: string, load: () => Promise<T | null>, opts: LoadOptions, startedAt: number): Promise<T | null> {
    if (lease && layers.length > 1 && !skipped(layers[layers.length - 1]!)) {
      const holder = await lease.acquire(key);
      if (!holder) {
        const shared = await waitForShared(key, lease.ttlMs);
        if (shared) {
          stats.leaseWaits++;
          return use(key, { entry: shared, index: layers.length - 1 }, null, null, startedAt);
        }
      }
      try {
        // Another instance may have finished loading between our miss and our lease.
        const landed = holder ? await layers[layers.length - 1]!.get(key) : undefined;
        if (landed) return use(key, { entry: landed, index: layers.length - 1 }, null, null, startedAt);
        return await loadAndStore(key, load, opts, startedAt);
      } finally {
        if (holder) await lease.release(key);
      }
    }
    return loadAndStore(key, load, opts, startedAt);
  }

  async function loadAndStore<T>(key: string, load: () => Promise<T | null>, opts: LoadOptions, startedAt: number): Promise<T | null> {
    stats.loads++;
    let value: T | null;
    try {
      value = await load();
    } catch (error) {
      stats.loadErrors++;
      throw error;
    }
    if (current(key, startedAt)) await writeAll(key, entryFor(value, opts));
    return value;
  }

  async function waitForShared(key: string, maxMs: number): Promise<CacheEntry | undefined> {
    const shared = layers[layers.length - 1]!;
    const deadline = Date.now() + maxMs;
    // If the shared layer goes away while waiting, stop waiting and load.
    while (Date.now() < deadline && !skipped(shared)) {
      await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
      const entry = await shared.get(key);
      if (entry) return entry;
    }
    return undefined;
  }

  function peekFresh(key: string): CacheEntry | undefined {
    const first = layers[0]?.peek?.(key);
    if (!first || Date.now() >= (first.freshUntil ?? first.expiresAt)) return undefined;
    stats.hits[layers[0]!.name] = (stats.hits[layers[0]!.name] ?? 0) + 1;
    return first;
  }

  function lookup<T>(key: string, load: () => Promise<T | null>, opts: LoadOptions): Promise<T | null> {
    const pending = inFlight.get(key);
    if (pending) {
      stats.coalesced++;
      return pending as Promise<T | null>;
    }
    const startedAt = epoch;
    const promise = find(key)
      .then((found) => {
        if (!found) return loadOnce(key, load, opts, startedAt);
        if (found.entry.value === null && isStale(found.entry)) return recheckAbsence(key, found.entry, load, opts, startedAt);
        return use(key, found, load, opts, startedAt);
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  }

  return {
    layers,
    getOrLoad<T>(key: string, load: () => Promise<T | null>, opts: LoadOptions): Promise<T | null> {
      // A fresh hit in the first layer needs no promise bookkeeping at all.
      const first = peekFresh(key);
      return first ? Promise.resolve(first.value as T | null) : lookup(key, load, opts);
    },
    peekFresh,
    async get<T>(key: string): Promise<T | undefined> {
      const first = layers[0]?.peek?.(key);
      if (first) {
        stats.hits[layers[0]!.name] = (stats.hits[layers[0]!.name] ?? 0) + 1;
        return first.value as T;
      }
      // Concurrent reads of one key share one trip to the shared layer.
      const pendingKey = `get:${key}`;
      let pending = inFlight.get(pendingKey) as Promise<T | undefined> | undefined;
      if (!pending) {
        const startedAt = epoch;
        pending = find(key)
          .then((found) => (found ? (use(key, found, null, null, startedAt) as T) : undefined))
          .finally(() => inFlight.delete(pendingKey));
        inFlight.set(pendingKey, pending);
      } else stats.coalesced++;
      return pending;
    },
    async set(key, value, ttlMs) {
      await writeAll(key, entryFor(value, { ttlMs, negativeTtlMs: ttlMs }));
    },
    async invalidate(keys, scope = 'all') {
      epoch++;
      if (invalidatedAt.size + keys.length > MAX_REMEMBERED) {
        invalidatedAt.clear();
        floor = epoch;
      }
      for (const key of keys) {
        invalidatedAt.set(key, epoch);
        inFlight.delete(key);
      }
      await Promise.all((scope === 'local' ? layers.slice(0, 1) : layers).map((layer) => layer.delete(keys)));
    },
    stats: () => structuredClone(stats),
  };
}
