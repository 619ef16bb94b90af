import { z } from '@hono/zod-openapi';
import { isMosaicError, MosaicError } from '../errors/catalog.ts';

/**
 * What an ETag versions: a page's working draft (its `draftRevision`, which every page write
 * guards) or a site's theme (its `revision`).
 */
export type TaggedKind = 'draft' | 'theme';

const TAG = /^"(draft|theme)-(\d{1,10})"$/;

/** The strong ETag of one revision: `"draft-12"`, `"theme-3"`. */
export const revisionTag = (kind: TaggedKind, revision: number): string => `"${kind}-${revision}"`;

/**
 * The revision an `If-Match` header names: null when there is none (or `*`, which any current
 * revision matches). Anything but one strong ETag of this kind is refused with a clear error
 * rather than silently treated as a mismatch.
 */
export function ifMatchRevision(kind: TaggedKind, header: string | null | undefined): number | null {
  const value = header?.trim();
  if (!value || value === '*') return null;
  const tag = TAG.exec(value);
  if (!tag || tag[1] !== kind) {
    throw new MosaicError('InvalidInput', undefined, [{ path: 'If-Match', message: `must be one ETag this API sent for this resource, like ${revisionTag(kind, 3)}` }]);
  }
  return Number(tag[2]);
}

/**
 * The revision a write expects: from `If-Match`, or from the body's `expectedRevision` (clients
 * without header control); both must agree when both are sent. Undefined when neither is.
 */
export function expectedRevision(kind: TaggedKind, header: string | null | undefined, fromBody: unknown): number | undefined {
  const fromHeader = ifMatchRevision(kind, header);
  if (fromHeader === null) return typeof fromBody === 'number' ? fromBody : undefined;
  if (fromBody !== undefined && fromBody !== fromHeader) {
    throw new MosaicError('InvalidInput', undefined, [{ path: 'expectedRevision', message: `disagrees with If-Match (${fromHeader})` }]);
  }
  return fromHeader;
}

/** The ETag of the current revision a `PreconditionFailed` carries (`extensions.current.revision`), for the 412 answer. */
export function currentTag(kind: TaggedKind, error: unknown): string | null {
  if (!isMosaicError(error) || error.code !== 'PreconditionFailed') return null;
  const current = error.extensions.current as { revision?: unknown } | undefined;
  return typeof current?.revision === 'number' ? revisionTag(kind, current.revision) : null;
}

/** How the document describes the `ETag` of a versioned answer. */
export const ETAG_HEADERS = z.object({
  ETag: z.string().openapi({ description: 'The revision of what was read or written; send it back as `If-Match`.', example: revisionTag('draft', 3) }),
});

/**
 * For `.catch(...)` on a guarded write: a stale revision's `PreconditionFailed` gains the current
 * ETag (`etag`, which the problem answer also sends as the `ETag` header); every error is rethrown.
 */
export function withCurrentTag(kind: TaggedKind): (error: unknown) => never {
  return (error) => {
    const tag = currentTag(kind, error);
    if (!tag || !isMosaicError(error)) throw error;
    throw new MosaicError('PreconditionFailed', error.message, error.details, { ...error.extensions, etag: tag });
  };
}
