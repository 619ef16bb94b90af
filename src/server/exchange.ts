import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorName } from '../errors/catalog.ts';
import type { ClientView } from '../request/forwarded.ts';
import { PLAIN_SECURITY_HEADERS } from '../render/security-headers.ts';
import { statusPageParts } from '../render/status-page.ts';

/** One request in the Node front, as the route handlers see it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** The target's path as `url.pathname` has it, read without parsing a plain path. */
  pathname: string;
  /** The target's query (`?…`), or '' when it has none. */
  readonly search: string;
  /** The origin-form target, parsed (dot segments resolved, percent-encoding kept) when first read. */
  readonly url: URL;
  view: ClientView;
  /** Headers every response to this request adds (`Vary`, `Strict-Transport-Security`), or none. */
  extra: Readonly<Record<string, string>> | null;
}

// Only the path and query of `url` are used; this origin is never shown to anyone.
const BASE = 'http://front.invalid';

/** Parses an origin-form target without ever reading `//host/...` as an authority. */
export const parseTarget = (path: string): URL => new URL(BASE + path);

/**
 * A path the URL parser would leave exactly as it is: no query, no fragment, no dot segment, no
 * backslash, nothing it would percent-encode. Most page views are such paths and skip the parse.
 */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9\-_~!$&'()*+,;=:@]+(?:\.[A-Za-z0-9\-_~!$&'()*+,;=:@]+)*)*\/?$/;

/** The target's pathname without parsing it when it is plain, else null. */
export const plainPathname = (path: string): string | null => (PLAIN_PATH.test(path) ? path : null);

/** An `Exchange` whose `url` is parsed only when a handler reads it. */
export class FrontExchange implements Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly pathname: string;
  readonly view: ClientView;
  readonly extra: Readonly<Record<string, string>> | null;
  readonly #target: string;
  readonly #plain: boolean;
  #url: URL | null;

  /** `url`: the target already parsed, or null for a plain path (see `plainPathname`). */
  constructor(req: IncomingMessage, res: ServerResponse, method: string, target: string, url: URL | null, view: ClientView, extra: Readonly<Record<string, string>> | null) {
    this.req = req;
    this.res = res;
    this.method = method;
    this.view = view;
    this.extra = extra;
    this.#target = target;
    this.#plain = url === null;
    this.#url = url;
    this.pathname = url ? url.pathname : target;
  }

  get search(): string {
    return this.#plain ? '' : this.url.search;
  }

  get url(): URL {
    return (this.#url ??= parseTarget(this.#target));
  }
}

/** Writes a plain status page (catalog + `statusPage`); no body for HEAD. */
export function replyStatus(req: IncomingMessage, res: ServerResponse, name: ErrorName, headers?: Readonly<Record<string, string>> | null): void {
  const page = statusPageParts(name);
  res.writeHead(page.status, headers ? { ...page.headers, ...headers } : page.headers);
  res.end(req.method === 'HEAD' ? undefined : page.body);
}

/** Writes a short plain-text answer (health checks, metrics). */
export function replyText(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...PLAIN_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** True when the request carries a body (any framing), which a refusal leaves unread. */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
}

/** The values of every `Host` header line (Node's `req.headers` keeps only the first). */
export function hostHeaders(req: IncomingMessage): string[] {
  const raw = req.rawHeaders;
  const hosts: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts.push(raw[i + 1]!);
  }
  return hosts;
}

/** One header's value, the first if repeated. */
export function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

// A refused upload is discarded for at most this long, or this many bytes, before the socket closes.
const LINGER_MS = 2000;
const LINGER_BYTES = 1024 * 1024;

/**
 * Refusing a request whose body is still arriving, the front answers with `Connection: close`
 * and stops using the body. Closing the socket with unread bytes in it would make the kernel send
 * a reset, which can destroy the answer before the client reads it; so, as nginx's lingering
 * close does, the rest is read and discarded for a bounded time and size, then the socket closes.
 */
export function lingerAfterRefusal(req: IncomingMessage): void {
  const socket = req.socket as IncomingMessage['socket'] & { destroySoon?: () => void };
  let discarded = 0;
  const close = () => socket.destroy();
  // Node destroys a `Connection: close` socket as soon as the answer is written; end it instead
  // (no further answers), and destroy it once the client stops sending or the bounds are reached.
  socket.destroySoon = () => {
    socket.end();
    setTimeout(close, LINGER_MS).unref();
  };
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) close();
  });
  req.once('end', () => socket.end());
  req.resume();
}
