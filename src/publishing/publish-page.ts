import type { Kysely } from 'kysely';
import type { PageComposition } from '../compositions/composition-schema.ts';
import { validateComposition, type SectionValidator } from '../compositions/validate-composition.ts';
import type { Database } from '../db/schema.ts';
import { withTenant, type TenantTransaction } from '../db/tenant-scope.ts';
import { MosaicError } from '../errors/catalog.ts';
import { recordChange } from './change-outbox.ts';
import { bumpSiteVersion, recordAudit, type SiteChangeNotifier } from './site-version.ts';

export interface PublishingDeps {
  db: Kysely<Database>;
  registry: SectionValidator;
  notify: SiteChangeNotifier;
}

export interface PublishResult {
  pageId: string;
  path: string;
  version: number;
  siteVersion: number;
}

/**
 * Validates a composition against the registry and publishes it atomically: a new immutable
 * version, the page's pointer moved, the site version bumped, an audit record and a change notice
 * written, all in one tenant-scoped transaction; the notice is delivered after the commit. Invalid
 * input throws `InvalidComposition` naming every bad path and changes nothing.
 */
export async function publishPage(
  deps: PublishingDeps,
  request: { tenantId: string; composition: unknown; actor: string },
): Promise<PublishResult> {
  const { result, change } = await withTenant(deps.db, request.tenantId, async (trx) => {
    const tenant = await trx.selectFrom('tenants').select('slug').where('id', '=', request.tenantId).executeTakeFirst();
    if (!tenant) throw new MosaicError('UnknownTenant');
    const checked = validateComposition(request.composition, tenant.slug, deps.registry);
    if (!checked.ok) throw new MosaicError('InvalidComposition', undefined, checked.issues);
    const page = checked.composition;

    const pageId = await lockPage(trx, request.tenantId, page.path);
    const latest = await trx
      .selectFrom('page_versions')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('tenant_id', '=', request.tenantId)
      .where('page_id', '=', pageId)
      .executeTakeFirst();
    const version = Number(latest?.max ?? 0) + 1;
    const inserted = await trx
      .insertInto('page_versions')
      .values({
        tenant_id: request.tenantId,
        page_id: pageId,
        version,
        composition: JSON.stringify(page satisfies PageComposition),
        created_by: request.actor,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('pages')
      .set({ published_version_id: inserted.id, updated_at: new Date() })
      .where('tenant_id', '=', request.tenantId)
      .where('id', '=', pageId)
      .execute();
    const siteVersion = await bumpSiteVersion(trx, request.tenantId);
    await recordAudit(trx, request.tenantId, {
      action: 'page.publish',
      subject: page.path,
      actor: request.actor,
      detail: { version, siteVersion },
    });
    const change = await recordChange(trx, { tenantId: request.tenantId, siteVersion, reason: `publish ${page.path}` });
    return { result: { pageId, path: page.path, version, siteVersion }, change };
  });
  await deps.notify(change);
  return result;
}

/** Creates the page row on first publish and locks it so concurrent publishes number versions in turn. */
async function lockPage(trx: TenantTransaction, tenantId: string, path: string): Promise<string> {
  await trx
    .insertInto('pages')
    .values({ tenant_id: tenantId, path })
    .onConflict((oc) => oc.columns(['tenant_id', 'path']).doNothing())
    .execute();
  const row = await trx
    .selectFrom('pages')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('path', '=', path)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.id;
}
