import { OpenAPIHono } from '@hono/zod-openapi';
import { readTheme } from '../../operations/themes/read-theme.ts';
import { updateTheme } from '../../operations/themes/update-theme.ts';
import type { ApiEnv } from '../api-env.ts';
import { ETAG_HEADERS, expectedRevision, revisionTag, withCurrentTag } from '../etag.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';
import { themeView } from './content-schemas.ts';

const TAGS = ['Theme'];

const themeBody = updateTheme.input.omit({ expectedRevision: true }).extend({ expectedRevision: updateTheme.input.shape.expectedRevision.optional() });

const readRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/theme',
  operationId: 'readTheme',
  tags: TAGS,
  summary: 'The site’s theme, its resolved tokens and their contrast',
  description: 'The `ETag` names the theme’s revision: send it as `If-Match` when saving.',
  request: { params: tenantParams },
  responses: { 200: { ...jsonResponse(themeView, 'The theme.'), headers: ETAG_HEADERS }, ...PROBLEM_RESPONSES },
});

const updateRoute = signedInRoute({
  method: 'put',
  path: '/tenants/{tenant}/theme',
  operationId: 'updateTheme',
  tags: TAGS,
  summary: 'Replace the theme: preset, overrides, logo and favicon',
  description:
    'Needs the revision it was edited from (`If-Match` or `expectedRevision`): a stale one is `412` with the current theme. ' +
    'Text below WCAG AA contrast is `422 ThemeContrast`, listing each failing pair (`errors`, and `failures` with ratios). Visitors see a saved theme at once.',
  request: { params: tenantParams, body: jsonBody(themeBody, { expectedRevision: 0, preset: 'ocean', overrides: {} }) },
  responses: { 200: { ...jsonResponse(themeView, 'Saved.'), headers: ETAG_HEADERS }, ...PROBLEM_RESPONSES },
});

/** The site's theme, guarded by its revision. */
export function themeResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(readRoute, async (c) => {
    const theme = await run(c, readTheme, {}, c.req.valid('param').tenant);
    c.header('ETag', revisionTag('theme', theme.revision));
    return c.json(theme, 200);
  });
  app.openapi(updateRoute, async (c) => {
    const body = c.req.valid('json');
    const input = { ...body, expectedRevision: expectedRevision('theme', c.req.header('if-match'), body.expectedRevision) };
    const theme = await run(c, updateTheme, input, c.req.valid('param').tenant).catch(withCurrentTag('theme'));
    c.header('ETag', revisionTag('theme', theme.revision));
    return c.json(theme, 200);
  });
  return app;
}
