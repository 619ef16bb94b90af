import type { MediaContentType } from '../db/schema.ts';

/** The largest image one upload may hold; the plan's `mediaBytes` bounds the whole library. */
export const MEDIA_FILE_LIMIT = 5 * 1024 * 1024;

/** Decoded images larger than this many pixels are refused (a small file may unpack to gigabytes). */
export const MEDIA_PIXEL_LIMIT = 40_000_000;

/** The widths an image is served at; a request for any other width is not found. */
export const MEDIA_WIDTHS = [320, 640, 960, 1280, 1920] as const;
export type MediaWidth = (typeof MEDIA_WIDTHS)[number];

/** What a resized image may be served as: the extension of its address, and its content type. */
export const SERVED_FORMATS = { webp: 'image/webp', avif: 'image/avif', jpeg: 'image/jpeg', png: 'image/png' } as const;
export type ServedFormat = keyof typeof SERVED_FORMATS;

export const MEDIA_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif'] as const satisfies readonly MediaContentType[];

/**
 * The type of an image from its first bytes; the name or type a client claims is never trusted.
 * Null for anything that is not PNG, JPEG, WebP, GIF or AVIF.
 */
export function sniffImageType(bytes: Uint8Array): MediaContentType | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(1, 4) === 'PNG' && bytes[4] === 0x0d && bytes[5] === 0x0a && bytes[6] === 0x1a && bytes[7] === 0x0a) {
    return 'image/png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif';
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  // ISO base media: a `ftyp` box naming an AVIF brand.
  if (bytes.length >= 12 && ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'image/avif';
  return null;
}

/** The address an image is served at on its site's own host. */
export function mediaPath(mediaId: string, width: MediaWidth, format: ServedFormat): string {
  return `/_mosaic/media/${mediaId}/${width}.${format}`;
}
