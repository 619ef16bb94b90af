import sharp from 'sharp';

type Format = 'png' | 'jpeg' | 'webp' | 'gif' | 'avif';

/** A real image of one colour, made by sharp, in `format`. */
export function makeImage(format: Format, width = 64, height = 48, colour = '#336699'): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  return image[format]().toBuffer();
}

/** A real image as base64, the way the API takes it. */
export const makeImageBase64 = async (format: Format, width?: number, height?: number): Promise<string> =>
  (await makeImage(format, width, height)).toString('base64');
