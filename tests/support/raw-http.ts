import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import net from 'node:net';

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers keep every value. */
  headers: Record<string, string[]>;
  /** The body as sent, decoded from its Content-Encoding (gzip, br) when it has one. */
  body: string;
  /** The server closed the connection after this response. */
  closed: boolean;
}

/**
 * Sends bytes exactly as given (several Host lines, absolute-form targets, anything `http` would
 * refuse to send) and reads one response.
 */
export function rawRequest(port: number, lines: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(lines));
    let data = Buffer.alloc(0);
    let response: Omit<RawResponse, 'closed'> | null = null;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${timeoutMs} ms: ${data.toString('latin1').slice(0, 200)}`));
    }, timeoutMs);
    const done = (closed: boolean) => {
      const parsed = response ?? parseResponse(data, true);
      if (!parsed) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parsed, closed });
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      response ??= parseResponse(data, false);
      // Give the server a moment to close the connection, so `closed` can be told.
      if (response) setTimeout(() => done(socket.readyState !== 'open'), 50);
    });
    socket.on('close', () => done(true));
    socket.on('error', () => done(true));
  });
}

/**
 * One parsed response when the bytes hold it completely (by Content-Length, or `atEnd`). The answer
 * to a HEAD request (`bodiless`) ends with its headers, whatever its Content-Length says.
 */
export function parseResponse(data: Buffer, atEnd: boolean, bodiless = false): Omit<RawResponse, 'closed'> | null {
  const text = data.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const [statusLine = '', ...fields] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string[]> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    const name = field.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(field.slice(colon + 1).trim());
  }
  const body = data.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  const length = headers['content-length']?.[0];
  if (length !== undefined && body.length < Number(length) && !bodiless) return null;
  if (length === undefined && !atEnd && !/^HTTP\/1\.1 (1\d\d|204|304)/.test(statusLine)) return null;
  return { status: Number(statusLine.split(' ')[1]), headers, body: decoded(body, headers['content-encoding']?.[0]).toString('utf8') };
}

/** A compressed body as its identity bytes; a body that does not decode is kept as sent (the test then sees it). */
function decoded(body: Buffer, encoding: string | undefined): Buffer {
  try {
    if (encoding === 'gzip') return gunzipSync(body);
    if (encoding === 'br') return brotliDecompressSync(body);
  } catch {
    return body;
  }
  return body;
}
