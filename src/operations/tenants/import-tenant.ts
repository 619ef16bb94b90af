import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { unpackArchive } from '../../archive/site-archive.ts';
import { setScope } from '../../db/scope.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { tenantSlugSchema } from '../../tenants/tenant-file.ts';
import { actorUserId } from '../actor.ts';
import { execute, type JoinedTransaction } from '../execute.ts';
import { inviteMember } from '../invitations/invite-member.ts';
import { writeMediaCopy, type MediaCopy } from '../media/media-copies.ts';
import { defineOperation, type OperationTx } from '../operation.ts';
import { tenantNameSchema } from './tenant-schemas.ts';
import {
  archivedMediaSchema,
  archivedPageSchema,
  archivedPostsSchema,
  archivedSiteSchema,
  mediaBytesEntry,
  MEDIA_ENTRY,
  POSTS_ENTRY,
  rewriteMediaIds,
  SITE_ENTRY,
  type ArchivedPage,
  type ArchivedSite,
} from './site-archive-content.ts';
import { assertThemeAndDomains, takenDomainError } from './write-tenant.ts';

/**
 * An archive's bytes as operation input. They are held in a private field, so the input checks
 * (which look at every string of an input) do not walk a byte at a time.
 */
export class ArchiveBytes {
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  get bytes(): Uint8Array {
    return this.#bytes;
  }
}

const invalid = (path: string, message: string, details: { path: string; message: string }[] = [{ path, message }]) =>
  new MosaicError('InvalidArchive', `The site archive cannot be imported: ${path} ${message}. Nothing was imported.`, details);

function parseEntry<S extends z.ZodType>(files: ReadonlyMap<string, Buffer>, path: string, schema: S): z.output<S> {
  const data = files.get(path);
  if (!data) throw invalid(path, 'is missing');
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch {
    throw invalid(path, 'is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(path, 'is not valid', parsed.error.issues.map((i) => ({ path: `${path}:${i.path.join('.')}`, message: i.message })));
  return parsed.data;
}

interface ArchiveContent {
  site: ArchivedSite;
  posts: z.output<typeof archivedPostsSchema>;
  pages: ArchivedPage[];
  media: MediaCopy[];
}

/** Every entry parsed and cross-checked (versions a page names exist, images' bytes match their rows). */
function readContent(bytes: Uint8Array): ArchiveContent {
  const { files } = unpackArchive(bytes);
  const site = parseEntry(files, SITE_ENTRY, archivedSiteSchema);
  const posts = parseEntry(files, POSTS_ENTRY, archivedPostsSchema);
  const pagePaths = [...files.keys()].filter((p) => p.startsWith('pages/')).sort();
  const pages = pagePaths.map((path) => {
    const page = parseEntry(files, path, archivedPageSchema);
    const numbers = new Set(page.versions.map((v) => v.version));
    if (numbers.size !== page.versions.length) throw invalid(path, 'lists a version twice');
    for (const named of [page.publishedVersion, page.withdrawnVersion]) if (named !== null && !numbers.has(named)) throw invalid(path, `names version ${named}, which it does not hold`);
    return page;
  });
  const media = parseEntry(files, MEDIA_ENTRY, archivedMediaSchema).map((m) => {
    const data = files.get(mediaBytesEntry(m.id));
    if (!data) throw invalid(mediaBytesEntry(m.id), 'is missing');
    if (data.length !== m.byteSize || createHash('sha256').update(data).digest('hex') !== m.sha256) throw invalid(mediaBytesEntry(m.id), 'does not match its record in media.json');
    return { ...m, bytes: data };
  });
  return { site, posts, pages, media };
}

/**
 * Writes the images first, keeping each one's id unless another site holds it (then a new one,
 * and every address that names it is rewritten). Returns the ids that changed.
 */
async function writeMedia(tx: OperationTx, tenantId: string, media: readonly MediaCopy[]): Promise<Map<string, string>> {
  const moved = new Map<string, string>();
  for (const [index, m] of media.entries()) {
    const id = (await writeMediaCopy(tx, tenantId, m, m.id)) ?? (await writeMediaCopy(tx, tenantId, m, randomUUID()));
    if (!id) throw new Error(`No id could be found for image ${m.id}.`);
    if (id !== m.id) moved.set(m.id, id);
    tx.context.progress?.({ what: 'images imported', done: index + 1, total: media.length });
  }
  return moved;
}

async function writePages(tx: OperationTx, tenantId: string, pages: readonly ArchivedPage[]): Promise<void> {
  for (const page of pages) {
    const pageId = randomUUID();
    await tx.trx
      .insertInto('pages')
      .values({
        tenant_id: tenantId,
        id: pageId,
        path: page.path,
        created_at: page.createdAt,
        updated_at: page.updatedAt,
        draft: JSON.stringify(page.draft),
        draft_revision: page.draftRevision,
        draft_updated_at: page.draftUpdatedAt,
        draft_updated_by: page.draftUpdatedBy,
        deleted_at: page.deletedAt,
        deleted_by: page.deletedBy,
      })
      .execute();
    const ids = new Map(page.versions.map((v) => [v.version, randomUUID()]));
    if (page.versions.length) {
      await tx.trx
        .insertInto('page_versions')
        .values(
          page.versions.map((v) => ({
            tenant_id: tenantId,
            id: ids.get(v.version)!,
            page_id: pageId,
            version: v.version,
            composition: JSON.stringify(v.composition),
            created_by: v.createdBy,
            created_at: v.createdAt,
            source_revision: v.sourceRevision,
          })),
        )
        .execute();
    }
    const idOf = (n: number | null) => (n === null ? null : ids.get(n)!);
    if (page.publishedVersion !== null || page.withdrawnVersion !== null) {
      await tx.trx
        .updateTable('pages')
        .set({ published_version_id: idOf(page.publishedVersion), withdrawn_version_id: idOf(page.withdrawnVersion) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', pageId)
        .execute();
    }
  }
}

/**
 * Members by email: an account that exists is linked with its role; anyone else is invited (the
 * invitation mailed, or its link returned without SMTP). No password travels in an archive.
 */
async function writeMembers(tx: OperationTx, tenantId: string, members: ArchivedSite['members']) {
  const linked: { email: string; role: string }[] = [];
  const invited: { email: string; role: string; link: string | null }[] = [];
  const joined: JoinedTransaction = { trx: tx.trx, pendingChanges: [] };
  for (const member of members) {
    const { rows } = await sql<{ user_id: string }>`SELECT user_id FROM mosaic_sign_in_lookup(${member.email})`.execute(tx.trx);
    const userId = rows[0]?.user_id;
    if (userId) {
      await tx.trx.insertInto('memberships').values({ tenant_id: tenantId, user_id: userId, role: member.role }).execute();
      linked.push({ email: member.email, role: member.role });
    } else {
      const { link } = await execute(tx.context, inviteMember, { tenant: { id: tenantId }, input: { email: member.email, role: member.role } }, joined);
      await setScope(tx.trx, { tenantId, userId: actorUserId(tx.actor), platform: true });
      invited.push({ email: member.email, role: member.role, link });
    }
  }
  return { linked, invited };
}

/**
 * A site from an archive, into an installation where its slug (or `slug`) is free: everything is
 * checked before anything is written — the archive's version and checksums, every entry's
 * content, the theme, and the domains (one another site holds refuses the whole import) — then
 * written in this one transaction, in the new site's row-level-security context. Pages keep
 * their whole history; domains keep their verification (the job runner re-checks verified ones);
 * images keep their ids unless taken. Plan limits are not applied: the site comes as it was.
 */
export const importTenant = defineOperation({
  name: 'platform.tenant.import',
  scope: 'platform',
  action: 'platform.tenant.import',
  mutates: true,
  input: z.strictObject({ archive: z.instanceof(ArchiveBytes), slug: tenantSlugSchema.optional(), name: tenantNameSchema.optional() }),
  async run(tx, input) {
    const content = readContent(input.archive.bytes);
    const { site, posts, pages, media } = content;
    const slug = input.slug ?? site.tenant.slug;
    const name = input.name ?? site.tenant.name;
    const theme = site.theme ?? { preset: 'ocean', overrides: {} };
    const taken = await tx.trx.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirst();
    if (taken) throw new MosaicError('Conflict', `A site with the slug "${slug}" exists; import it under another (--slug).`, [{ path: 'slug', message: 'is taken' }]);
    await assertThemeAndDomains(tx, { slug, theme, domains: site.domains });

    const tenantId = randomUUID();
    const { trx } = tx;
    await setScope(trx, { tenantId, userId: actorUserId(tx.actor), platform: true });
    await trx
      .insertInto('tenants')
      .values({
        id: tenantId,
        slug,
        name,
        status: site.tenant.status,
        plan: site.tenant.plan,
        settings: JSON.stringify(site.tenant.settings),
        plan_overrides: JSON.stringify(site.tenant.planOverrides),
        trial_ends_at: site.tenant.trialEndsAt,
        created_at: site.tenant.createdAt,
      })
      .execute();
    const moved = await writeMedia(tx, tenantId, media);
    const t = rewriteMediaIds(theme, moved);
    await trx
      .insertInto('themes')
      .values({ tenant_id: tenantId, preset: t.preset, overrides: JSON.stringify(t.overrides), logo_url: t.logoUrl ?? null, favicon_url: t.faviconUrl ?? null })
      .execute();
    if (posts.length) {
      await trx
        .insertInto('posts')
        .values(
          rewriteMediaIds(posts, moved).map((p) => ({
            tenant_id: tenantId,
            slug: p.slug,
            title: p.title,
            excerpt: p.excerpt,
            body: p.body,
            author: p.author,
            published_at: p.publishedAt,
            created_at: p.createdAt,
            updated_at: p.updatedAt,
            updated_by: p.updatedBy,
          })),
        )
        .execute();
    }
    await writePages(tx, tenantId, rewriteMediaIds(pages, moved));
    if (site.domains.length) {
      await trx
        .insertInto('domains')
        .values(
          site.domains.map((d) => ({
            tenant_id: tenantId,
            hostname: d.hostname,
            is_primary: d.primary,
            verified: d.verified,
            verified_at: d.verifiedAt,
            challenge_token: d.challengeToken,
            created_at: d.createdAt,
          })),
        )
        .execute()
        .catch((error: unknown) => {
          throw takenDomainError(error, site.domains.map((d) => d.hostname)) ?? error;
        });
    }
    const members = await writeMembers(tx, tenantId, site.members);
    const hostnames = site.domains.map((d) => d.hostname);
    const siteVersion = await tx.siteChanged('import', { tenantId, hostnames });
    const counts = {
      pages: pages.length,
      versions: pages.reduce((n, p) => n + p.versions.length, 0),
      posts: posts.length,
      media: media.length,
      domains: hostnames.length,
      membersLinked: members.linked.length,
      membersInvited: members.invited.length,
    };
    await tx.audit({
      tenantId,
      subject: slug,
      after: { name, status: site.tenant.status, plan: site.tenant.plan, domains: [...hostnames].sort() },
      detail: { from: site.tenant.slug, mediaRenamed: moved.size, ...counts },
    });
    return { tenantId, slug, name, siteVersion, hostnames, counts, linked: members.linked, invited: members.invited, mediaRenamed: Object.fromEntries(moved) };
  },
});
