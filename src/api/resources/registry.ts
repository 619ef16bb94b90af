import { OpenAPIHono, z } from '@hono/zod-openapi';
import { readRegistry } from '../../operations/registry/read-registry.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const sectionTypeSchema = z
  .object({
    type: z.string(),
    label: z.string(),
    description: z.string(),
    propsSchema: z.record(z.string(), z.unknown()).openapi({ description: 'JSON Schema (2020-12) of the props an editor writes.' }),
    defaultProps: z.unknown(),
    interactive: z.boolean(),
    variants: z.array(z.object({ name: z.string(), description: z.string(), interactive: z.boolean(), own: z.boolean() })),
  })
  .openapi('SectionType');

const registryRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/registry',
  operationId: 'readRegistry',
  tags: ['Registry'],
  summary: 'The section types this site’s pages may use',
  description: 'Each with a JSON Schema of its props, its label, defaults and the variants this site may name: the editor builds its forms from this.',
  request: { params: tenantParams },
  responses: { 200: jsonResponse(z.object({ sections: z.array(sectionTypeSchema) }), 'The catalog.'), ...PROBLEM_RESPONSES },
});

/** What a site's pages may be built from: the editor's forms come from this. */
export function registryResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(registryRoute, async (c) => c.json(await run(c, readRegistry, {}, c.req.valid('param').tenant), 200));
  return app;
}
