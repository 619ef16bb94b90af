import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { MiddlewareHandler } from 'hono';
import { MosaicError } from '../errors/catalog.ts';
import type { LimiterRedis } from '../forms/submission-limiter.ts';
import type { ApiEnv, Caller } from './api-env.ts';

/** Admin API calls per minute, counted per API key, per person, or per anonymous client address. */
export interface ApiRateLimit {
  readonly perMinute: number;
  /** Counts one call for `key`; the seconds to wait when its allowance is used up, else 0. */
  consume(key: string): Promise<number>;
}

/**
 * With Redis every instance shares one count per key (rate-limiter-flexible's atomic counter),
 * and an in-memory limiter takes over while Redis fails; without Redis, memory only.
 */
export function createApiRateLimit(options: { perMinute: number; redis: LimiterRedis | null; prefix: string }): ApiRateLimit {
  const memory = new RateLimiterMemory({ keyPrefix: 'api', points: options.perMinute, duration: 60 });
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: `${options.prefix}api`,
        points: options.perMinute,
        duration: 60,
        insuranceLimiter: memory,
        rejectIfRedisNotReady: true,
      })
    : memory;
  return {
    perMinute: options.perMinute,
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

/** The budget a call spends from: its key's, its person's, or its client address's when anonymous. */
export function rateLimitKey(caller: Caller | null, clientAddress: string | null): string {
  if (caller?.actor.kind === 'api-key') return `key:${caller.actor.keyId}`;
  if (caller?.actor.kind === 'user') return `user:${caller.actor.userId}`;
  return `addr:${clientAddress ?? 'unknown'}`;
}

/** Runs after `authenticate`: `429` with `Retry-After` once the caller's allowance is spent. */
export function rateLimit(limit: ApiRateLimit): MiddlewareHandler<ApiEnv> {
  return async function limitCalls(c, next) {
    const wait = await limit.consume(rateLimitKey(c.get('caller'), c.env.clientAddress));
    if (wait > 0) throw new MosaicError('RateLimited', `Too many calls. Try again in ${wait} seconds.`, [], { retryAfterSeconds: wait });
    await next();
  };
}
