import { withTenant } from '../db/tenant-scope.ts';
import { MosaicError } from '../errors/catalog.ts';
import type { PublishingDeps, PublishResult } from './publish-page.ts';
import { recordChange } from './change-outbox.ts';
import { bumpSiteVersion, recordAudit } from './site-version.ts';

/**
 * Moves a page's published pointer to an earlier version (the one before the current, unless a
 * version is named). History is untouched; the site version is bumped so every cache moves on.
 */
export async function rollbackPage(
  deps: Pick<PublishingDeps, 'db' | 'notify'>,
  request: { tenantId: string; path: string; version?: number; actor: string },
): Promise<PublishResult> {
  const { result, change } = await withTenant(deps.db, request.tenantId, async (trx) => {
    const page = await trx
      .selectFrom('pages')
      .leftJoin('page_versions as current', (join) =>
        join.onRef('current.tenant_id', '=', 'pages.tenant_id').onRef('current.id', '=', 'pages.published_version_id'),
      )
      .select(['pages.id', 'current.version as currentVersion'])
      .where('pages.tenant_id', '=', request.tenantId)
      .where('pages.path', '=', request.path)
      .forUpdate('pages')
      .executeTakeFirst();
    if (!page) throw new MosaicError('PageNotFound', `No page at ${request.path}.`);

    const wanted = request.version ?? (page.currentVersion ?? 1) - 1;
    const target = await trx
      .selectFrom('page_versions')
      .select(['id', 'version'])
      .where('tenant_id', '=', request.tenantId)
      .where('page_id', '=', page.id)
      .where('version', '=', wanted)
      .executeTakeFirst();
    if (!target) {
      const message = request.version === undefined ? `${request.path} has no earlier version to roll back to.` : `${request.path} has no version ${wanted}.`;
      throw new MosaicError('UnknownPageVersion', message);
    }

    await trx
      .updateTable('pages')
      .set({ published_version_id: target.id, updated_at: new Date() })
      .where('tenant_id', '=', request.tenantId)
      .where('id', '=', page.id)
      .execute();
    const siteVersion = await bumpSiteVersion(trx, request.tenantId);
    await recordAudit(trx, request.tenantId, {
      action: 'page.rollback',
      subject: request.path,
      actor: request.actor,
      detail: { from: page.currentVersion, to: target.version, siteVersion },
    });
    const change = await recordChange(trx, { tenantId: request.tenantId, siteVersion, reason: `rollback ${request.path}` });
    return { result: { pageId: page.id, path: request.path, version: target.version, siteVersion }, change };
  });
  await deps.notify(change);
  return result;
}
