import type { MiddlewareHandler } from 'hono';
import { MosaicError } from '../errors/catalog.ts';
import type { OriginLimit, OriginTenant } from '../limits/origin-limit.ts';
import { createSharedCounter, type LimiterRedis } from '../limits/shared-counter.ts';
import type { ApiEnv, Caller } from './api-env.ts';

/** Admin API calls per minute, counted per API key, per person, or per anonymous client address. */
export interface ApiRateLimit {
  readonly perMinute: number;
  /** Counts one call for `key`; the seconds to wait when its allowance is used up, else 0. */
  consume(key: string): Promise<number>;
}

/** Shared by every instance through Redis (see `createSharedCounter`); memory only without it. */
export function createApiRateLimit(options: { perMinute: number; redis: LimiterRedis | null; prefix: string }): ApiRateLimit {
  const counter = createSharedCounter({ name: 'api', points: options.perMinute, durationSeconds: 60, redis: options.redis, prefix: options.prefix });
  return { perMinute: options.perMinute, consume: (key) => counter.consume(key) };
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

/** Finds the site a path's `{tenant}` names, or null; a cached lookup. */
export type TenantBySlug = (slug: string) => Promise<OriginTenant | null>;

/**
 * Runs after `rateLimit` on `/tenants/{tenant}/…`: a signed-in caller's call also spends that
 * site's origin budget (`originRequestsPerSecond`), whoever makes it. Anonymous calls spend
 * nothing (they are refused anyway), so no one can use up a site's budget without a credential.
 */
export function siteBudget(limit: OriginLimit, tenantBySlug: TenantBySlug): MiddlewareHandler<ApiEnv> {
  return async function spendSiteBudget(c, next) {
    const slug = c.req.param('tenant');
    const tenant = slug && c.get('caller') ? await tenantBySlug(slug) : null;
    const wait = tenant ? await limit.consume(tenant, 'api') : 0;
    if (wait > 0) throw new MosaicError('SiteRateLimited', `This site has made too many calls for its plan. Try again in ${wait} seconds.`, [], { retryAfterSeconds: wait });
    await next();
  };
}
