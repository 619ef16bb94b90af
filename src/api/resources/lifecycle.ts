import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  LIFECYCLE_OPERATIONS,
  readTenantLifecycle,
  setTrial,
  TRANSITION_NAMES,
  TRANSITIONS,
  type TransitionName,
} from '../../operations/tenants/tenant-lifecycle.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const lifecycleSchema = z
  .object({
    slug: z.string(),
    phase: z.enum(['trial', 'active', 'suspended', 'cancelled', 'deleted']),
    status: z.string(),
    trialEndsAt: z.string().nullable(),
    deletedAt: z.string().nullable(),
    changed: z.boolean(),
  })
  .openapi('TenantLifecycle');

const SUMMARIES: Record<TransitionName, string> = {
  activate: 'End a trial: the site becomes active',
  suspend: 'Suspend a site: visitors get 503, members read only',
  resume: 'Resume a suspended site',
  cancel: 'Cancel a site: visitors get 410, members read only',
  delete: 'Delete a site (restorable until the retention period ends, then purged)',
  restore: 'Restore a deleted site',
};

const transitionRoute = (name: TransitionName) =>
  signedInRoute({
    method: 'post',
    path: `/platform/tenants/{tenant}/${name}`,
    operationId: `${name}Tenant`,
    tags: ['Platform'],
    summary: SUMMARIES[name],
    description: `From ${TRANSITIONS[name].from.join(', ')}. A site already there answers with \`changed: false\`; any other phase is \`409\`.`,
    request: { params: tenantParams },
    responses: { 200: jsonResponse(lifecycleSchema, 'Where the site is now.'), ...PROBLEM_RESPONSES },
  });

const trialBody = setTrial.input.omit({ slug: true });

const trialRoute = signedInRoute({
  method: 'put',
  path: '/platform/tenants/{tenant}/trial',
  operationId: 'setTenantTrial',
  tags: ['Platform'],
  summary: 'Put a site on trial until a date',
  description: 'The job runner suspends it when the date passes, unless it is made active first.',
  request: { params: tenantParams, body: jsonBody(trialBody, { endsAt: '2030-01-31T00:00:00Z' }) },
  responses: { 200: jsonResponse(lifecycleSchema, 'On trial.'), ...PROBLEM_RESPONSES },
});

const readRoute = signedInRoute({
  method: 'get',
  path: '/platform/tenants/{tenant}/lifecycle',
  operationId: 'readTenantLifecycle',
  tags: ['Platform'],
  summary: 'Where a site is in its life cycle (deleted sites included)',
  request: { params: tenantParams },
  responses: { 200: jsonResponse(lifecycleSchema, 'The phase and its dates.'), ...PROBLEM_RESPONSES },
});

/** A site's life cycle, for platform staff: trial, active, suspended, cancelled, deleted. */
export function lifecycleResource() {
  const app = new OpenAPIHono<ApiEnv>();
  for (const name of TRANSITION_NAMES) {
    app.openapi(transitionRoute(name), async (c) => c.json(await run(c, LIFECYCLE_OPERATIONS[name], { slug: c.req.valid('param').tenant }), 200));
  }
  app.openapi(trialRoute, async (c) => c.json(await run(c, setTrial, { ...c.req.valid('json'), slug: c.req.valid('param').tenant }), 200));
  app.openapi(readRoute, async (c) => c.json(await run(c, readTenantLifecycle, { slug: c.req.valid('param').tenant }), 200));
  return app;
}
