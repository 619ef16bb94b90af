import { z } from 'zod';

// A plan is data (`plans/<name>.json`): what a site may hold and do. `null` means no limit.

const count = z.number().int().nonnegative().nullable();

export const PLAN_NAMES = ['free', 'starter', 'pro', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export const planLimitsSchema = z.strictObject({
  pages: count,
  posts: count,
  mediaBytes: count,
  members: count,
  customDomains: count,
  apiKeys: count,
  formMessagesPerDay: count,
  /** Origin work (page-cache misses, form posts, admin API calls) per second, per tenant. */
  originRequestsPerSecond: z.number().positive().nullable(),
});

export const planFeaturesSchema = z.strictObject({
  customDomains: z.boolean(),
  blog: z.boolean(),
  contactForm: z.boolean(),
  apiAccess: z.boolean(),
  /** Without it, pages carry a small "Made with Mosaic" line. */
  removeBranding: z.boolean(),
  scheduling: z.boolean(),
});

export const planSchema = z.strictObject({
  name: z.enum(PLAN_NAMES),
  label: z.string().min(1).max(60),
  description: z.string().max(300),
  limits: planLimitsSchema,
  features: planFeaturesSchema,
});

/** What a platform admin may change for one tenant: any limit or feature, nothing else. */
export const planOverridesSchema = z.strictObject({
  limits: planLimitsSchema.partial().optional(),
  features: planFeaturesSchema.partial().optional(),
});

export type Plan = z.infer<typeof planSchema>;
export type PlanLimits = z.infer<typeof planLimitsSchema>;
export type PlanFeatures = z.infer<typeof planFeaturesSchema>;
export type PlanOverrides = z.infer<typeof planOverridesSchema>;
export type PlanLimit = keyof PlanLimits;
export type PlanFeature = keyof PlanFeatures;
