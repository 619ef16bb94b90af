import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The slice of ioredis that rate-limiter-flexible uses (it checks `status` to fail fast). */
export interface LimiterRedis {
  status: string;
  multi(): unknown;
  eval(...args: unknown[]): unknown;
}

/** A fixed-window count per key: `points` allowed in each window of `durationSeconds`. */
export interface SharedCounter {
  /** Counts one for `key`; the whole seconds to wait when its allowance is used up, else 0. */
  consume(key: string): Promise<number>;
}

export interface SharedCounterOptions {
  /** Part of every Redis key, so counters of different kinds never mix. */
  name: string;
  points: number;
  durationSeconds: number;
  redis: LimiterRedis | null;
  prefix: string;
}

/**
 * The fixed window behind a counter, for callers that need more than `consume` (the sign-in
 * throttle peeks and clears): with Redis one count per key shared by every instance
 * (rate-limiter-flexible's atomic script, one round trip), and an in-memory count of this
 * instance's own takes over while Redis fails; without Redis, memory only. `whileConnecting`:
 * `insure` counts in memory at once while Redis is not ready, `wait` lets the command wait for it.
 */
export function createFixedWindow(options: SharedCounterOptions, whileConnecting: 'insure' | 'wait' = 'insure'): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: options.name, points: options.points, duration: options.durationSeconds });
  if (!options.redis) return memory;
  return new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `${options.prefix}${options.name}`,
    points: options.points,
    duration: options.durationSeconds,
    insuranceLimiter: memory,
    rejectIfRedisNotReady: whileConnecting === 'insure',
  });
}

/** A shared counter on a fixed window (see `createFixedWindow`); memory takes over at once while Redis is not ready. */
export function createSharedCounter(options: SharedCounterOptions): SharedCounter {
  const limiter = createFixedWindow(options);
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
        throw outcome;
      }
    },
  };
}
