import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorName } from '../errors/catalog.ts';
import type { Logger } from '../log/logger.ts';
import { statusPageParts } from '../render/status-page.ts';
import { replyStatus } from './exchange.ts';

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
};

/**
 * Requests Node's parser refuses before any handler runs (malformed request lines or headers,
 * oversized headers, slow senders): one structured log line each, and the plain status page with
 * the usual security headers instead of Node's bare answer. `CONNECT`, which Node hands to a
 * listener of its own, is refused the same way (Mosaic is no proxy), and so is an `Expect` other
 * than `100-continue`.
 */
export function handleClientErrors(server: http.Server, logger: Logger): void {
  server.on('checkExpectation', (req: http.IncomingMessage, res: http.ServerResponse) => {
    replyStatus(req, res, 'ExpectationFailed', { Connection: 'close' });
  });
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    socket.end(rawStatusPage('MethodNotAllowed', 'Allow: GET, HEAD, POST'));
  });
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // A client that hung up mid-request (or after being answered) needs neither answer nor warning.
    if (answered.has(socket) || error.code === 'ECONNRESET' || error.code === 'HPE_INVALID_EOF_STATE' || !socket.writable) {
      logger.debug({ code: error.code }, 'client went away');
      socket.destroy();
      return;
    }
    logger.info({ code: error.code, err: error.message }, 'malformed request refused');
    answered.add(socket);
    socket.end(rawStatusPage(statusFor(error.code)));
  });
}

function statusFor(code: string | undefined): ErrorName {
  if (code === 'HPE_HEADER_OVERFLOW') return 'HeadersTooLarge';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'RequestTimeout';
  // A method Node's parser does not know at all.
  if (code === 'HPE_INVALID_METHOD') return 'NotImplemented';
  return 'BadRequest';
}

function rawStatusPage(name: ErrorName, ...extra: string[]): Buffer {
  const page = statusPageParts(name);
  const lines = [`HTTP/1.1 ${page.status} ${REASONS[page.status] ?? 'Bad Request'}`, 'Connection: close', ...extra];
  for (const [field, value] of Object.entries(page.headers)) lines.push(`${field}: ${value}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), page.body]);
}
