import { errorCatalog, isMosaicError, type ErrorName } from '../errors/catalog.ts';
import { inlineStylePolicy, PLAIN_SECURITY_HEADERS } from './security-headers.ts';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;min-height:100vh;display:grid;place-items:center;background:#f7f7f8;color:#1c1c21}main{max-width:32rem;padding:2rem;text-align:center}h1{font-size:1.75rem;margin:0 0 .75rem}p{color:#45454f;line-height:1.5}';

const HEADERS: Readonly<Record<string, string>> = {
  ...PLAIN_SECURITY_HEADERS,
  'Content-Security-Policy': inlineStylePolicy(STYLE),
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
};

/** A status page ready to write: the same bytes and headers every time. */
export interface StatusPageParts {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

const built = new Map<ErrorName, StatusPageParts>();

/**
 * The plain pages for requests that reach no site (bad host, unknown host, suspended, refusals,
 * errors). They name no tenant and carry no tenant styling, so they reveal nothing about other
 * sites; their one inline style is allowed by its hash.
 */
export function statusPageParts(name: ErrorName): StatusPageParts {
  let parts = built.get(name);
  if (!parts) {
    const entry = errorCatalog[name];
    const body = Buffer.from(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(entry.title)}</title>
<style>${STYLE}</style>
</head><body><main><h1>${escape(entry.title)}</h1><p>${escape(entry.message)}</p></main></body></html>`);
    parts = { status: entry.status ?? 500, headers: { ...HEADERS, 'Content-Length': String(body.length) }, body };
    built.set(name, parts);
  }
  return parts;
}

/** The status page as a fetch `Response` (for Astro's middleware). */
export function statusPage(name: ErrorName, extraHeaders: Record<string, string> = {}): Response {
  const parts = statusPageParts(name);
  return new Response(new Uint8Array(parts.body), { status: parts.status, headers: { ...parts.headers, ...extraHeaders } });
}

/** The catalog entry an unexpected error is shown as: its own when it has a status, else Internal. */
export function errorPageName(error: unknown): ErrorName {
  return isMosaicError(error) && error.status !== null ? error.code : 'Internal';
}
