import type { PublishedPath } from './site-types.ts';

// The machine-readable files every site answers: built from its published pages, with absolute
// URLs on its canonical origin (the primary domain, else its platform address).

export interface SiteDocument {
  body: string;
  contentType: string;
}

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** `sitemap.xml` (sitemaps.org 0.9): one `<url>` per published page, `lastmod` when it went live. */
export function sitemapXml(origin: string, pages: readonly PublishedPath[]): SiteDocument {
  const urls = pages.map((page) => {
    const loc = new URL(page.path, origin).toString();
    return `  <url><loc>${escapeXml(loc)}</loc><lastmod>${page.publishedAt}</lastmod></url>`;
  });
  const body = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...urls, '</urlset>', ''].join('\n');
  return { body, contentType: 'application/xml; charset=utf-8' };
}

/** `robots.txt`: everything may be crawled but Mosaic's own paths; names the sitemap. */
export function robotsTxt(origin: string): SiteDocument {
  const body = ['User-agent: *', 'Disallow: /_mosaic/', '', `Sitemap: ${origin}/sitemap.xml`, ''].join('\n');
  return { body, contentType: 'text/plain; charset=utf-8' };
}
