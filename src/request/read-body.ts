import type { IncomingMessage } from 'node:http';

export type BodyRead =
  | { ok: true; body: Buffer }
  | { ok: false; reason: 'too-large' | 'aborted' | 'timeout' | 'busy' };

/** A body source: the Node request in the front, a fetch body stream under `astro dev`. */
export type BodyReader = (limit: number) => Promise<BodyRead>;

/**
 * Reads a Node request body, whatever its framing, and stops at `limit` bytes: the rest is never
 * read (the caller answers and closes the connection). `deadlineMs` bounds a slow sender.
 */
export function readNodeBody(req: IncomingMessage, limit: number, deadlineMs: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onAbort);
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish({ ok: false, reason: 'too-large' });
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ ok: false, reason: 'aborted' });
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), deadlineMs);
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('close', onAbort);
  });
}

/** The same for a fetch body stream; Astro's own size limit (a stream error) counts as too large. */
export async function readWebBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<BodyRead> {
  if (!body) return { ok: true, body: Buffer.alloc(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { ok: true, body: Buffer.concat(chunks, size) };
      size += value.byteLength;
      if (size > limit) return { ok: false, reason: 'too-large' };
      chunks.push(value);
    }
  } catch (error) {
    return { ok: false, reason: error instanceof Error && /body size limit|exceeds the configured limit/i.test(error.message) ? 'too-large' : 'aborted' };
  } finally {
    reader.releaseLock();
  }
}

/**
 * At most `max` bodies are read at once, so concurrent uploads hold at most `max × limit` bytes;
 * a request that finds no free slot is refused (`busy`) without reading anything.
 */
export function boundedReads(max: number): (read: BodyReader) => BodyReader {
  let reading = 0;
  return (read) => async (limit) => {
    if (reading >= max) return { ok: false, reason: 'busy' };
    reading += 1;
    try {
      return await read(limit);
    } finally {
      reading -= 1;
    }
  };
}
