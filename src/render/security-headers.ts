import { createHash } from 'node:crypto';

/**
 * The security headers of every response Mosaic sends. Pages get a Content-Security-Policy built
 * from Astro's hashes of the scripts and styles it rendered (see `pagePolicy`); everything else
 * (status pages, health, static files, refusals) gets a policy that allows nothing it does not need.
 */

const COMMON: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
};

const LOCKED_DOWN = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Responses that are not pages: health, metrics, static files, plain refusals. */
export const PLAIN_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON,
  'Content-Security-Policy': LOCKED_DOWN,
  'X-Frame-Options': 'DENY',
};

/**
 * SVGs open as documents when visited directly: no script, no plugins, no navigation (`sandbox`);
 * inline styles only, since SVG files style themselves with them.
 */
export const SVG_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...PLAIN_SECURITY_HEADERS,
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
};

// Everything but script-src / style-src, which Astro writes with the hashes of what it rendered.
const PAGE_DIRECTIVES = [
  "default-src 'self'",
  "img-src 'self' https: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * A page's policy: Mosaic's directives plus Astro's `script-src` and `style-src` with the hashes
 * of the inline scripts (island hydration) and styles that the page was rendered with. Hashes
 * are taken when the page is rendered, never from its HTML afterwards, so injected markup can
 * never allow itself. Without Astro's part, inline scripts and styles are refused.
 */
export function pagePolicy(astroPolicy: string | null): string {
  const own = astroPolicy?.match(/(?:script|style)-src(?:-elem|-attr)? [^;]*;?/g)?.map((d) => d.replace(/;$/, '').trim());
  const scripts = own?.length ? own.join('; ') : "script-src 'self'; style-src 'self'";
  return `${PAGE_DIRECTIVES}; ${scripts}`;
}

/** Headers of a page (HTML rendered for a tenant) with the given policy. */
export function pageSecurityHeaders(policy: string): Record<string, string> {
  return { ...COMMON, 'Content-Security-Policy': policy, 'X-Frame-Options': 'SAMEORIGIN' };
}

/** `policy` with only `origin` (a source expression such as an origin or `'none'`) allowed to frame the page. */
export const framableBy = (policy: string, origin: string): string => policy.replace(/frame-ancestors [^;]*/, `frame-ancestors ${origin}`);

/**
 * A draft preview: framed by the admin's editor and by nothing else (`frame-ancestors` names the
 * admin origin; `X-Frame-Options` cannot name another origin, so it is left out), never indexed,
 * never stored by anyone. `astroPolicy` is Astro's for a rendered page, null for a plain answer.
 */
export function previewSecurityHeaders(astroPolicy: string | null, adminOrigin: string, rendered = true): Record<string, string> {
  const policy = rendered ? pagePolicy(astroPolicy) : LOCKED_DOWN;
  return {
    ...COMMON,
    'Content-Security-Policy': framableBy(policy, adminOrigin),
    'X-Robots-Tag': 'noindex, nofollow',
    'Cache-Control': 'no-store',
  };
}

/**
 * The editor on the admin host: its own scripts (Astro's hashes), framed by nothing, never stored
 * or indexed. It frames draft previews, which live on each tenant's own host (any origin of the
 * public scheme: custom domains are many); the frame is sandboxed and carries no admin session.
 */
export function editorSecurityHeaders(astroPolicy: string | null, config: { publicScheme: 'http' | 'https'; platformDomain: string }): Record<string, string> {
  // Sites on a local platform address (`<slug>.localhost`) are reached over plain HTTP on any port.
  const local = config.platformDomain === 'localhost' || config.platformDomain.endsWith('.localhost') ? ' http://*.localhost:*' : '';
  const policy = `${framableBy(pagePolicy(astroPolicy), "'none'")}; frame-src ${config.publicScheme}:${local}`;
  return { ...COMMON, 'Content-Security-Policy': policy, 'X-Frame-Options': 'DENY', 'X-Robots-Tag': 'noindex, nofollow', 'Cache-Control': 'no-store' };
}

/** The policy of a page with one inline `<style>` and nothing else (the plain status pages). */
export function inlineStylePolicy(css: string): string {
  return `${LOCKED_DOWN}; style-src '${contentHash(css)}'`;
}

/** The CSP hash of an inline `<style>` or `<script>`'s exact text (Astro adds the quotes). */
export function contentHash(text: string): `sha256-${string}` {
  return `sha256-${createHash('sha256').update(text).digest('base64')}`;
}

/** Sent only on requests that arrived over HTTPS (directly or through a trusted proxy). */
export const HSTS: Readonly<Record<string, string>> = { 'Strict-Transport-Security': 'max-age=31536000' };

/** Adds the plain headers a response does not set itself. */
export function withSecurityHeaders(response: Response, headers: Readonly<Record<string, string>> = PLAIN_SECURITY_HEADERS): Response {
  for (const [name, value] of Object.entries(headers)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
}
