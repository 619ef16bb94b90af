import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, MediaContentType } from '../../db/schema.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { MEDIA_WIDTHS, mediaPath } from '../../media/media-formats.ts';
import { postgresMediaStore, type MediaStore } from '../../media/media-store.ts';
import type { OperationTx } from '../operation.ts';

export const mediaIdSchema = z.uuid();
export const altSchema = z.string().trim().min(1, 'is required: describe the image for people who cannot see it').max(500);

export interface MediaView {
  id: string;
  contentType: MediaContentType;
  byteSize: number;
  width: number;
  height: number;
  filename: string;
  alt: string;
  /** Site-relative addresses of the served sizes, smallest first (never wider than the original). */
  sources: { width: number; webp: string; jpeg: string }[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export const mediaColumns = ['id', 'content_type', 'byte_size', 'width', 'height', 'filename', 'alt', 'created_at', 'created_by', 'updated_at', 'updated_by'] as const;

type MediaRow = {
  id: string;
  content_type: MediaContentType;
  byte_size: number;
  width: number;
  height: number;
  filename: string;
  alt: string;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
};

/** The served widths for an image `width` pixels wide: those below it, and one at least as wide. */
export function servedWidths(width: number): number[] {
  const below = MEDIA_WIDTHS.filter((w) => w < width);
  const cover = MEDIA_WIDTHS.find((w) => w >= width);
  return cover === undefined ? [...below] : [...below, cover];
}

export function toMediaView(row: MediaRow): MediaView {
  return {
    id: row.id,
    contentType: row.content_type,
    byteSize: row.byte_size,
    width: row.width,
    height: row.height,
    filename: row.filename,
    alt: row.alt,
    sources: servedWidths(row.width).map((w) => ({
      width: w,
      webp: mediaPath(row.id, w as (typeof MEDIA_WIDTHS)[number], 'webp'),
      jpeg: mediaPath(row.id, w as (typeof MEDIA_WIDTHS)[number], 'jpeg'),
    })),
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}

export async function findMedia(trx: Transaction<Database>, tenantId: string, mediaId: string, options: { lock?: boolean } = {}): Promise<MediaRow> {
  let query = trx.selectFrom('media').select(mediaColumns).where('tenant_id', '=', tenantId).where('id', '=', mediaId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new MosaicError('NotFound', `There is no image ${mediaId}.`);
  return row;
}

/** The store of original bytes the context names; Postgres unless another is configured. */
export const mediaStoreOf = (tx: Pick<OperationTx, 'context'>): MediaStore => tx.context.mediaStore ?? postgresMediaStore;

/** Bytes the site's library holds, as its plan's `mediaBytes` counts them. */
export async function usedMediaBytes(trx: Transaction<Database>, tenantId: string): Promise<number> {
  const row = await trx
    .selectFrom('media')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('byte_size'), eb.val('0')).as('total'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
