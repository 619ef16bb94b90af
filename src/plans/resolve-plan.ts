import { plans } from '../../plans/index.ts';
import { MosaicError } from '../errors/catalog.ts';
import { PLAN_NAMES, planOverridesSchema, type Plan, type PlanFeature, type PlanLimit, type PlanName } from './plan-schema.ts';

/** A tenant's plan with its per-tenant overrides applied: what the operations enforce. */
export interface ResolvedPlan extends Plan {
  /** True when a platform admin changed a limit or feature for this tenant. */
  overridden: boolean;
}

export function resolvePlan(name: PlanName, overrides: unknown): ResolvedPlan {
  const base = plans[name];
  const parsed = planOverridesSchema.safeParse(overrides ?? {});
  // Overrides are validated on write; a stored value that no longer parses is ignored, not fatal.
  const o = parsed.success ? parsed.data : {};
  return {
    ...base,
    limits: { ...base.limits, ...o.limits },
    features: { ...base.features, ...o.features },
    overridden: Object.keys(o.limits ?? {}).length + Object.keys(o.features ?? {}).length > 0,
  };
}

/**
 * The cheapest plan whose own limit allows `wanted`, to name in an error; null when none does.
 * `current` is left out: a tenant whose limit was lowered by an override needs another plan.
 */
export function planLifting(limit: PlanLimit, wanted: number, current?: PlanName): PlanName | null {
  return PLAN_NAMES.find((name) => {
    if (name === current) return false;
    const value = plans[name].limits[limit];
    return value === null || value >= wanted;
  }) ?? null;
}

export function planWithFeature(feature: PlanFeature): PlanName | null {
  return PLAN_NAMES.find((name) => plans[name].features[feature]) ?? null;
}

/**
 * Refuses (`PlanLimitReached`, 402) when holding `wanted` of something would pass the plan's
 * limit; the error names the limit, the plan, and the plan that lifts it.
 */
export function assertWithinLimit(plan: ResolvedPlan, limit: PlanLimit, wanted: number): void {
  const allowed = plan.limits[limit];
  if (allowed === null || wanted <= allowed) return;
  const liftedBy = planLifting(limit, wanted, plan.name);
  throw new MosaicError(
    'PlanLimitReached',
    `The ${plan.label} plan allows ${allowed} ${LIMIT_WORDS[limit]}${liftedBy ? `; the ${plans[liftedBy].label} plan allows more` : ''}.`,
    [],
    { limit, allowed, plan: plan.name, liftedBy },
  );
}

/** Refuses (`PlanFeatureMissing`, 403) what the plan lacks, naming the plan that has it. */
export function assertFeature(plan: ResolvedPlan, feature: PlanFeature): void {
  if (plan.features[feature]) return;
  const liftedBy = planWithFeature(feature);
  throw new MosaicError(
    'PlanFeatureMissing',
    `The ${plan.label} plan does not include ${FEATURE_WORDS[feature]}${liftedBy ? `; the ${plans[liftedBy].label} plan does` : ''}.`,
    [],
    { feature, plan: plan.name, liftedBy },
  );
}

/** Section types that need a feature; the registry palette leaves them out of plans without it. */
export const SECTION_FEATURES: Readonly<Record<string, PlanFeature>> = { blog: 'blog', contact: 'contactForm' };

export function sectionAllowed(plan: ResolvedPlan, sectionType: string): boolean {
  const feature = SECTION_FEATURES[sectionType];
  return feature === undefined || plan.features[feature];
}

const LIMIT_WORDS: Record<PlanLimit, string> = {
  pages: 'pages',
  posts: 'posts',
  mediaBytes: 'bytes of media',
  members: 'members',
  customDomains: 'custom domains',
  apiKeys: 'API keys',
  formMessagesPerDay: 'form messages a day',
  originRequestsPerSecond: 'uncached requests a second',
};

const FEATURE_WORDS: Record<PlanFeature, string> = {
  customDomains: 'custom domains',
  blog: 'a blog',
  contactForm: 'a contact form',
  apiAccess: 'API access',
  removeBranding: 'removing the "Made with Mosaic" line',
  scheduling: 'scheduled publishing',
};
