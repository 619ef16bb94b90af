import { planSchema, type Plan, type PlanName } from '../src/plans/plan-schema.ts';
import enterprise from './enterprise.json' with { type: 'json' };
import free from './free.json' with { type: 'json' };
import pro from './pro.json' with { type: 'json' };
import starter from './starter.json' with { type: 'json' };

/** The plans, cheapest first; each file is checked against the schema when this module loads. */
export const plans: Readonly<Record<PlanName, Plan>> = {
  free: planSchema.parse(free),
  starter: planSchema.parse(starter),
  pro: planSchema.parse(pro),
  enterprise: planSchema.parse(enterprise),
};
