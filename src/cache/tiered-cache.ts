import type { CacheEntry, CacheLayer } from './cache-layer.ts';

export interface LoadOptions {
  ttlMs: number;
  /** How long a known absence (`null`) is remembered. */
  negativeTtlMs: number;
}

export interface CacheStats {
  hits: Record<string, number>;
  loads: number;
  loadErrors: number;
  /** Calls that joined a lookup already under way for the same key. */
  coalesced: number;
}

export interface TieredCache {
  readonly layers: readonly CacheLayer[];
  /**
   * Looks through the layers in order, back-filling the earlier ones on a later hit; on a full
   * miss calls `load` once however many callers ask at the same time, and stores the result
   * (including `null`) in every layer. A failed load is not stored and fails every waiter.
   */
  getOrLoad<T>(key: string, load: () => Promise<T | null>, options: LoadOptions): Promise<T | null>;
  invalidate(keys: readonly string[]): Promise<void>;
  stats(): CacheStats;
}

export function createTieredCache(options: { layers: readonly CacheLayer[] }): TieredCache {
  const { layers } = options;
  const inFlight = new Map<string, Promise<unknown>>();
  // Bumped by every invalidation: a load that started before one must not store what it read.
  let epoch = 0;
  const stats: CacheStats = { hits: Object.fromEntries(layers.map((l) => [l.name, 0])), loads: 0, loadErrors: 0, coalesced: 0 };

  async function lookup<T>(key: string, load: () => Promise<T | null>, opts: LoadOptions): Promise<T | null> {
    const startedAt = epoch;
    for (let i = 0; i < layers.length; i++) {
      const entry = await layers[i]!.get(key);
      if (!entry) continue;
      stats.hits[layers[i]!.name] = (stats.hits[layers[i]!.name] ?? 0) + 1;
      if (startedAt === epoch) await Promise.all(layers.slice(0, i).map((layer) => layer.set(key, entry)));
      return entry.value as T | null;
    }
    stats.loads++;
    let value: T | null;
    try {
      value = await load();
    } catch (error) {
      stats.loadErrors++;
      throw error;
    }
    if (startedAt !== epoch) return value;
    const entry: CacheEntry = { value, expiresAt: Date.now() + (value === null ? opts.negativeTtlMs : opts.ttlMs) };
    await Promise.all(layers.map((layer) => layer.set(key, entry)));
    return value;
  }

  return {
    layers,
    getOrLoad<T>(key: string, load: () => Promise<T | null>, opts: LoadOptions): Promise<T | null> {
      const pending = inFlight.get(key);
      if (pending) {
        stats.coalesced++;
        return pending as Promise<T | null>;
      }
      const promise = lookup(key, load, opts).finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
    async invalidate(keys) {
      epoch++;
      for (const key of keys) inFlight.delete(key);
      await Promise.all(layers.map((layer) => layer.delete(keys)));
    },
    stats: () => structuredClone(stats),
  };
}
