import { sql, type Transaction } from 'kysely';
import type { PageComposition } from '../../compositions/composition-schema.ts';
import { validateComposition } from '../../compositions/validate-composition.ts';
import type { Database } from '../../db/schema.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { describeActor } from '../actor.ts';
import type { OperationTx } from '../operation.ts';
import type { Draft, PageStatus, PageSummary, PageView } from './page-schemas.ts';

// The reads and writes every page operation shares. Each runs inside the operation's transaction,
// in its tenant's row-level-security context, and filters by tenant as well.

/** The subject of a page's jobs (scheduled publishes). */
export const pageSubject = (pageId: string): string => `page:${pageId}`;

export function pageRows(trx: Transaction<Database>, tenantId: string) {
  return trx
    .selectFrom('pages as p')
    .leftJoin('page_versions as v', (join) => join.onRef('v.tenant_id', '=', 'p.tenant_id').onRef('v.id', '=', 'p.published_version_id'))
    .select([
      'p.id',
      'p.path',
      'p.draft',
      'p.draft_revision',
      'p.draft_updated_at',
      'p.draft_updated_by',
      'p.published_version_id',
      'p.withdrawn_version_id',
      'p.deleted_at',
      'p.updated_at',
      'v.version as published_version',
      'v.source_revision',
      'v.created_at as published_at',
      'v.created_by as published_by',
    ])
    .select((eb) => [
      eb
        .exists(eb.selectFrom('page_versions as pv').select('pv.id').whereRef('pv.tenant_id', '=', 'p.tenant_id').whereRef('pv.page_id', '=', 'p.id'))
        .as('has_versions'),
      eb
        .selectFrom('jobs as j')
        .select((j) => j.fn.min('j.run_at').as('at'))
        .whereRef('j.tenant_id', '=', 'p.tenant_id')
        .where('j.subject', '=', sql<string>`'page:' || p.id::text`)
        .where('j.status', 'in', ['pending', 'running'])
        .as('next_scheduled_at'),
    ])
    .where('p.tenant_id', '=', tenantId);
}

export type PageRow = Awaited<ReturnType<ReturnType<typeof pageRows>['executeTakeFirstOrThrow']>>;

const iso = (value: Date | string | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

export function statusOf(row: Pick<PageRow, 'deleted_at' | 'published_version_id' | 'has_versions'>): PageStatus {
  if (row.deleted_at) return 'deleted';
  if (row.published_version_id) return 'published';
  return row.has_versions ? 'unpublished' : 'draft';
}

export function toSummary(row: PageRow): PageSummary {
  const status = statusOf(row);
  const draft = row.draft as Partial<Draft>;
  return {
    id: row.id,
    path: row.path,
    title: typeof draft.title === 'string' ? draft.title : '',
    status,
    // Versions older than drafts name no revision; such pages start at revision 0.
    draftPending: status === 'published' && row.draft_revision !== (row.source_revision ?? 0),
    draftRevision: row.draft_revision,
    publishedVersion: status === 'published' ? (row.published_version ?? null) : null,
    nextScheduledAt: iso(row.next_scheduled_at as Date | string | null),
    updatedAt: iso(row.updated_at) ?? '',
    deletedAt: iso(row.deleted_at),
  };
}

/** One page with its draft and what visitors see; `PageNotFound` unless it exists (and is live, unless asked). */
export async function readPageView(tx: OperationTx, pageId: string, options: { deleted?: boolean } = {}): Promise<PageView> {
  const row = await findPageRow(tx, pageId, options);
  const published = row.published_version_id
    ? await tx.trx
        .selectFrom('page_versions')
        .select('composition')
        .where('tenant_id', '=', tx.tenant!.id)
        .where('id', '=', row.published_version_id)
        .executeTakeFirstOrThrow()
    : null;
  return {
    ...toSummary(row),
    draft: row.draft as Draft,
    draftUpdatedAt: iso(row.draft_updated_at) ?? '',
    draftUpdatedBy: row.draft_updated_by,
    published:
      published && row.published_version !== null
        ? { version: row.published_version, composition: published.composition, publishedAt: iso(row.published_at) ?? '', publishedBy: row.published_by ?? '' }
        : null,
  };
}

/**
 * Refuses a write made against another revision of the draft than the current one (when the
 * caller names one: an API client's `If-Match`), with the current draft to merge with.
 */
export function refuseStaleDraft(page: Pick<PageRow, 'path' | 'draft' | 'draft_revision'>, expectedRevision: number | undefined): void {
  if (expectedRevision === undefined || expectedRevision === page.draft_revision) return;
  throw new MosaicError('PreconditionFailed', `The draft of ${page.path} is at revision ${page.draft_revision}, not ${expectedRevision}.`, [], {
    current: { revision: page.draft_revision, draft: page.draft },
  });
}

/** A page's row; deleted pages only when asked. */
export async function findPageRow(tx: OperationTx, pageId: string, options: { deleted?: boolean } = {}): Promise<PageRow> {
  let query = pageRows(tx.trx, tx.tenant!.id).where('p.id', '=', pageId);
  if (!options.deleted) query = query.where('p.deleted_at', 'is', null);
  const row = await query.executeTakeFirst();
  if (!row) throw new MosaicError('PageNotFound', `There is no page ${pageId}.`);
  return row;
}

/**
 * Locks a page's row until the operation commits, so writers to one page (saves, publishes,
 * schedules running) take turns, then reads it. The operation holds its tenant's row already
 * (`execute` takes it first for every change), so the order is always tenant, then page.
 */
export async function lockPage(tx: OperationTx, pageId: string, options: { deleted?: boolean } = {}): Promise<PageRow> {
  const locked = await tx.trx.selectFrom('pages').select('id').where('tenant_id', '=', tx.tenant!.id).where('id', '=', pageId).forUpdate().executeTakeFirst();
  if (!locked) throw new MosaicError('PageNotFound', `There is no page ${pageId}.`);
  return findPageRow(tx, pageId, options);
}

/** A page's draft as a composition, validated by the registry exactly as publishing requires. */
export function validatedComposition(tx: OperationTx, path: string, draft: unknown): PageComposition {
  const input = typeof draft === 'object' && draft !== null ? { ...draft, path } : draft;
  const checked = validateComposition(input, tx.tenant!.slug, tx.context.registry);
  if (!checked.ok) throw new MosaicError('InvalidComposition', `The page ${path} cannot be published as it is.`, checked.issues);
  return checked.composition;
}

/**
 * Adds an immutable version made of `composition` and points the page at it: visitors see it from
 * the commit on. The caller holds the page's lock and writes the audit record.
 */
export async function addPublishedVersion(
  tx: OperationTx,
  page: { id: string; path: string },
  composition: PageComposition,
  sourceRevision: number | null,
): Promise<{ version: number; siteVersion: number }> {
  const tenantId = tx.tenant!.id;
  const latest = await tx.trx
    .selectFrom('page_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('tenant_id', '=', tenantId)
    .where('page_id', '=', page.id)
    .executeTakeFirst();
  const version = Number(latest?.max ?? 0) + 1;
  const inserted = await tx.trx
    .insertInto('page_versions')
    .values({
      tenant_id: tenantId,
      page_id: page.id,
      version,
      composition: JSON.stringify(composition),
      created_by: describeActor(tx.actor).label,
      source_revision: sourceRevision,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await movePointer(tx, page.id, inserted.id);
  const siteVersion = await tx.siteChanged(`publish ${page.path}`, { paths: [page.path] });
  return { version, siteVersion };
}

export interface PublishResult {
  pageId: string;
  path: string;
  version: number;
  siteVersion: number;
}

/**
 * Publishes one revision of a page's draft: validated by the registry (every problem named by its
 * path), added as a version, the page pointed at it, audited. The caller holds the page's lock.
 */
export async function publishDraft(tx: OperationTx, page: PageRow, draft: unknown, draftRevision: number): Promise<PublishResult> {
  const composition = validatedComposition(tx, page.path, draft);
  const { version, siteVersion } = await addPublishedVersion(tx, page, composition, draftRevision);
  await tx.audit({
    subject: page.path,
    before: { version: page.published_version },
    after: { version },
    detail: { pageId: page.id, version, draftRevision, siteVersion },
  });
  return { pageId: page.id, path: page.path, version, siteVersion };
}

/** Points a page at one of its existing versions (rollback, a scheduled republish), audited. */
export async function publishExistingVersion(tx: OperationTx, page: PageRow, version: number, reason: string): Promise<PublishResult> {
  const target = await tx.trx
    .selectFrom('page_versions')
    .select(['id', 'version'])
    .where('tenant_id', '=', tx.tenant!.id)
    .where('page_id', '=', page.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!target) throw new MosaicError('UnknownPageVersion', `${page.path} has no version ${version}.`);
  await movePointer(tx, page.id, target.id);
  const siteVersion = await tx.siteChanged(`${reason} ${page.path}`, { paths: [page.path] });
  await tx.audit({
    subject: page.path,
    before: { version: page.published_version },
    after: { version: target.version },
    detail: { pageId: page.id, from: page.published_version, to: target.version, siteVersion },
  });
  return { pageId: page.id, path: page.path, version: target.version, siteVersion };
}

/** Points the page at one of its versions (or at none), and forgets what an unpublish withdrew. */
export async function movePointer(tx: OperationTx, pageId: string, versionId: string | null, withdrawn: string | null = null): Promise<void> {
  await tx.trx
    .updateTable('pages')
    .set({ published_version_id: versionId, withdrawn_version_id: withdrawn, updated_at: tx.now })
    .where('tenant_id', '=', tx.tenant!.id)
    .where('id', '=', pageId)
    .execute();
}

/** Turns a taken path (the unique index over live pages) into a `Conflict` naming it. */
export async function refusingTakenPath<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const pgError = error as { code?: string; constraint?: string };
    if (pgError.code === '23505' && pgError.constraint === 'pages_live_path') {
      throw new MosaicError('Conflict', `Another page already has the path ${path}.`, [{ path: 'path', message: `${path} is taken by another page` }]);
    }
    throw error;
  }
}

/** A draft as stored, without the path (a page's path is its own). */
export function draftOf(composition: { title: string; meta?: unknown; sections: readonly unknown[] }): Draft {
  return { title: composition.title, meta: (composition.meta ?? {}) as Draft['meta'], sections: composition.sections as Draft['sections'] };
}
