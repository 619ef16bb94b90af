import type { MediaContentType } from '../../db/schema.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { loadSharp } from '../../media/load-sharp.ts';
import { MEDIA_PIXEL_LIMIT, sniffImageType } from '../../media/media-formats.ts';

export interface ImageFacts {
  contentType: MediaContentType;
  /** As shown: EXIF rotation applied. */
  width: number;
  height: number;
}

// sharp's name for each type; AVIF is a HEIF with AV1 inside.
const SHARP_FORMATS: Record<MediaContentType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'heif',
};

const refused = (message: string) => new MosaicError('InvalidInput', undefined, [{ path: 'data', message }]);

/**
 * What an uploaded file is, from its bytes alone: its type is sniffed, then the whole image is
 * decoded once, so a file that only starts like an image, or unpacks to too many pixels, is
 * refused before anything is stored.
 */
export async function readImage(bytes: Buffer): Promise<ImageFacts> {
  const contentType = sniffImageType(bytes);
  if (!contentType) throw refused('is not a PNG, JPEG, WebP, GIF or AVIF image');
  const sharp = await loadSharp();
  try {
    const image = sharp(bytes, { limitInputPixels: MEDIA_PIXEL_LIMIT, failOn: 'error' });
    const meta = await image.metadata();
    if (meta.format !== SHARP_FORMATS[contentType]) throw refused(`starts like ${contentType} but is not one`);
    await image.clone().resize(8, 8, { fit: 'inside' }).raw().toBuffer();
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) throw refused('has no size');
    return { contentType, width, height };
  } catch (error) {
    if (error instanceof MosaicError) throw error;
    const message = error instanceof Error && /pixel limit/i.test(error.message) ? `is larger than ${MEDIA_PIXEL_LIMIT.toLocaleString('en')} pixels` : 'could not be read as an image';
    throw refused(message);
  }
}
