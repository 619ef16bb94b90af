import { OpenAPIHono, z } from '@hono/zod-openapi';
import { plans } from '../../../plans/index.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { PLAN_NAMES, planSchema } from '../../plans/plan-schema.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonResponse, PROBLEM_RESPONSES, signedInRoute } from '../route.ts';

// The schema the plan files are checked with, so the document says exactly what a plan holds.
const planView = planSchema;

const listRoute = signedInRoute({
  method: 'get',
  path: '/plans',
  operationId: 'listPlans',
  tags: ['Plans'],
  summary: 'The plans, cheapest first, with their limits and features',
  responses: { 200: jsonResponse(z.object({ items: z.array(planView) }), 'Every plan.'), ...PROBLEM_RESPONSES },
});

const readRoute = signedInRoute({
  method: 'get',
  path: '/plans/{plan}',
  operationId: 'readPlan',
  tags: ['Plans'],
  summary: 'One plan',
  request: { params: z.object({ plan: z.string().max(40).openapi({ param: { name: 'plan', in: 'path' }, example: 'starter' }) }) },
  responses: { 200: jsonResponse(planView, 'The plan.'), ...PROBLEM_RESPONSES },
});

/** Plans are data (plans/*.json), the same for every caller; a site's own overrides come with the site. */
export function plansResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(listRoute, (c) => c.json({ items: PLAN_NAMES.map((name) => plans[name]) }, 200));
  app.openapi(readRoute, (c) => {
    const name = c.req.valid('param').plan;
    const plan = (PLAN_NAMES as readonly string[]).includes(name) ? plans[name as (typeof PLAN_NAMES)[number]] : null;
    if (!plan) throw new MosaicError('NotFound', `No plan is called "${name}"; the plans are ${PLAN_NAMES.join(', ')}.`);
    return c.json(plan, 200);
  });
  return app;
}
