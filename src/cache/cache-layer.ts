/**
 * One stored value and when it stops being fresh. `value: null` records a known absence
 * (negative caching) and is an ordinary entry with a shorter life.
 */
export interface CacheEntry<T = unknown> {
  value: T | null;
  /** Absolute expiry, ms since the epoch. */
  expiresAt: number;
}

/** One level of the cache (memory, Redis). Values must be JSON-serializable. */
export interface CacheLayer {
  readonly name: string;
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
}

/** The few logger methods the cache uses (pino's shape). */
export interface CacheLogger {
  warn(obj: object, msg: string): void;
}
