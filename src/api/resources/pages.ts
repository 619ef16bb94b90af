import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  cancelSchedule,
  changePath,
  createPage,
  deletePage,
  diffVersions,
  listPages,
  listSchedules,
  listVersions,
  previewPage,
  publishPage,
  readPage,
  readVersion,
  restorePage,
  rollbackPage,
  saveDraft,
  schedulePublish,
  unpublishPage,
} from '../../operations/pages/index.ts';
import type { ApiDeps, ApiEnv } from '../api-env.ts';
import { ETAG_HEADERS, expectedRevision, revisionTag, withCurrentTag } from '../etag.ts';
import { createdOnce, IDEMPOTENCY_HEADERS } from '../idempotency.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams, type SignedInContext } from '../route.ts';
import { jobView, pageDiff, pageRemoved, pageSummary, pageView, cursorPage, previewLink, publishResult, savedDraft, versionSummary, versionView } from './content-schemas.ts';

const TAGS = ['Pages'];
const EXAMPLE_PAGE = '5b0c7f1e-3f7a-4f4e-9a55-0d3c1d1e2f10';

const pageParams = tenantParams.extend({ pageId: z.uuid().openapi({ param: { name: 'pageId', in: 'path' }, example: EXAMPLE_PAGE }) });
const versionParams = pageParams.extend({ version: readVersion.input.shape.version });
const scheduleParams = pageParams.extend({ jobId: cancelSchedule.input.shape.jobId });

const withEtag = (description: string, schema: z.ZodType) => ({ ...jsonResponse(schema, description), headers: ETAG_HEADERS });
const draftBody = saveDraft.input.omit({ pageId: true, expectedRevision: true }).extend({ expectedRevision: saveDraft.input.shape.expectedRevision.optional() });
const publishBody = publishPage.input.omit({ pageId: true });
const scheduleBody = schedulePublish.input.omit({ pageId: true });
const rollbackBody = rollbackPage.input.omit({ pageId: true });
const pathBody = changePath.input.omit({ pageId: true });

const routes = {
  list: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/pages',
    operationId: 'listPages',
    tags: TAGS,
    summary: 'A site’s pages, by path',
    request: { params: tenantParams, query: listPages.input },
    responses: { 200: jsonResponse(cursorPage(pageSummary, 'PageList'), 'One page of pages.'), ...PROBLEM_RESPONSES },
  }),
  create: signedInRoute({
    method: 'post',
    path: '/tenants/{tenant}/pages',
    operationId: 'createPage',
    tags: TAGS,
    summary: 'Create a page (blank, or a copy of another’s draft)',
    description: 'Send `Idempotency-Key` to retry safely: the same key and body answer the first result and create nothing twice.',
    request: { params: tenantParams, headers: IDEMPOTENCY_HEADERS, body: jsonBody(createPage.input, { path: '/spring-menu', title: 'Spring menu' }) },
    responses: { 201: withEtag('Created.', pageView), ...PROBLEM_RESPONSES },
  }),
  read: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/pages/{pageId}',
    operationId: 'readPage',
    tags: TAGS,
    summary: 'A page: its working draft and what visitors see',
    description: 'The `ETag` names the draft revision: send it as `If-Match` when saving, publishing or scheduling.',
    request: { params: pageParams },
    responses: { 200: withEtag('The page.', pageView), ...PROBLEM_RESPONSES },
  }),
  saveDraft: signedInRoute({
    method: 'put',
    path: '/tenants/{tenant}/pages/{pageId}/draft',
    operationId: 'savePageDraft',
    tags: TAGS,
    summary: 'Save the working draft',
    description:
      'Needs the revision it was edited from, as `If-Match` (the page’s `ETag`) or `expectedRevision`. A stale revision is `412` with the current draft, so nothing is overwritten.',
    request: {
      params: pageParams,
      body: jsonBody(draftBody, { expectedRevision: 1, draft: { title: 'Spring menu', sections: [{ type: 'hero', props: { title: 'Spring is here' } }] } }),
    },
    responses: { 200: withEtag('Saved.', savedDraft), ...PROBLEM_RESPONSES },
  }),
  publish: signedInRoute({
    method: 'post',
    path: '/tenants/{tenant}/pages/{pageId}/publish',
    operationId: 'publishPage',
    tags: TAGS,
    summary: 'Publish the draft',
    description: 'Validated by the registry first (every problem listed by path). With `If-Match` or `expectedRevision`, only that revision.',
    request: { params: pageParams, body: { ...jsonBody(publishBody, {}), required: false } },
    responses: { 200: jsonResponse(publishResult, 'Published: visitors see it now.'), ...PROBLEM_RESPONSES },
  }),
  unpublish: signedInRoute({
    method: 'post',
    path: '/tenants/{tenant}/pages/{pageId}/unpublish',
    operationId: 'unpublishPage',
    tags: TAGS,
    summary: 'Take the page off the site (its versions are kept)',
    description: 'With `If-Match` (the page’s `ETag`), only while the draft is at that revision: `412` otherwise.',
    request: { params: pageParams },
    responses: { 200: jsonResponse(pageRemoved, 'Unpublished.'), ...PROBLEM_RESPONSES },
  }),
  remove: signedInRoute({
    method: 'delete',
    path: '/tenants/{tenant}/pages/{pageId}',
    operationId: 'deletePage',
    tags: TAGS,
    summary: 'Delete the page',
    description: 'Soft: the path is freed, scheduled publishes are cancelled, and a platform admin can restore it. With `If-Match`, only while the draft is at that revision.',
    request: { params: pageParams },
    responses: { 200: jsonResponse(pageRemoved, 'Deleted.'), ...PROBLEM_RESPONSES },
  }),
  restore: signedInRoute({
    method: 'post',
    path: '/tenants/{tenant}/pages/{pageId}/restore',
    operationId: 'restorePage',
    tags: TAGS,
    summary: 'Restore a deleted or unpublished page (platform admins)',
    request: { params: pageParams },
    responses: { 200: jsonResponse(pageView, 'Restored.'), ...PROBLEM_RESPONSES },
  }),
  changePath: signedInRoute({
    method: 'put',
    path: '/tenants/{tenant}/pages/{pageId}/path',
    operationId: 'changePagePath',
    tags: TAGS,
    summary: 'Move the page to another path',
    description: 'With `If-Match` or `expectedRevision`, only while the draft is at that revision.',
    request: { params: pageParams, body: jsonBody(pathBody, { path: '/menus/spring' }) },
    responses: { 200: jsonResponse(pageView, 'Moved.'), ...PROBLEM_RESPONSES },
  }),
  versions: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/pages/{pageId}/versions',
    operationId: 'listPageVersions',
    tags: TAGS,
    summary: 'Published versions, newest first',
    request: { params: pageParams, query: listVersions.input.omit({ pageId: true }) },
    responses: { 200: jsonResponse(cursorPage(versionSummary, 'VersionList'), 'One page of versions.'), ...PROBLEM_RESPONSES },
  }),
  version: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/pages/{pageId}/versions/{version}',
    operationId: 'readPageVersion',
    tags: TAGS,
    summary: 'One published version',
    request: { params: versionParams },
    responses: { 200: jsonResponse(versionView, 'The version.'), ...PROBLEM_RESPONSES },
  }),
  diff: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/pages/{pageId}/diff',
    operationId: 'diffPageVersions',
    tags: TAGS,
    summary: 'What changed between two versions (or a version and the draft)',
    description: '`from` and `to` are version numbers, `draft` or `published`.',
    request: { params: pageParams, query: z.object({ from: z.string().openapi({ example: '1' }), to: z.string().openapi({ example: 'draft' }) }) },
    responses: { 200: jsonResponse(pageDiff, 'The differences, with a readable line each.'), ...PROBLEM_RESPONSES },
  }),
  rollback: signedInRoute({
    method: 'post',
    path: '/tenants/{tenant}/pages/{pageId}/rollback',
    operationId: 'rollbackPage',
    tags: TAGS,
    summary: 'Publish an earlier version again (the one before the current, unless named)',
    description: 'With `If-Match` or `expectedRevision`, only while the draft is at that revision.',
    request: { params: pageParams, body: { ...jsonBody(rollbackBody, { version: 1 }), required: false } },
    responses: { 200: jsonResponse(publishResult, 'Rolled back.'), ...PROBLEM_RESPONSES },
  }),
  schedules: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/pages/{pageId}/schedules',
    operationId: 'listPageSchedules',
    tags: TAGS,
    summary: 'Scheduled publishes still to run, and failed ones (`all=true`: finished ones too)',
    request: { params: pageParams, query: listSchedules.input.omit({ pageId: true }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(jobView) }), 'The schedules.'), ...PROBLEM_RESPONSES },
  }),
  schedule: signedInRoute({
    method: 'post',
    path: '/tenants/{tenant}/pages/{pageId}/schedules',
    operationId: 'schedulePagePublish',
    tags: TAGS,
    summary: 'Publish the draft as it is now (or a version) at a time to come',
    description: 'Send `Idempotency-Key` to retry safely. With `If-Match` or `expectedRevision`, only that draft revision.',
    request: { params: pageParams, headers: IDEMPOTENCY_HEADERS, body: jsonBody(scheduleBody, { at: '2030-01-01T09:00:00Z' }) },
    responses: { 201: jsonResponse(jobView, 'Scheduled.'), ...PROBLEM_RESPONSES },
  }),
  cancelSchedule: signedInRoute({
    method: 'delete',
    path: '/tenants/{tenant}/pages/{pageId}/schedules/{jobId}',
    operationId: 'cancelPageSchedule',
    tags: TAGS,
    summary: 'Cancel a scheduled publish that has not run',
    request: { params: scheduleParams },
    responses: { 200: jsonResponse(jobView, 'Cancelled.'), ...PROBLEM_RESPONSES },
  }),
  preview: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/pages/{pageId}/preview',
    operationId: 'previewPageDraft',
    tags: TAGS,
    summary: 'A short-lived link that shows the current draft on the site’s own address',
    description: 'The link carries no session: it shows this draft revision only, for 15 minutes, framed by the admin only, never indexed.',
    request: { params: pageParams },
    responses: { 200: jsonResponse(previewLink, 'The link.'), ...PROBLEM_RESPONSES },
  }),
};

const versionSide = (value: string): string | number => (/^\d+$/.test(value) ? Number(value) : value);

/** The draft revision a page write expects: `If-Match` (the page's ETag), or the body's `expectedRevision`. */
const ifMatch = (c: SignedInContext, fromBody?: number) => expectedRevision('draft', c.req.header('if-match'), fromBody);

/** Pages: drafts, publishing, schedules, history, diffs, rollback and previews. */
export function pagesResource(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(routes.list, async (c) => c.json(await run(c, listPages, c.req.valid('query'), c.req.valid('param').tenant), 200));
  app.openapi(routes.create, async (c) => {
    const { tenant } = c.req.valid('param');
    const body = c.req.valid('json');
    const page = await createdOnce(c, tenant, body, (joined) => run(c, createPage, body, tenant, joined));
    c.header('ETag', revisionTag('draft', page.draftRevision));
    return c.json(page, 201);
  });
  app.openapi(routes.read, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    const page = await run(c, readPage, { pageId }, tenant);
    c.header('ETag', revisionTag('draft', page.draftRevision));
    return c.json(page, 200);
  });
  app.openapi(routes.saveDraft, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    const body = c.req.valid('json');
    const saved = await run(c, saveDraft, { ...body, pageId, expectedRevision: ifMatch(c, body.expectedRevision) }, tenant).catch(withCurrentTag('draft'));
    c.header('ETag', revisionTag('draft', saved.revision));
    return c.json(saved, 200);
  });
  app.openapi(routes.publish, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    const body = c.req.valid('json') ?? {};
    return c.json(await run(c, publishPage, { pageId, expectedRevision: ifMatch(c, body.expectedRevision) }, tenant).catch(withCurrentTag('draft')), 200);
  });
  app.openapi(routes.unpublish, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    return c.json(await run(c, unpublishPage, { pageId, expectedRevision: ifMatch(c) }, tenant).catch(withCurrentTag('draft')), 200);
  });
  app.openapi(routes.remove, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    return c.json(await run(c, deletePage, { pageId, expectedRevision: ifMatch(c) }, tenant).catch(withCurrentTag('draft')), 200);
  });
  app.openapi(routes.restore, async (c) => c.json(await run(c, restorePage, { pageId: c.req.valid('param').pageId }, c.req.valid('param').tenant), 200));
  app.openapi(routes.changePath, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    const body = c.req.valid('json');
    const input = { ...body, pageId, expectedRevision: ifMatch(c, body.expectedRevision) };
    return c.json(await run(c, changePath, input, tenant).catch(withCurrentTag('draft')), 200);
  });
  app.openapi(routes.versions, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    return c.json(await run(c, listVersions, { ...c.req.valid('query'), pageId }, tenant), 200);
  });
  app.openapi(routes.version, async (c) => {
    const { tenant, pageId, version } = c.req.valid('param');
    return c.json(await run(c, readVersion, { pageId, version }, tenant), 200);
  });
  app.openapi(routes.diff, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    const { from, to } = c.req.valid('query');
    return c.json(await run(c, diffVersions, { pageId, from: versionSide(from), to: versionSide(to) }, tenant), 200);
  });
  app.openapi(routes.rollback, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    const body = c.req.valid('json') ?? {};
    const input = { ...body, pageId, expectedRevision: ifMatch(c, body.expectedRevision) };
    return c.json(await run(c, rollbackPage, input, tenant).catch(withCurrentTag('draft')), 200);
  });
  app.openapi(routes.schedules, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    return c.json(await run(c, listSchedules, { ...c.req.valid('query'), pageId }, tenant), 200);
  });
  app.openapi(routes.schedule, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    const body = c.req.valid('json');
    const input = { ...body, pageId, expectedRevision: ifMatch(c, body.expectedRevision) };
    return c.json(await createdOnce(c, tenant, input, (joined) => run(c, schedulePublish, input, tenant, joined)).catch(withCurrentTag('draft')), 201);
  });
  app.openapi(routes.cancelSchedule, async (c) => {
    const { tenant, pageId, jobId } = c.req.valid('param');
    return c.json(await run(c, cancelSchedule, { pageId, jobId }, tenant), 200);
  });
  app.openapi(routes.preview, async (c) => {
    const { tenant, pageId } = c.req.valid('param');
    return c.json(await deps.previews.issue(await run(c, previewPage, { pageId }, tenant)), 200);
  });
  return app;
}
