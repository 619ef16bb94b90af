import { LRUCache } from 'lru-cache';
import { RETIRED, type CacheEntry, type CacheLayer } from './cache-layer.ts';

export interface MemoryLayer extends CacheLayer {
  peek(key: string): CacheEntry | undefined;
  /** Drops every key that starts with `prefix` (rare: a tenant changed). */
  deletePrefix(prefix: string): number;
  /** Drops every key that passes `test` (rare: after a gap in the change log). */
  deleteWhere(test: (key: string) => boolean): number;
  clear(): void;
  /** Drops expired entries, which are otherwise only dropped when read or pushed out. */
  purgeStale(): boolean;
  readonly size: number;
  readonly bytes: number;
}

/** The LRU node, the entry object and its expiry, per entry. */
export const ENTRY_OVERHEAD = 256;

/**
 * Bytes an entry keeps alive, estimated from its JSON: parsed objects take 1.3–2 times their
 * compact JSON on the heap (measured on tenant records, compositions and post lists), so twice.
 */
export function entrySize(entry: CacheEntry, key: string): number {
  return 2 * Buffer.byteLength(JSON.stringify(entry.value) ?? '') + key.length + ENTRY_OVERHEAD;
}

/** In-process layer, bounded by entry count and by the memory its entries hold (see `entrySize`). */
export function createMemoryLayer(options: { maxEntries: number; maxBytes: number }): MemoryLayer {
  const lru = new LRUCache<string, CacheEntry>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: entrySize,
    // Memos that skip the LRU (see `createKnownSites`) learn here that an entry they hold is gone.
    dispose: (entry) => {
      entry[RETIRED] = true;
    },
  });
  return {
    name: 'memory',
    async get(key) {
      return this.peek(key);
    },
    peek(key) {
      const entry = lru.get(key);
      if (entry && entry.expiresAt <= Date.now()) {
        lru.delete(key);
        return undefined;
      }
      return entry;
    },
    async set(key, entry) {
      const ttl = entry.expiresAt - Date.now();
      if (ttl <= 0) return;
      // An entry object held again (a back-fill) is current once more.
      if (entry[RETIRED]) delete entry[RETIRED];
      lru.set(key, entry, { ttl });
    },
    async delete(keys) {
      for (const key of keys) lru.delete(key);
    },
    deletePrefix(prefix) {
      return this.deleteWhere((key) => key.startsWith(prefix));
    },
    deleteWhere(test) {
      let dropped = 0;
      for (const key of [...lru.keys()]) {
        if (test(key)) dropped += lru.delete(key) ? 1 : 0;
      }
      return dropped;
    },
    clear: () => lru.clear(),
    purgeStale: () => lru.purgeStale(),
    get size() {
      return lru.size;
    },
    get bytes() {
      return lru.calculatedSize;
    },
  };
}
