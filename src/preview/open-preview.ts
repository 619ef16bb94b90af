import type { Kysely } from 'kysely';
import type { PurposeKeys } from '../auth/purpose-keys.ts';
import type { SectionValidator } from '../compositions/validate-composition.ts';
import type { Database } from '../db/schema.ts';
import type { ErrorName } from '../errors/catalog.ts';
import type { TenantRecord } from '../site/site-types.ts';
import { loadPreviewDraft, type PreviewDraft } from './preview-draft.ts';
import { PREVIEW_PREFIX, readPreviewToken } from './preview-token.ts';

export type PreviewOpening = Exclude<PreviewDraft, { kind: 'stale' }> | { kind: 'refuse'; error: ErrorName };

/**
 * What `/_mosaic/preview/<token>` on a tenant's host answers. A token that is malformed, forged
 * or made for another tenant's site is a plain 404 (it reveals nothing); an expired one, or one
 * whose draft has moved on, is 410 so the editor knows to ask for a fresh link.
 */
export async function openPreview(
  deps: { db: Kysely<Database>; keys: PurposeKeys; registry: SectionValidator },
  tenant: Pick<TenantRecord, 'id' | 'slug'>,
  pathname: string,
  now: Date,
): Promise<PreviewOpening> {
  const token = pathname.startsWith(PREVIEW_PREFIX) ? pathname.slice(PREVIEW_PREFIX.length) : '';
  const check = readPreviewToken(deps.keys, token, now);
  if (!check.ok) return { kind: 'refuse', error: check.reason === 'expired' ? 'LinkExpired' : 'PageNotFound' };
  if (check.claim.tenantId !== tenant.id) return { kind: 'refuse', error: 'PageNotFound' };
  const draft = await loadPreviewDraft(deps.db, deps.registry, tenant, check.claim);
  return draft.kind === 'stale' ? { kind: 'refuse', error: 'LinkExpired' } : draft;
}
