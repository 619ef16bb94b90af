import path from 'node:path';
import send from 'send';
import { PLAIN_SECURITY_HEADERS, SVG_SECURITY_HEADERS } from '../render/security-headers.ts';
import { replyStatus, type Exchange } from './exchange.ts';

const BUILD_PREFIX = '/_astro/';
const BRAND_PREFIX = '/brand/';

/**
 * Files from `dist/client`: Astro's hashed build assets (shared by every site, cached for a year)
 * and each tenant's brand files (`/brand/<slug>/…`, served only on that tenant's own hosts).
 * Every file carries `nosniff`; an SVG also a policy under which it cannot run script.
 */
export function createStaticFiles(clientDir: string) {
  const root = path.resolve(clientDir);
  return {
    build(ex: Exchange): Promise<void> {
      return sendFile(ex, path.join(root, '_astro'), ex.url.pathname.slice(BUILD_PREFIX.length - 1), true);
    },
    /** `slug` is the tenant the request's host resolved to; another tenant's files are not found. */
    tenant(ex: Exchange, slug: string): Promise<void> {
      const rest = ex.url.pathname.slice(BRAND_PREFIX.length);
      const end = rest.indexOf('/');
      // Compared before decoding: slugs are plain labels, so an encoded one never matches.
      if (end === -1 || rest.slice(0, end) !== slug) return Promise.resolve(replyStatus(ex.req, ex.res, 'PageNotFound', ex.extra));
      return sendFile(ex, path.join(root, 'brand', slug), rest.slice(end), false);
    },
  };
}

/**
 * `encodedPath` is still percent-encoded: `send` decodes it once and refuses anything that leaves
 * `dir` (`..`, encoded or not). Every failure is a plain 404.
 */
function sendFile(ex: Exchange, dir: string, encodedPath: string, immutable: boolean): Promise<void> {
  return new Promise((resolve) => {
    const notFound = () => {
      if (!ex.res.headersSent) replyStatus(ex.req, ex.res, 'PageNotFound', ex.extra);
      else ex.res.destroy();
      resolve();
    };
    ex.res.once('close', resolve);
    send(ex.req, encodedPath, { root: dir, dotfiles: 'deny', index: false, immutable, maxAge: immutable ? '365d' : '1h' })
      .on('headers', (res, file: string) => {
        const headers = file.endsWith('.svg') ? SVG_SECURITY_HEADERS : PLAIN_SECURITY_HEADERS;
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        if (ex.extra) for (const [name, value] of Object.entries(ex.extra)) res.setHeader(name, value);
      })
      .on('directory', notFound)
      .on('error', notFound)
      .on('end', resolve)
      .pipe(ex.res);
  });
}
