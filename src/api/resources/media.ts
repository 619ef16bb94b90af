import { OpenAPIHono, z } from '@hono/zod-openapi';
import { MEDIA_CONTENT_TYPES } from '../../media/media-formats.ts';
import { resizeImage } from '../../media/resize-image.ts';
import { deleteMedia, listMedia, readMedia, readMediaFile, updateMedia, updateMediaInput, uploadMedia, uploadMediaInput } from '../../operations/media/index.ts';
import { createdOnce, IDEMPOTENCY_HEADERS } from '../idempotency.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const mediaSchema = z
  .object({
    id: z.string(),
    contentType: z.enum(MEDIA_CONTENT_TYPES),
    byteSize: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
    filename: z.string(),
    alt: z.string(),
    sources: z
      .array(z.object({ width: z.number().int(), webp: z.string(), jpeg: z.string() }))
      .openapi({ description: 'Addresses on the site’s own host, one per served width; each is cached for a year.' }),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('Media');

const mediaParams = tenantParams.extend({ mediaId: z.uuid().openapi({ param: { name: 'mediaId', in: 'path' } }) });
const MEDIA = ['Media'];

// A 1×1 PNG: small enough for the reference, real enough to upload.
const EXAMPLE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const listRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/media',
  operationId: 'listMedia',
  tags: MEDIA,
  summary: 'The site’s images',
  description: 'Newest first; `search` matches alt text and file names. `usedBytes` is what the plan’s media storage counts.',
  request: { params: tenantParams, query: listMedia.input },
  responses: {
    200: jsonResponse(z.object({ items: z.array(mediaSchema), nextCursor: z.string().nullable(), usedBytes: z.number().int() }), 'A page of images.'),
    ...PROBLEM_RESPONSES,
  },
});

const uploadRoute = signedInRoute({
  method: 'post',
  path: '/tenants/{tenant}/media',
  operationId: 'uploadMedia',
  tags: MEDIA,
  summary: 'Upload an image',
  description:
    'The file as base64 in `data` (at most 5 MiB of image). Its type is read from its bytes: PNG, JPEG, WebP, GIF or AVIF; anything else is refused at `data`. Alt text is required. Refused with `402` past the plan’s media storage.',
  request: { params: tenantParams, headers: IDEMPOTENCY_HEADERS, body: jsonBody(uploadMediaInput, { data: EXAMPLE_PNG, alt: 'A single blue dot', filename: 'dot.png' }) },
  responses: { 201: jsonResponse(mediaSchema, 'Stored.'), ...PROBLEM_RESPONSES },
});

const readRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/media/{mediaId}',
  operationId: 'readMedia',
  tags: MEDIA,
  summary: 'One image',
  request: { params: mediaParams },
  responses: { 200: jsonResponse(mediaSchema, 'The image.'), ...PROBLEM_RESPONSES },
});

const thumbnailRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/media/{mediaId}/thumbnail',
  operationId: 'readMediaThumbnail',
  tags: MEDIA,
  summary: 'A 320 px WebP of one image, for the editor',
  description: 'Visitors get images from the site’s own host (`sources`); this copy is for people signed in to the admin.',
  request: { params: mediaParams },
  responses: { 200: { description: 'The image.', content: { 'image/webp': { schema: z.string().openapi({ format: 'binary' }) } } }, ...PROBLEM_RESPONSES },
});

const updateRoute = signedInRoute({
  method: 'patch',
  path: '/tenants/{tenant}/media/{mediaId}',
  operationId: 'updateMedia',
  tags: MEDIA,
  summary: 'Change an image’s alt text',
  request: { params: mediaParams, body: jsonBody(updateMediaInput, { alt: 'The bakery’s front window at dawn' }) },
  responses: { 200: jsonResponse(mediaSchema, 'The image now.'), ...PROBLEM_RESPONSES },
});

const deleteRoute = signedInRoute({
  method: 'delete',
  path: '/tenants/{tenant}/media/{mediaId}',
  operationId: 'deleteMedia',
  tags: MEDIA,
  summary: 'Delete an image and its bytes',
  description: 'Its addresses stop answering at once; copies already cached by browsers live out their lifetime.',
  request: { params: mediaParams },
  responses: { 204: { description: 'Deleted.' }, ...PROBLEM_RESPONSES },
});

/** A site's media library. */
export function mediaResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(listRoute, async (c) => c.json(await run(c, listMedia, c.req.valid('query'), c.req.valid('param').tenant), 200));
  app.openapi(uploadRoute, async (c) => {
    const { tenant } = c.req.valid('param');
    const body = c.req.valid('json');
    return c.json(await createdOnce(c, tenant, body, (joined) => run(c, uploadMedia, body, tenant, joined)), 201);
  });
  app.openapi(readRoute, async (c) => {
    const { tenant, mediaId } = c.req.valid('param');
    return c.json(await run(c, readMedia, { mediaId }, tenant), 200);
  });
  app.openapi(thumbnailRoute, async (c) => {
    const { tenant, mediaId } = c.req.valid('param');
    const file = await run(c, readMediaFile, { mediaId }, tenant);
    const body = await resizeImage(file.bytes, 320, 'webp');
    return c.body(new Uint8Array(body), 200, { 'Content-Type': 'image/webp' });
  });
  app.openapi(updateRoute, async (c) => {
    const { tenant, mediaId } = c.req.valid('param');
    return c.json(await run(c, updateMedia, { ...c.req.valid('json'), mediaId }, tenant), 200);
  });
  app.openapi(deleteRoute, async (c) => {
    const { tenant, mediaId } = c.req.valid('param');
    await run(c, deleteMedia, { mediaId }, tenant);
    return c.body(null, 204);
  });
  return app;
}
