import { errorCatalog, type ErrorName } from '../errors/catalog.ts';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The plain pages for requests that reach no site (bad host, unknown host, suspended, errors).
 * They name no tenant and carry no tenant styling, so they reveal nothing about other sites.
 */
export function statusPage(name: ErrorName, extraHeaders: Record<string, string> = {}): Response {
  const entry = errorCatalog[name];
  const status = entry.status ?? 500;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(entry.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;min-height:100vh;display:grid;place-items:center;background:#f7f7f8;color:#1c1c21}main{max-width:32rem;padding:2rem;text-align:center}h1{font-size:1.75rem;margin:0 0 .75rem}p{color:#45454f;line-height:1.5}</style>
</head><body><main><h1>${escape(entry.title)}</h1><p>${escape(entry.message)}</p></main></body></html>`;
  return new Response(html, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...extraHeaders,
    },
  });
}
