import { describe, expect, test } from 'vitest';
import { plans } from '../../plans/index.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import { PLAN_NAMES, type PlanLimit } from '../../src/plans/plan-schema.ts';
import { assertFeature, assertWithinLimit, planLifting, resolvePlan, sectionAllowed } from '../../src/plans/resolve-plan.ts';

const caught = (work: () => void) => {
  try {
    work();
    return null;
  } catch (error) {
    return isMosaicError(error) ? { code: error.code, message: error.message, extensions: error.extensions } : error;
  }
};

describe('plans', () => {
  test('each file names itself, and each plan allows at least what the cheaper one does', () => {
    for (const name of PLAN_NAMES) expect(plans[name].name).toBe(name);
    for (let i = 1; i < PLAN_NAMES.length; i++) {
      const [cheaper, dearer] = [plans[PLAN_NAMES[i - 1]!], plans[PLAN_NAMES[i]!]];
      for (const limit of Object.keys(cheaper.limits) as PlanLimit[]) {
        const [a, b] = [cheaper.limits[limit], dearer.limits[limit]];
        expect(b === null || (a !== null && b >= a), `${dearer.name}.${limit}`).toBe(true);
      }
      for (const [feature, on] of Object.entries(cheaper.features)) if (on) expect(dearer.features[feature as keyof typeof cheaper.features]).toBe(true);
    }
  });

  test('a tenant override changes one limit or feature and nothing else', () => {
    const plan = resolvePlan('starter', { limits: { pages: 40 }, features: { removeBranding: true } });
    expect(plan.limits).toEqual({ ...plans.starter.limits, pages: 40 });
    expect(plan.features).toEqual({ ...plans.starter.features, removeBranding: true });
    expect(plan.overridden).toBe(true);
    expect(resolvePlan('starter', {}).overridden).toBe(false);
    // A stored override that no longer parses is ignored, not fatal.
    expect(resolvePlan('free', { limits: { pages: 'many' } }).limits.pages).toBe(plans.free.limits.pages);
  });

  test('a limit reached names the limit, the plan and the plan that lifts it', () => {
    const free = resolvePlan('free', {});
    expect(caught(() => assertWithinLimit(free, 'pages', plans.free.limits.pages!))).toBeNull();
    expect(caught(() => assertWithinLimit(free, 'pages', plans.free.limits.pages! + 1))).toEqual({
      code: 'PlanLimitReached',
      message: `The Free plan allows ${plans.free.limits.pages} pages; the Starter plan allows more.`,
      extensions: { limit: 'pages', allowed: plans.free.limits.pages, plan: 'free', liftedBy: 'starter' },
    });
    expect(planLifting('pages', 1000)).toBe('enterprise');
    expect(caught(() => assertWithinLimit(resolvePlan('enterprise', {}), 'pages', 1_000_000))).toBeNull();
  });

  test('a missing feature names the plan that has it', () => {
    expect(caught(() => assertFeature(resolvePlan('free', {}), 'customDomains'))).toMatchObject({
      code: 'PlanFeatureMissing',
      extensions: { feature: 'customDomains', plan: 'free', liftedBy: 'starter' },
    });
    expect(caught(() => assertFeature(resolvePlan('free', { features: { customDomains: true } }), 'customDomains'))).toBeNull();
  });

  test('sections that need a feature are left out of plans without it', () => {
    expect(sectionAllowed(resolvePlan('free', {}), 'blog')).toBe(false);
    expect(sectionAllowed(resolvePlan('free', {}), 'hero')).toBe(true);
    expect(sectionAllowed(resolvePlan('starter', {}), 'blog')).toBe(true);
  });
});
