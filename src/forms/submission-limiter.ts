import { isIPv6 } from 'node:net';
import { LRUCache } from 'lru-cache';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimiterRedis } from '../limits/shared-counter.ts';
import type { Logger } from '../log/logger.ts';

/** How many form submissions one client may make to one tenant, and in what window. */
export interface SubmissionLimits {
  max: number;
  windowSeconds: number;
}

export interface SubmissionLimiter {
  /** Counts one attempt; resolves with the seconds to wait when the allowance is used up, else 0. */
  consume(tenantId: string, client: string): Promise<number>;
}

/**
 * Per (tenant, client) counts. With Redis the count is shared by every instance
 * (rate-limiter-flexible's atomic counter); while Redis is unreachable, and without Redis, each
 * instance counts in a bounded in-memory window of its own. Not `createFixedWindow`
 * (src/limits/shared-counter.ts): its memory insurance has no bound on the number of clients, and
 * a fall-back to memory here is logged.
 */
export function createSubmissionLimiter(options: SubmissionLimits & { redis: LimiterRedis | null; prefix: string; logger: Logger }): SubmissionLimiter {
  const memory = createMemoryWindows(options);
  if (!options.redis) return { consume: async (tenantId, client) => memory(keyOf(tenantId, client)) };
  const shared = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.prefix}forms`,
    points: options.max,
    duration: options.windowSeconds,
    // A Redis that is not ready is skipped at once instead of queueing the request.
    rejectIfRedisNotReady: true,
  });
  return {
    async consume(tenantId, client) {
      const key = keyOf(tenantId, client);
      try {
        await shared.consume(key);
        return 0;
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
        options.logger.warn({ err: outcome instanceof Error ? outcome.message : String(outcome) }, 'form limiter: Redis unavailable, counting in memory');
        return memory(key);
      }
    },
  };
}

/** Fixed windows in an LRU, so a flood of distinct clients cannot grow memory without bound. */
function createMemoryWindows(limits: SubmissionLimits): (key: string) => number {
  const windows = new LRUCache<string, { count: number; ends: number }>({ max: 50_000, ttl: limits.windowSeconds * 1000 });
  return (key) => {
    const now = Date.now();
    const window = windows.get(key);
    if (!window) {
      windows.set(key, { count: 1, ends: now + limits.windowSeconds * 1000 });
      return 0;
    }
    window.count += 1;
    return window.count <= limits.max ? 0 : Math.max(1, Math.ceil((window.ends - now) / 1000));
  };
}

// One IPv6 client usually holds a whole /64; counting per address would let it rotate freely.
function keyOf(tenantId: string, client: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(client);
  if (mapped) return `${tenantId}|${mapped[1]}`;
  if (!isIPv6(client)) return `${tenantId}|${client}`;
  const groups = expandIPv6(client.split('%')[0]!).slice(0, 4);
  return `${tenantId}|${groups.join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const fill = address.includes('::') ? Array(Math.max(0, 8 - left.length - right.length)).fill('0') : [];
  return [...left, ...fill, ...right].map((g) => g.toLowerCase());
}
