import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ARCHIVE_MEDIA_TYPE } from '../../archive/site-archive.ts';
import { exportTenant } from '../../operations/tenants/export-tenant.ts';
import { ArchiveBytes, importTenant } from '../../operations/tenants/import-tenant.ts';
import { tenantNameSchema } from '../../operations/tenants/tenant-schemas.ts';
import { tenantSlugSchema } from '../../tenants/tenant-file.ts';
import type { ApiEnv } from '../api-env.ts';
import { ARCHIVE_BODY_LIMIT } from '../body-limits.ts';
import { jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const binary = z.string().openapi({ format: 'binary' });

const importedSchema = z
  .object({
    tenantId: z.string(),
    slug: z.string(),
    name: z.string(),
    siteVersion: z.number().int(),
    hostnames: z.array(z.string()),
    counts: z.record(z.string(), z.number().int()),
    linked: z.array(z.object({ email: z.string(), role: z.string() })),
    invited: z.array(z.object({ email: z.string(), role: z.string(), link: z.string().nullable() })),
    mediaRenamed: z.record(z.string(), z.string()),
  })
  .openapi('ImportedTenant');

const exportRoute = signedInRoute({
  method: 'get',
  path: '/platform/tenants/{tenant}/export',
  operationId: 'exportTenant',
  tags: ['Platform'],
  summary: 'A whole site as one archive (deleted sites included)',
  description:
    'A gzipped tar: `manifest.json` (format `mosaic-site`, version 1, the SHA-256 of every entry and of the whole), the site’s record, theme, domains, members (emails, names and roles, no passwords), posts, every page with its whole history, and every image with its bytes.',
  request: { params: tenantParams },
  responses: { 200: { description: 'The archive.', content: { [ARCHIVE_MEDIA_TYPE]: { schema: binary } } }, ...PROBLEM_RESPONSES },
});

const importRoute = signedInRoute({
  method: 'post',
  path: '/platform/tenants/import',
  operationId: 'importTenant',
  tags: ['Platform'],
  summary: 'A site from an archive (as the export makes it)',
  description: `The body is the archive itself, up to ${ARCHIVE_BODY_LIMIT / 1024 / 1024} MiB. Its version and every checksum are checked before anything is written; a damaged, altered or newer archive is \`422\` (\`InvalidArchive\`, \`ArchiveVersionUnsupported\`) and changes nothing. A slug in use is \`409\`, a domain another site holds \`409 DomainUnavailable\`. Members whose email has an account are linked; the others are invited.`,
  request: {
    query: z.object({ slug: tenantSlugSchema.optional(), name: tenantNameSchema.optional() }),
    body: { required: true, description: 'The archive.', content: { [ARCHIVE_MEDIA_TYPE]: { schema: binary } } },
  },
  responses: { 201: jsonResponse(importedSchema, 'Imported.'), ...PROBLEM_RESPONSES },
});

/** Whole sites in and out, for platform staff: backups, moves between installations. */
export function siteArchivesResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(exportRoute, async (c) => {
    const exported = await run(c, exportTenant, { slug: c.req.valid('param').tenant });
    return c.body(new Uint8Array(exported.bytes), 200, {
      'Content-Type': ARCHIVE_MEDIA_TYPE,
      'Content-Disposition': `attachment; filename="${exported.filename}"`,
      'X-Mosaic-Archive-SHA256': exported.manifest.sha256,
    });
  });
  app.openapi(importRoute, async (c) => {
    const archive = new ArchiveBytes(new Uint8Array(await c.req.arrayBuffer()));
    return c.json(await run(c, importTenant, { ...c.req.valid('query'), archive }), 201);
  });
  return app;
}
