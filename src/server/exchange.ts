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
  /** The origin-form target, parsed (dot segments resolved, percent-encoding kept). */
  url: URL;
  view: ClientView;
  /** Headers every response to this request adds (`Vary`, `Strict-Transport-Security`), or none. */
  extra: Readonly<Record<string, string>> | null;
}

// Only the path and query of `url` are used; this origin is never shown to anyone.
const BASE = 'http://front.invalid';

/** Parses an origin-form target without ever reading `//host/...` as an authority. */
export const parseTarget = (path: string): URL => new URL(BASE + path);

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
