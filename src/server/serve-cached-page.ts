import type { IncomingMessage, ServerResponse } from 'node:http';
import { isNotModified, pageHeaders, type CdnPolicy } from '../page-cache/cached-page.ts';
import type { MemoryPage } from '../page-cache/page-cache.ts';

// Memory hits return the same object every time, so its headers are prepared once.
const prepared = new WeakMap<MemoryPage, Record<string, string | number>>();

/** Answers a page-cache hit straight from the Node front, without Astro. */
export function serveCachedPage(req: IncomingMessage, res: ServerResponse, entry: MemoryPage, tenantId: string, policy: CdnPolicy): void {
  let headers = prepared.get(entry);
  if (!headers) {
    headers = { ...pageHeaders(entry.page, tenantId, policy, 'hit'), 'Content-Length': entry.body.length };
    prepared.set(entry, headers);
  }
  if (isNotModified(entry.page, req.headers['if-none-match'])) {
    const { 'Content-Length': _length, ...rest } = headers;
    res.writeHead(304, rest);
    res.end();
    return;
  }
  res.writeHead(entry.page.status, headers);
  res.end(req.method === 'HEAD' ? undefined : entry.body);
}
