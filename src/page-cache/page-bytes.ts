import { copyOf } from './page-compression.ts';

/**
 * The page as bytes of its own: `Buffer.from` would put a small page in a slice of the shared
 * 8 KiB pool and keep all of that pool alive for as long as the page is cached.
 */
export function ownBytes(html: string): Buffer {
  const body = Buffer.allocUnsafeSlow(Buffer.byteLength(html));
  body.write(html, 'utf8');
  return body;
}

/**
 * A rendered response's whole body as one Buffer of its own, the form the page cache keeps.
 *
 * Why not `response.text()`: it holds every chunk until the last one arrives, then decodes them
 * into a string that is encoded again to be stored. Chunks that live for a whole render survive
 * young-generation collections, are promoted and wait, with their off-heap bytes, for a full
 * collection. Here each chunk is copied into the page's buffer (sized from the declared length
 * when there is one) as it arrives and dropped at once, so it dies young. A body of the declared
 * length that arrives as one chunk filling a buffer of its own (Astro's page when it does not
 * stream) is kept as it is, without a copy.
 */
export async function readPageBytes(body: ReadableStream<Uint8Array> | null, declaredLength: number | null): Promise<Buffer> {
  if (!body) return Buffer.allocUnsafeSlow(0);
  const reader = body.getReader();
  let bytes: Buffer | null = null;
  let length = 0;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const chunk = Buffer.from(read.value.buffer, read.value.byteOffset, read.value.byteLength);
      if (!bytes && chunk.length === declaredLength) {
        bytes = copyOf(chunk);
        length = chunk.length;
        continue;
      }
      const needed = length + chunk.length;
      if (!bytes || needed > bytes.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(needed, declaredLength ?? 0, (bytes?.length ?? 0) * 2));
        bytes?.copy(grown, 0, 0, length);
        bytes = grown;
      }
      chunk.copy(bytes, length);
      length = needed;
    }
  } finally {
    reader.releaseLock();
  }
  // copyOf keeps bytes that fill a buffer of their own as they are.
  return bytes ? copyOf(bytes.subarray(0, length)) : Buffer.allocUnsafeSlow(0);
}

/** A response's declared Content-Length, when it declares a usable one. */
export function declaredLength(headers: Headers): number | null {
  const value = headers.get('content-length');
  if (value === null || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/**
 * A response whose body is these exact bytes, handed to the reader as they are: `new Response`
 * of a Buffer would copy the page once more for every render.
 */
export function bytesResponse(bytes: Buffer, init: ResponseInit): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.length > 0) controller.enqueue(bytes);
      controller.close();
    },
  });
  return new Response(body, init);
}
