import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { setScope } from '../../db/scope.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { tenantFileSchema, tenantSlugSchema, type TenantFile } from '../../tenants/tenant-file.ts';
import { assertWithinLimit, resolvePlan, type ResolvedPlan } from '../../plans/resolve-plan.ts';
import { actorUserId } from '../actor.ts';
import { readMediaBytes, readMediaRecords, writeMediaCopy, type MediaCopy } from '../media/media-copies.ts';
import { defineOperation, type OperationTx } from '../operation.ts';
import { createSite, type NewSiteInput } from './create-tenant.ts';
import { mediaIdsIn, rewriteMediaIds } from './site-archive-content.ts';

/** The new site's own record; everything else comes from the source. */
const targetSchema = z.strictObject({
  slug: tenantSlugSchema,
  name: tenantFileSchema.shape.name,
  plan: tenantFileSchema.shape.plan.optional(),
  status: z.enum(['trial', 'active']).default('trial'),
});

/**
 * The content another site would hand a new one: its theme, its published posts, the published
 * version of each live page, and the images these name (each under a new id, its addresses
 * rewritten) — never drafts, history, other images, form messages, members or domains. The
 * images must fit the new site's plan: that is checked on their records, before any bytes are read.
 */
async function publishedContent(tx: OperationTx, sourceId: string, plan: ResolvedPlan) {
  await setScope(tx.trx, { tenantId: sourceId, userId: actorUserId(tx.actor), platform: true });
  const theme = await tx.trx.selectFrom('themes').select(['preset', 'overrides', 'logo_url', 'favicon_url']).where('tenant_id', '=', sourceId).executeTakeFirst();
  const posts = await tx.trx
    .selectFrom('posts')
    .select(['slug', 'title', 'excerpt', 'body', 'author', 'published_at'])
    .where('tenant_id', '=', sourceId)
    .where('published_at', '<=', tx.now)
    .orderBy('slug')
    .execute();
  const pages = await tx.trx
    .selectFrom('pages')
    .innerJoin('page_versions as v', (join) => join.onRef('v.tenant_id', '=', 'pages.tenant_id').onRef('v.id', '=', 'pages.published_version_id'))
    .select('v.composition')
    .where('pages.tenant_id', '=', sourceId)
    .where('pages.deleted_at', 'is', null)
    .orderBy('pages.path')
    .execute();
  const content = {
    theme: theme
      ? { preset: theme.preset, overrides: theme.overrides, logoUrl: theme.logo_url, faviconUrl: theme.favicon_url }
      : { preset: 'ocean', overrides: {} },
    posts: posts.map((p) => ({ slug: p.slug, title: p.title, excerpt: p.excerpt, body: p.body, author: p.author, publishedAt: new Date(p.published_at!).toISOString() })),
    pages: pages.map((p) => p.composition),
  };
  const records = await readMediaRecords(tx, sourceId, [...mediaIdsIn(content)]);
  assertWithinLimit(plan, 'mediaBytes', records.reduce((n, m) => n + m.byteSize, 0));
  const media = await readMediaBytes(tx, sourceId, 'images copied', records);
  await setScope(tx.trx, { userId: actorUserId(tx.actor), platform: true });
  // Image ids are unique across sites: the copies get new ones, and the addresses follow.
  const ids = new Map(media.map((m) => [m.id, randomUUID()]));
  return { ...rewriteMediaIds(content, ids), media: media.map((m) => ({ ...m, id: ids.get(m.id)! })) };
}

/** Writes the copied images (already within the plan's media storage) into the new site. */
async function copyMedia(tx: OperationTx, tenantId: string, media: readonly MediaCopy[]): Promise<void> {
  await setScope(tx.trx, { tenantId, userId: actorUserId(tx.actor), platform: true });
  for (const m of media) {
    if (!(await writeMediaCopy(tx, tenantId, m, m.id))) throw new Error(`The new id ${m.id} of a copied image is taken.`);
  }
  await setScope(tx.trx, { userId: actorUserId(tx.actor), platform: true });
}

/**
 * A new site from another one's published content and the images it shows: pages start a new
 * history at version 1, and the plan's limits apply to the copy. A deleted source is not found.
 */
export const cloneTenant = defineOperation({
  name: 'platform.tenant.clone',
  scope: 'platform',
  action: 'platform.tenant.create',
  mutates: true,
  input: z.strictObject({ from: tenantSlugSchema, tenant: targetSchema }),
  async run(tx, input) {
    const source = await tx.trx.selectFrom('tenants').select(['id', 'plan', 'settings']).where('slug', '=', input.from).where('deleted_at', 'is', null).executeTakeFirst();
    if (!source) throw new MosaicError('NotFound', `No site has the slug "${input.from}".`, [{ path: 'from', message: 'no such site' }]);
    const plan = input.tenant.plan ?? source.plan;
    // Checked before anything is read in bulk or written: a clone past the plan changes nothing.
    const content = await publishedContent(tx, source.id, resolvePlan(plan, {}));
    const tenant: TenantFile = {
      slug: input.tenant.slug,
      name: input.tenant.name,
      status: input.tenant.status,
      plan,
      settings: source.settings,
      domains: [],
      theme: content.theme,
    };
    const site: NewSiteInput = { tenant, posts: content.posts, pages: content.pages };
    const created = await createSite(tx, site);
    await copyMedia(tx, created.tenantId, content.media);
    return { ...created, media: content.media.length, from: input.from };
  },
});
