import { LRUCache } from 'lru-cache';

/**
 * A fixed-window count of form submissions per (tenant, client address), so one visitor cannot
 * flood a tenant's inbox. In memory: each instance counts its own share.
 */
export function createSubmissionLimiter(options: { max: number; windowMs: number }) {
  const windows = new LRUCache<string, { count: number }>({ max: 50_000, ttl: options.windowMs });
  return {
    /** Counts one attempt; false when the window's allowance is used up. */
    allow(tenantId: string, client: string): boolean {
      const key = `${tenantId}|${client}`;
      const window = windows.get(key);
      if (!window) {
        windows.set(key, { count: 1 });
        return true;
      }
      window.count += 1;
      return window.count <= options.max;
    },
    retryAfterSeconds: Math.ceil(options.windowMs / 1000),
  };
}
