import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/schema.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { mediaKey } from '../site/cache-keys.ts';
import { MEDIA_WIDTHS, SERVED_FORMATS, type ServedFormat } from './media-formats.ts';
import type { MediaStore } from './media-store.ts';
import { resizeImage } from './resize-image.ts';

/** `/_mosaic/media/<id>/<width>.<format>`: the parts, or null for any other path. */
export function parseMediaPath(pathname: string): { mediaId: string; width: number; format: ServedFormat } | null {
  const match = /^\/_mosaic\/media\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(\d{3,4})\.([a-z]+)$/.exec(pathname);
  if (!match) return null;
  const width = Number(match[2]);
  const format = match[3] as ServedFormat;
  if (!(MEDIA_WIDTHS as readonly number[]).includes(width) || !Object.hasOwn(SERVED_FORMATS, format)) return null;
  return { mediaId: match[1]!, width, format };
}

export interface MediaAnswer {
  body: Buffer;
  contentType: string;
  etag: string;
}

export interface MediaRouteOptions {
  db: Kysely<Database>;
  store: MediaStore;
  /** Bytes of resized images kept in memory. */
  cacheBytes?: number;
}

/**
 * Finds a site's image at one of the fixed widths: the row is checked on every request (so a
 * deleted image, or another site's, is never served), and the resized bytes come from a small
 * in-memory LRU, made once per key even when many requests ask at the same moment.
 */
export function createMediaImages(options: MediaRouteOptions) {
  const resized = new LRUCache<string, MediaAnswer>({ maxSize: options.cacheBytes ?? 64 * 1024 * 1024, sizeCalculation: (a) => a.body.length + 200 });
  const making = new Map<string, Promise<MediaAnswer | null>>();

  return async function findImage(tenantId: string, pathname: string): Promise<MediaAnswer | null> {
    const wanted = parseMediaPath(pathname);
    if (!wanted) return null;
    const row = await withTenant(options.db, tenantId, (trx) =>
      trx.selectFrom('media').select(['width', 'sha256']).where('tenant_id', '=', tenantId).where('id', '=', wanted.mediaId).executeTakeFirst(),
    );
    if (!row) return null;
    // Widths past the original's give the same bytes: one entry serves them all.
    const cover = MEDIA_WIDTHS.find((w) => w >= row.width) ?? wanted.width;
    const width = Math.min(wanted.width, cover);
    const key = mediaKey(tenantId, wanted.mediaId, width, wanted.format);
    const cached = resized.get(key);
    if (cached) return cached;
    let pending = making.get(key);
    if (!pending) {
      pending = (async () => {
        const original = await withTenant(options.db, tenantId, (trx) => options.store.get(trx, tenantId, wanted.mediaId));
        if (!original) return null;
        const body = await resizeImage(original, width, wanted.format);
        const answer = { body, contentType: SERVED_FORMATS[wanted.format], etag: `"${row.sha256.slice(0, 16)}-${width}-${wanted.format}"` };
        resized.set(key, answer);
        return answer;
      })().finally(() => making.delete(key));
      making.set(key, pending);
    }
    return pending;
  };
}
