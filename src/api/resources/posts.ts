import { OpenAPIHono, z } from '@hono/zod-openapi';
import { createPost, deletePost, listPosts, readPost, schedulePost, updatePost } from '../../operations/posts/index.ts';
import type { ApiEnv } from '../api-env.ts';
import { createdOnce, IDEMPOTENCY_HEADERS } from '../idempotency.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';
import { cursorPage, postRemoved, postView } from './content-schemas.ts';

const TAGS = ['Posts'];

const postParams = tenantParams.extend({ postId: z.uuid().openapi({ param: { name: 'postId', in: 'path' }, example: '0f8e3b52-7c4d-4a8e-b1f0-6d2c9e4a7b13' }) });

const routes = {
  list: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/posts',
    operationId: 'listPosts',
    tags: TAGS,
    summary: 'The site’s posts, newest first',
    request: { params: tenantParams, query: listPosts.input },
    responses: { 200: jsonResponse(cursorPage(postView, 'PostList'), 'One page of posts.'), ...PROBLEM_RESPONSES },
  }),
  create: signedInRoute({
    method: 'post',
    path: '/tenants/{tenant}/posts',
    operationId: 'createPost',
    tags: TAGS,
    summary: 'Write a post (a draft, or scheduled with `publishedAt`)',
    description: 'Send `Idempotency-Key` to retry safely. Setting `publishedAt` needs the right to publish.',
    request: {
      params: tenantParams,
      headers: IDEMPOTENCY_HEADERS,
      body: jsonBody(createPost.input, { slug: 'spring-opening-hours', title: 'Spring opening hours', excerpt: 'We open earlier from March.', body: 'From March we open at 7.' }),
    },
    responses: { 201: jsonResponse(postView, 'Created.'), ...PROBLEM_RESPONSES },
  }),
  read: signedInRoute({
    method: 'get',
    path: '/tenants/{tenant}/posts/{postId}',
    operationId: 'readPost',
    tags: TAGS,
    summary: 'One post',
    request: { params: postParams },
    responses: { 200: jsonResponse(postView, 'The post.'), ...PROBLEM_RESPONSES },
  }),
  update: signedInRoute({
    method: 'patch',
    path: '/tenants/{tenant}/posts/{postId}',
    operationId: 'updatePost',
    tags: TAGS,
    summary: 'Change a post’s fields (those sent)',
    request: { params: postParams, body: jsonBody(updatePost.input.omit({ postId: true }), { title: 'Spring opening hours (updated)' }) },
    responses: { 200: jsonResponse(postView, 'Changed.'), ...PROBLEM_RESPONSES },
  }),
  schedule: signedInRoute({
    method: 'post',
    path: '/tenants/{tenant}/posts/{postId}/schedule',
    operationId: 'schedulePost',
    tags: TAGS,
    summary: 'Set when a post goes live: a time to come, `now`, or null (back to a draft)',
    request: { params: postParams, body: jsonBody(schedulePost.input.omit({ postId: true }), { at: '2030-03-01T07:00:00Z' }) },
    responses: { 200: jsonResponse(postView, 'Scheduled.'), ...PROBLEM_RESPONSES },
  }),
  remove: signedInRoute({
    method: 'delete',
    path: '/tenants/{tenant}/posts/{postId}',
    operationId: 'deletePost',
    tags: TAGS,
    summary: 'Delete a post',
    request: { params: postParams },
    responses: { 200: jsonResponse(postRemoved, 'Deleted.'), ...PROBLEM_RESPONSES },
  }),
};

/** Blog posts: written, scheduled, published, deleted. */
export function postsResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(routes.list, async (c) => c.json(await run(c, listPosts, c.req.valid('query'), c.req.valid('param').tenant), 200));
  app.openapi(routes.create, async (c) => {
    const { tenant } = c.req.valid('param');
    const body = c.req.valid('json');
    return c.json(await createdOnce(c, tenant, body, (joined) => run(c, createPost, body, tenant, joined)), 201);
  });
  app.openapi(routes.read, async (c) => c.json(await run(c, readPost, { postId: c.req.valid('param').postId }, c.req.valid('param').tenant), 200));
  app.openapi(routes.update, async (c) => {
    const { tenant, postId } = c.req.valid('param');
    return c.json(await run(c, updatePost, { ...c.req.valid('json'), postId }, tenant), 200);
  });
  app.openapi(routes.schedule, async (c) => {
    const { tenant, postId } = c.req.valid('param');
    return c.json(await run(c, schedulePost, { ...c.req.valid('json'), postId }, tenant), 200);
  });
  app.openapi(routes.remove, async (c) => c.json(await run(c, deletePost, { postId: c.req.valid('param').postId }, c.req.valid('param').tenant), 200));
  return app;
}
