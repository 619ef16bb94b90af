import type { Sharp } from 'sharp';
import { loadSharp } from './load-sharp.ts';
import { MEDIA_PIXEL_LIMIT, type ServedFormat } from './media-formats.ts';

// Quality per format: visually lossless for photos, small for the web.
const ENCODERS: Record<ServedFormat, (image: Sharp) => Sharp> = {
  webp: (image) => image.webp({ quality: 80 }),
  avif: (image) => image.avif({ quality: 55, effort: 2 }),
  jpeg: (image) => image.jpeg({ quality: 82, mozjpeg: true }),
  png: (image) => image.png({ compressionLevel: 9 }),
};

/**
 * The image at `width` pixels wide (never wider than the original) in `format`, turned upright by
 * its EXIF orientation; metadata (camera, location) is dropped. Animated images keep their first frame.
 */
export async function resizeImage(original: Buffer, width: number, format: ServedFormat): Promise<Buffer> {
  const sharp = await loadSharp();
  const image = sharp(original, { limitInputPixels: MEDIA_PIXEL_LIMIT }).rotate().resize({ width, withoutEnlargement: true });
  return ENCODERS[format](image).toBuffer();
}
