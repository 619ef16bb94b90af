import type { Kysely } from 'kysely';
import sharp from 'sharp';
import type { Database } from '../../src/db/schema.ts';
import { execute } from '../../src/operations/execute.ts';
import { uploadMedia, type MediaView } from '../../src/operations/media/index.ts';
import { testContext } from './publish.ts';

type Format = 'png' | 'jpeg' | 'webp' | 'gif' | 'avif';

/** A real image of one colour, made by sharp, in `format`. */
export function makeImage(format: Format, width = 64, height = 48, colour = '#336699'): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  return image[format]().toBuffer();
}

/** A real image as base64, the way the API takes it. */
export const makeImageBase64 = async (format: Format, width?: number, height?: number): Promise<string> =>
  (await makeImage(format, width, height)).toString('base64');

/** An image in a site's library, uploaded by the operation as the command line would (on the owner's connection). */
export async function createTestMedia(
  admin: Kysely<Database>,
  tenantId: string,
  options: { alt?: string; format?: Format; width?: number; height?: number } = {},
): Promise<MediaView> {
  const data = await makeImageBase64(options.format ?? 'png', options.width ?? 16, options.height ?? 16);
  return execute(testContext(admin), uploadMedia, { tenant: { id: tenantId }, input: { data, alt: options.alt ?? 'A test image' } });
}
