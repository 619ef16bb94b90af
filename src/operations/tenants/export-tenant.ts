import { z } from 'zod';
import { ARCHIVE_EXTENSION, packArchive, type Manifest } from '../../archive/site-archive.ts';
import type { TarEntry } from '../../archive/tar.ts';
import { setScope } from '../../db/scope.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { tenantSlugSchema } from '../../tenants/tenant-file.ts';
import { actorUserId } from '../actor.ts';
import { readMediaCopies } from '../media/media-copies.ts';
import { defineOperation, type OperationTx } from '../operation.ts';
import {
  mediaBytesEntry,
  MEDIA_ENTRY,
  pageEntry,
  POSTS_ENTRY,
  SITE_ENTRY,
  type ArchivedMedia,
  type ArchivedPage,
  type ArchivedPost,
  type ArchivedSite,
} from './site-archive-content.ts';

const iso = (value: Date | string) => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));
const jsonEntry = (path: string, value: unknown): TarEntry => ({ path, data: Buffer.from(JSON.stringify(value, null, 2)) });

export interface SiteExport {
  filename: string;
  bytes: Buffer;
  manifest: Manifest;
  counts: { pages: number; versions: number; posts: number; media: number; members: number; domains: number };
}

async function readSite(tx: OperationTx, tenantId: string): Promise<ArchivedSite> {
  const { trx } = tx;
  const t = await trx
    .selectFrom('tenants')
    .select(['slug', 'name', 'status', 'plan', 'plan_overrides', 'settings', 'trial_ends_at', 'created_at'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const theme = await trx.selectFrom('themes').select(['preset', 'overrides', 'logo_url', 'favicon_url']).where('tenant_id', '=', tenantId).executeTakeFirst();
  const domains = await trx
    .selectFrom('domains')
    .select(['hostname', 'is_primary', 'verified', 'verified_at', 'challenge_token', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('hostname')
    .execute();
  const members = await trx
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.email', 'u.name', 'm.role'])
    .where('m.tenant_id', '=', tenantId)
    .orderBy('u.email')
    .execute();
  return {
    tenant: {
      slug: t.slug,
      name: t.name,
      status: t.status,
      plan: t.plan,
      planOverrides: t.plan_overrides,
      settings: t.settings,
      trialEndsAt: isoOrNull(t.trial_ends_at),
      createdAt: iso(t.created_at),
    },
    theme: theme ? { preset: theme.preset, overrides: theme.overrides, logoUrl: theme.logo_url, faviconUrl: theme.favicon_url } : null,
    domains: domains.map((d) => ({
      hostname: d.hostname,
      primary: d.is_primary,
      verified: d.verified,
      verifiedAt: isoOrNull(d.verified_at),
      challengeToken: d.challenge_token,
      createdAt: iso(d.created_at),
    })),
    members: members.map((m) => ({ email: m.email, name: m.name, role: m.role })),
  };
}

async function readPosts(tx: OperationTx, tenantId: string): Promise<ArchivedPost[]> {
  const rows = await tx.trx
    .selectFrom('posts')
    .select(['slug', 'title', 'excerpt', 'body', 'author', 'published_at', 'created_at', 'updated_at', 'updated_by'])
    .where('tenant_id', '=', tenantId)
    .orderBy('slug')
    .execute();
  return rows.map((p) => ({
    slug: p.slug,
    title: p.title,
    excerpt: p.excerpt,
    body: p.body,
    author: p.author,
    publishedAt: isoOrNull(p.published_at),
    createdAt: iso(p.created_at),
    updatedAt: iso(p.updated_at),
    updatedBy: p.updated_by,
  }));
}

async function readPages(tx: OperationTx, tenantId: string): Promise<ArchivedPage[]> {
  const pages = await tx.trx.selectFrom('pages').selectAll().where('tenant_id', '=', tenantId).orderBy('path').orderBy('created_at').execute();
  const versions = await tx.trx
    .selectFrom('page_versions')
    .select(['id', 'page_id', 'version', 'composition', 'created_by', 'created_at', 'source_revision'])
    .where('tenant_id', '=', tenantId)
    .orderBy('version')
    .execute();
  const numberOf = new Map(versions.map((v) => [v.id, v.version]));
  return pages.map((p) => ({
    path: p.path,
    createdAt: iso(p.created_at),
    updatedAt: iso(p.updated_at),
    draft: p.draft,
    draftRevision: p.draft_revision,
    draftUpdatedAt: iso(p.draft_updated_at),
    draftUpdatedBy: p.draft_updated_by,
    publishedVersion: p.published_version_id ? numberOf.get(p.published_version_id)! : null,
    withdrawnVersion: p.withdrawn_version_id ? numberOf.get(p.withdrawn_version_id)! : null,
    deletedAt: isoOrNull(p.deleted_at),
    deletedBy: p.deleted_by,
    versions: versions
      .filter((v) => v.page_id === p.id)
      .map((v) => ({
        version: v.version,
        composition: v.composition as Record<string, unknown>,
        createdBy: v.created_by,
        createdAt: iso(v.created_at),
        sourceRevision: v.source_revision,
      })),
  }));
}

/**
 * One site as an archive (see `src/archive/site-archive.ts`): its record, theme, domains with
 * their verification, members (emails, names and roles, never password hashes), posts, every page
 * with its whole history and draft, and every image with its bytes. Form messages, API keys and
 * the audit trail stay behind. Reads only; the export itself is audited in the site's trail.
 */
export const exportTenant = defineOperation({
  name: 'platform.tenant.export',
  scope: 'platform',
  action: 'platform.tenant.export',
  mutates: false,
  input: z.strictObject({ slug: tenantSlugSchema }),
  async run(tx, input): Promise<SiteExport> {
    const found = await tx.trx.selectFrom('tenants').select('id').where('slug', '=', input.slug).executeTakeFirst();
    if (!found) throw new MosaicError('NotFound', `No site has the slug "${input.slug}".`, [{ path: 'slug', message: 'no such site' }]);
    // Content tables have no platform policy: they are read in the site's own context.
    await setScope(tx.trx, { tenantId: found.id, userId: actorUserId(tx.actor), platform: true });
    const site = await readSite(tx, found.id);
    const posts = await readPosts(tx, found.id);
    const pages = await readPages(tx, found.id);
    const images = await readMediaCopies(tx, found.id, 'images exported');
    const media: ArchivedMedia[] = images.map(({ bytes: _bytes, ...record }) => record);
    const files = images.map((m) => ({ path: mediaBytesEntry(m.id), data: m.bytes }));
    await setScope(tx.trx, { userId: actorUserId(tx.actor), platform: true });

    const entries = [
      jsonEntry(SITE_ENTRY, site),
      jsonEntry(POSTS_ENTRY, posts),
      ...pages.map((page, i) => jsonEntry(pageEntry(i), page)),
      jsonEntry(MEDIA_ENTRY, media),
      ...files,
    ];
    const { bytes, manifest } = packArchive(entries, { site: input.slug, createdAt: tx.now.toISOString() });
    const counts = {
      pages: pages.length,
      versions: pages.reduce((n, p) => n + p.versions.length, 0),
      posts: posts.length,
      media: media.length,
      members: site.members.length,
      domains: site.domains.length,
    };
    await tx.audit({ tenantId: found.id, subject: input.slug, detail: { sha256: manifest.sha256, bytes: bytes.length, ...counts } });
    return { filename: `${input.slug}${ARCHIVE_EXTENSION}`, bytes, manifest, counts };
  },
});
