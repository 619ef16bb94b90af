import { describe, expect, test } from 'vitest';
import { robotsTxt, sitemapXml } from '../../src/site/site-documents.ts';

describe('sitemap.xml and robots.txt', () => {
  test('the sitemap lists each page as an absolute URL on the origin, escaped, with when it went live', () => {
    const doc = sitemapXml('https://shop.example', [
      { path: '/', publishedAt: '2026-01-01T00:00:00.000Z' },
      { path: '/a&b', publishedAt: '2026-01-02T00:00:00.000Z' },
    ]);
    expect(doc.contentType).toBe('application/xml; charset=utf-8');
    expect(doc.body).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        '  <url><loc>https://shop.example/</loc><lastmod>2026-01-01T00:00:00.000Z</lastmod></url>',
        '  <url><loc>https://shop.example/a&amp;b</loc><lastmod>2026-01-02T00:00:00.000Z</lastmod></url>',
        '</urlset>',
        '',
      ].join('\n'),
    );
    expect(sitemapXml('https://shop.example', []).body).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>');
  });

  test('robots.txt keeps crawlers out of Mosaic’s own paths and names the sitemap on the origin', () => {
    expect(robotsTxt('http://acme.localhost')).toEqual({
      body: 'User-agent: *\nDisallow: /_mosaic/\n\nSitemap: http://acme.localhost/sitemap.xml\n',
      contentType: 'text/plain; charset=utf-8',
    });
  });
});
