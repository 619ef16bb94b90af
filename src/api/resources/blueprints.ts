import { OpenAPIHono, z } from '@hono/zod-openapi';
import { catalog } from '../../../registry/catalog.ts';
import { cachedBlueprint } from '../../operations/tenants/blueprint-cache.ts';
import { listBlueprints } from '../../tenants/blueprints.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonResponse, PROBLEM_RESPONSES, signedInRoute } from '../route.ts';

const kindSchema = z.enum(['blueprint', 'demo']);
const blueprintSchema = z
  .object({
    name: z.string(),
    kind: kindSchema,
    plan: z.string(),
    theme: z.object({ preset: z.string(), overrides: z.record(z.string(), z.unknown()) }),
    pages: z.array(z.string()),
    posts: z.number().int(),
  })
  .openapi('Blueprint');

const listRoute = signedInRoute({
  method: 'get',
  path: '/blueprints',
  operationId: 'listBlueprints',
  tags: ['Blueprints'],
  summary: 'Starting points for new sites: blueprints/ and the demo sites',
  responses: { 200: jsonResponse(z.object({ items: z.array(z.object({ name: z.string(), kind: kindSchema })) }), 'Every blueprint, by name.'), ...PROBLEM_RESPONSES },
});

const readRoute = signedInRoute({
  method: 'get',
  path: '/blueprints/{name}',
  operationId: 'readBlueprint',
  tags: ['Blueprints'],
  summary: 'One blueprint: its plan, theme, page paths and number of posts (checked as creating a site would)',
  request: { params: z.object({ name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' }, example: 'local-business' }) }) },
  responses: { 200: jsonResponse(blueprintSchema, 'The blueprint.'), ...PROBLEM_RESPONSES },
});

/** Blueprints are files of the installation, the same for every caller, like plans. */
export function blueprintsResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(listRoute, async (c) => c.json({ items: (await listBlueprints()).map(({ name, kind }) => ({ name, kind })) }, 200));
  app.openapi(readRoute, async (c) => {
    // Read and checked once per process, as onboarding reads it.
    const found = await cachedBlueprint(c.req.valid('param').name, catalog);
    const pages = found.pages.map((p) => String((p as { path?: unknown }).path));
    return c.json({ name: found.name, kind: found.kind, plan: found.plan, theme: { preset: found.theme.preset, overrides: found.theme.overrides }, pages, posts: found.posts.length }, 200);
  });
  return app;
}
