import type { Kysely } from 'kysely';
import type { PageComposition } from '../compositions/composition-schema.ts';
import { validateComposition, type SectionValidator } from '../compositions/validate-composition.ts';
import type { Database } from '../db/schema.ts';
import { withTenant } from '../db/tenant-scope.ts';
import type { ErrorDetail } from '../errors/catalog.ts';
import type { PreviewClaim } from './preview-token.ts';

export type PreviewDraft =
  | { kind: 'ready'; composition: PageComposition }
  /** The page is gone, or its draft has moved on since the token was issued: the editor asks for a new one. */
  | { kind: 'stale' }
  /** The draft cannot be rendered yet; the same problems publishing would list. */
  | { kind: 'invalid'; issues: ErrorDetail[] };

/**
 * The draft revision a preview token names, read in its tenant's row-level-security context and
 * validated by the registry exactly as publishing would (a draft may be incomplete while it is
 * edited). Never cached: a preview shows the draft as saved.
 */
export async function loadPreviewDraft(
  db: Kysely<Database>,
  registry: SectionValidator,
  tenant: { id: string; slug: string },
  claim: PreviewClaim,
): Promise<PreviewDraft> {
  const row = await withTenant(db, tenant.id, (trx) =>
    trx
      .selectFrom('pages')
      .select(['path', 'draft', 'draft_revision'])
      .where('tenant_id', '=', tenant.id)
      .where('id', '=', claim.pageId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst(),
  );
  if (!row || row.draft_revision !== claim.draftRevision) return { kind: 'stale' };
  const draft = typeof row.draft === 'object' && row.draft !== null ? row.draft : {};
  const checked = validateComposition({ ...draft, path: row.path }, tenant.slug, registry);
  return checked.ok ? { kind: 'ready', composition: checked.composition } : { kind: 'invalid', issues: checked.issues };
}
