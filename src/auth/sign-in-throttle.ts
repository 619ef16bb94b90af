import { createHash } from 'node:crypto';
import { createFixedWindow, type LimiterRedis } from '../limits/shared-counter.ts';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { MosaicError } from '../errors/catalog.ts';

export interface ThrottleLimits {
  /** Failed sign-ins per email before it is held back, and for how long (seconds). */
  perEmail: { failures: number; windowSeconds: number };
  /** Failed sign-ins per client address (every email counts), and the window. */
  perAddress: { failures: number; windowSeconds: number };
  /** Password-reset mails per email, so nobody can flood an inbox. */
  resetsPerEmail: { requests: number; windowSeconds: number };
}

export const DEFAULT_LIMITS: ThrottleLimits = {
  perEmail: { failures: 5, windowSeconds: 15 * 60 },
  perAddress: { failures: 50, windowSeconds: 60 * 60 },
  resetsPerEmail: { requests: 3, windowSeconds: 60 * 60 },
};

export interface SignInThrottle {
  /** Throws `RateLimited` (with `retryAfterSeconds`) when the email or the address has failed too often. */
  check(email: string, address: string | null): Promise<void>;
  /** Counts one failure against both. */
  failed(email: string, address: string | null): Promise<void>;
  /** A success clears the email's failures (the address keeps its count). */
  succeeded(email: string): Promise<void>;
  /** Counts one reset request for the email; false once its allowance is used up. */
  allowReset(email: string): Promise<boolean>;
}

/**
 * Sign-in throttling on fixed windows (`createFixedWindow`). With Redis, counts are shared by every
 * instance, and an in-memory limiter takes over while Redis fails (each instance then counts its
 * own); without Redis, memory only. Emails are hashed in keys so Redis never holds an address book.
 */
export function createSignInThrottle(options: { redis: LimiterRedis | null; prefix: string; limits?: ThrottleLimits }): SignInThrottle {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // `wait`: a client that queues commands lets a sign-in wait for a connecting Redis. The server's
  // connection queues none (enableOfflineQueue off), so there memory counts at once meanwhile.
  const limiter = (name: string, points: number, durationSeconds: number): RateLimiterAbstract =>
    createFixedWindow({ name, points, durationSeconds, redis: options.redis, prefix: options.prefix }, 'wait');
  const byEmail = limiter('signin:email', limits.perEmail.failures, limits.perEmail.windowSeconds);
  const byAddress = limiter('signin:address', limits.perAddress.failures, limits.perAddress.windowSeconds);
  const resets = limiter('reset:email', limits.resetsPerEmail.requests, limits.resetsPerEmail.windowSeconds);

  return {
    async check(email, address) {
      const waits = await Promise.all([
        heldFor(byEmail, emailKey(email), limits.perEmail.failures),
        address ? heldFor(byAddress, address, limits.perAddress.failures) : 0,
      ]);
      const wait = Math.max(...waits);
      if (wait > 0) {
        throw new MosaicError('RateLimited', `Too many failed sign-ins. Try again in ${wait} seconds.`, [], { retryAfterSeconds: wait });
      }
    },
    async failed(email, address) {
      await Promise.all([spend(byEmail, emailKey(email)), address ? spend(byAddress, address) : null]);
    },
    async succeeded(email) {
      await byEmail.delete(emailKey(email));
    },
    async allowReset(email) {
      return (await spend(resets, emailKey(email))) !== 'refused';
    },
  };
}

/** Seconds until the key may try again; 0 when it may now. */
async function heldFor(limiter: RateLimiterAbstract, key: string, allowed: number): Promise<number> {
  const state = await limiter.get(key);
  if (!state || state.consumedPoints < allowed) return 0;
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

async function spend(limiter: RateLimiterAbstract, key: string): Promise<'counted' | 'refused'> {
  try {
    await limiter.consume(key);
    return 'counted';
  } catch (rejection) {
    // A RateLimiterRes means "over the limit"; anything else is a store failure the insurance did not absorb.
    if (isLimiterResult(rejection)) return 'refused';
    throw rejection;
  }
}

const isLimiterResult = (value: unknown): value is RateLimiterRes => typeof value === 'object' && value !== null && 'msBeforeNext' in value;

const emailKey = (email: string): string => createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
