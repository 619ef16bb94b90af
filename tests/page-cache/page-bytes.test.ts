import { describe, expect, test } from 'vitest';
import { bytesResponse, declaredLength, readPageBytes } from '../../src/page-cache/page-bytes.ts';

const encoder = new TextEncoder();

/** A stream that hands out `parts` one per read, as Astro's streamed page does. */
function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next < parts.length) controller.enqueue(parts[next++]!);
      else controller.close();
    },
  });
}

/**
 * A producer that reuses one scratch buffer for every chunk, overwriting it on each read: only a
 * reader that takes each chunk's bytes when it arrives, and keeps no reference to it, gets the
 * page right.
 */
function reusingStream(text: string, chunkSize: number): ReadableStream<Uint8Array> {
  const all = encoder.encode(text);
  const scratch = new Uint8Array(chunkSize);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= all.length) return controller.close();
      const part = all.subarray(offset, offset + chunkSize);
      scratch.fill(0);
      scratch.set(part);
      offset += part.length;
      controller.enqueue(scratch.subarray(0, part.length));
    },
  });
}

const ownsItsBuffer = (bytes: Buffer) => bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length;

describe('a rendered page read into bytes of its own', () => {
  const page = `<!DOCTYPE html><html><body>${'<p>é ✓ section</p>'.repeat(400)}</body></html>`;

  test('many small chunks become one right-sized buffer equal to the streamed body', async () => {
    const bytes = encoder.encode(page);
    const parts = Array.from({ length: Math.ceil(bytes.length / 100) }, (_, i) => bytes.slice(i * 100, (i + 1) * 100));
    const read = await readPageBytes(streamOf(parts), null);
    expect(read.toString('utf8')).toBe(page);
    expect(ownsItsBuffer(read)).toBe(true);
  });

  test('each chunk is taken when it arrives, so the producer may reuse or drop it at once', async () => {
    expect((await readPageBytes(reusingStream(page, 64), null)).toString('utf8')).toBe(page);
    expect((await readPageBytes(reusingStream(page, 64), Buffer.byteLength(page))).toString('utf8')).toBe(page);
  });

  test('a declared length that is wrong still gives the exact body', async () => {
    const bytes = encoder.encode(page);
    const parts = [bytes.slice(0, 1000), bytes.slice(1000)];
    for (const declared of [10, bytes.length - 1, bytes.length, bytes.length * 3]) {
      const read = await readPageBytes(streamOf(parts.map((p) => p.slice())), declared);
      expect(read.toString('utf8')).toBe(page);
      expect(ownsItsBuffer(read)).toBe(true);
    }
  });

  test('an unstreamed page of the declared length is kept without a copy', async () => {
    const whole = encoder.encode(page);
    const read = await readPageBytes(streamOf([whole]), whole.length);
    expect(read.buffer).toBe(whole.buffer);
    expect(read.toString('utf8')).toBe(page);
  });

  test('a chunk that is a slice of a larger buffer is copied out of it', async () => {
    const pool = new Uint8Array(8192);
    const part = encoder.encode('<p>small</p>');
    pool.set(part, 100);
    const read = await readPageBytes(streamOf([pool.subarray(100, 100 + part.length)]), part.length);
    expect(read.toString('utf8')).toBe('<p>small</p>');
    expect(ownsItsBuffer(read)).toBe(true);
  });

  test('no body and an empty body are empty pages', async () => {
    expect((await readPageBytes(null, null)).length).toBe(0);
    expect((await readPageBytes(streamOf([]), null)).length).toBe(0);
    expect((await readPageBytes(streamOf([new Uint8Array(0)]), 0)).length).toBe(0);
  });

  test('the body of a rendered Response reads the same as its text', async () => {
    const response = new Response(page, { headers: { 'Content-Length': String(Buffer.byteLength(page)) } });
    const read = await readPageBytes(response.body, declaredLength(response.headers));
    expect(read.toString('utf8')).toBe(page);
  });
});

describe('declared lengths', () => {
  test('only a plain decimal Content-Length counts', () => {
    expect(declaredLength(new Headers({ 'Content-Length': '1234' }))).toBe(1234);
    for (const value of ['', '-1', '1e3', '1 2', 'abc']) expect(declaredLength(new Headers({ 'Content-Length': value }))).toBeNull();
    expect(declaredLength(new Headers())).toBeNull();
  });
});

describe('a response of stored bytes', () => {
  test('hands the reader the very bytes, once, with the status and headers given', async () => {
    const bytes = Buffer.from(encoder.encode('<p>stored</p>'));
    const response = bytesResponse(bytes, { status: 404, headers: { 'X-Test': 'yes' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-test')).toBe('yes');
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value).toBe(bytes);
    expect((await reader.read()).done).toBe(true);
  });

  test('an empty page is a body with nothing in it', async () => {
    expect(await bytesResponse(Buffer.alloc(0), { status: 200 }).text()).toBe('');
  });
});
