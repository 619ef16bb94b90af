import { LRUCache } from 'lru-cache';
import type { Logger } from '../log/logger.ts';
import { resolvePlan } from '../plans/resolve-plan.ts';
import { originBudgetKey } from '../site/cache-keys.ts';
import type { TenantRecord } from '../site/site-types.ts';
import { createSharedCounter, type LimiterRedis, type SharedCounter } from './shared-counter.ts';

/** Where a tenant costs the platform work: a page render, a contact-form post, an admin API call. */
export type OriginWork = 'render' | 'form' | 'api';

export type OriginTenant = Pick<TenantRecord, 'id' | 'plan' | 'planOverrides'>;

export interface OriginLimit {
  /**
   * Counts one piece of origin work for the tenant; the whole seconds to wait when its budget is
   * spent, else 0. Never throws: a store failure lets the work through.
   */
  consume(tenant: OriginTenant, work: OriginWork): Promise<number>;
}

/** One window of a tenant's budget: `points` pieces of work per `durationSeconds`. */
export interface OriginBudget {
  points: number;
  durationSeconds: number;
}

/**
 * A rate of `perSecond` as a fixed window: `burstSeconds` worth of the rate may be spent at once,
 * and the window is as long as that takes to earn, so the average stays at or below the rate.
 * A rate under one per window gets one piece of work per longer window.
 */
export function originBudget(perSecond: number, burstSeconds: number): OriginBudget {
  const points = Math.max(1, Math.ceil(perSecond * burstSeconds));
  return { points, durationSeconds: Math.max(1, Math.ceil(points / perSecond)) };
}

export interface OriginLimitOptions {
  burstSeconds: number;
  redis: LimiterRedis | null;
  prefix: string;
  logger: Pick<Logger, 'warn'>;
  /** One call per decision; labels carry no tenant, so their number stays fixed. */
  onOutcome?: (work: OriginWork, outcome: 'allowed' | 'limited') => void;
}

/**
 * The per-tenant limit of `originRequestsPerSecond` (plan, then the tenant's override), shared
 * by every instance through Redis; each instance counts on its own while Redis is down or absent.
 */
export function createOriginLimit(options: OriginLimitOptions): OriginLimit {
  // Tenant records are cached objects: the plan is resolved once per record, not per request.
  const rates = new WeakMap<OriginTenant, number | null>();
  // One counter per distinct budget; plans give a handful, overrides a few more.
  const counters = new LRUCache<string, SharedCounter>({ max: 256 });

  const rateOf = (tenant: OriginTenant): number | null => {
    let rate = rates.get(tenant);
    if (rate === undefined) {
      rate = resolvePlan(tenant.plan, tenant.planOverrides).limits.originRequestsPerSecond;
      rates.set(tenant, rate);
    }
    return rate;
  };
  const counterFor = (budget: OriginBudget): SharedCounter => {
    const name = `origin${budget.points}/${budget.durationSeconds}:`;
    let counter = counters.get(name);
    if (!counter) {
      counter = createSharedCounter({ name, ...budget, redis: options.redis, prefix: options.prefix });
      counters.set(name, counter);
    }
    return counter;
  };

  return {
    async consume(tenant, work) {
      const rate = rateOf(tenant);
      if (rate === null) return 0;
      let wait = 0;
      try {
        wait = await counterFor(originBudget(rate, options.burstSeconds)).consume(originBudgetKey(tenant.id));
      } catch (error) {
        options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'origin limit: count failed, work let through');
      }
      options.onOutcome?.(work, wait > 0 ? 'limited' : 'allowed');
      return wait;
    },
  };
}

/** For ORIGIN_LIMITS=off: every piece of work goes through, uncounted. */
export const UNLIMITED_ORIGIN: OriginLimit = { consume: async () => 0 };
