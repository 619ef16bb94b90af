import { LRUCache } from 'lru-cache';
import type { CacheEntry, CacheLayer } from './cache-layer.ts';

export interface MemoryLayer extends CacheLayer {
  peek(key: string): CacheEntry | undefined;
  /** Drops every key that starts with `prefix` (rare: a tenant changed). */
  deletePrefix(prefix: string): number;
  /** Drops every key that passes `test` (rare: after a gap in the change log). */
  deleteWhere(test: (key: string) => boolean): number;
  clear(): void;
  readonly size: number;
  readonly bytes: number;
}

/** In-process layer, bounded by entry count and by the UTF-8 size of the stored JSON. */
export function createMemoryLayer(options: { maxEntries: number; maxBytes: number }): MemoryLayer {
  const lru = new LRUCache<string, CacheEntry>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: (entry, key) => Math.max(1, Buffer.byteLength(JSON.stringify(entry.value)) + key.length),
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
      if (ttl > 0) lru.set(key, entry, { ttl });
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
    get size() {
      return lru.size;
    },
    get bytes() {
      return lru.calculatedSize;
    },
  };
}
