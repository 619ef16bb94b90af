/**
 * Set by the memory layer on an entry it no longer holds for its key (replaced, deleted, evicted,
 * expired): whoever remembered the entry object must look it up again. A symbol, so it is never
 * written to Redis with the entry's JSON.
 */
export const RETIRED = Symbol('retired');

/**
 * One stored value and when it stops being fresh. `value: null` records a known absence
 * (negative caching) and is an ordinary entry with a shorter life.
 */
export interface CacheEntry<T = unknown> {
  value: T | null;
  /** Until then the value is served as is (ms since the epoch); absent means until `expiresAt`. */
  freshUntil?: number;
  /** After this the entry is gone (ms since the epoch). Between the two it is served stale while it refreshes. */
  expiresAt: number;
  [RETIRED]?: true;
}

/** One level of the cache (memory, Redis). Values must be JSON-serializable. */
export interface CacheLayer {
  readonly name: string;
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  /** A synchronous read, for layers in this process; lets a hit skip a promise. */
  peek?(key: string): CacheEntry | undefined;
  /** False while the layer is known to be unreachable (Redis down): lookups skip it instead of waiting. */
  available?(): boolean;
}

/** The few logger methods the cache uses (pino's shape). */
export interface CacheLogger {
  warn(obj: object, msg: string): void;
}
