import type { IncomingMessage, ServerResponse } from 'node:http';
import { isNotModified, pageHeaders, type CachedPage, type CdnPolicy } from '../page-cache/cached-page.ts';

// Memory hits return the same object every time, so its bytes and headers are prepared once.
const prepared = new WeakMap<CachedPage, { body: Buffer; headers: Record<string, string | number> }>();

/** Answers a page-cache hit straight from the Node front, without Astro. */
export function serveCachedPage(req: IncomingMessage, res: ServerResponse, page: CachedPage, tenantId: string, policy: CdnPolicy): void {
  let ready = prepared.get(page);
  if (!ready) {
    const body = Buffer.from(page.html);
    ready = { body, headers: { ...pageHeaders(page, tenantId, policy, 'hit'), 'Content-Length': body.length } };
    prepared.set(page, ready);
  }
  if (isNotModified(page, req.headers['if-none-match'])) {
    const { 'Content-Length': _length, ...headers } = ready.headers;
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(page.status, ready.headers);
  res.end(req.method === 'HEAD' ? undefined : ready.body);
}
