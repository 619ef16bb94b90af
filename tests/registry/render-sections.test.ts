import { getContainerRenderer } from '@astrojs/react';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { loadRenderers } from 'astro:container';
import { beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { components } from '../../registry/components.ts';
import type { SiteInfo } from '../../registry/types.ts';

const site: SiteInfo = { slug: 'acme', name: 'Acme & Co', origin: 'https://acme.example', path: '/contact', logoUrl: '/brand/acme/logo.svg', flags: {} };

let container: AstroContainer;
beforeAll(async () => {
  container = await AstroContainer.create({ renderers: await loadRenderers([getContainerRenderer()]) });
});

async function render(type: string, props: unknown, options: { variant?: string; data?: unknown; site?: SiteInfo } = {}) {
  const parsed = catalog.get(type)!.schema.parse(props);
  const parts = components[type]!;
  const component = options.variant ? parts.variants[options.variant]! : parts.default;
  return container.renderToString(component as never, { props: { props: parsed, data: options.data, site: options.site ?? site } });
}

describe('section components render through Astro', () => {
  test('header: landmark, labelled navigation, current page marked, escaped site name', async () => {
    const html = await render('header', { links: [{ label: 'Contact', href: '/contact' }, { label: 'About', href: '/about' }] });
    expect(html).toMatch(/<header[^>]*class="site-header"/);
    expect(html).toMatch(/<nav[^>]*aria-label="Main"/);
    expect(html).toMatch(/href="\/contact"[^>]*aria-current="page"/);
    expect(html).toContain('Acme &amp; Co');
    expect(html).not.toContain('<script');
  });

  test('hero and its shared variant', async () => {
    const props = { title: '<b>Bold</b> claims', highlights: ['One', 'Two'] };
    expect(await render('hero', props)).toContain('<h1');
    const split = await render('hero', props, { variant: 'split' });
    expect(split).toContain('&lt;b&gt;Bold&lt;/b&gt; claims');
    expect(split).toMatch(/<ul[^>]*aria-label="Highlights"/);
  });

  test('tenant variants render their own markup', async () => {
    expect(await render('hero', { title: 'Edge', highlights: ['status'] }, { variant: 'darkflows-terminal' })).toContain('class="terminal"');
    expect(await render('features', { title: 'F', items: [{ title: 'Ship small', text: 't' }] }, { variant: 'codersinflow-code' })).toContain('ship-small.ts');
    expect(await render('team', { title: 'T', members: [{ name: 'Dr. A', role: 'Dentist' }], note: 'Open daily' }, { variant: 'clientsite-care' })).toContain('Open daily');
    expect(await render('services', { title: 'S', items: [{ name: 'Clean', description: 'd', price: '£65' }] }, { variant: 'clientsite-treatments' })).toContain('£65');
  });

  test('services is a React component rendered on the server only', async () => {
    const html = await render('services', { title: 'What we do', items: [{ name: 'Build', description: 'We build', points: ['Fast'] }] });
    expect(html).toContain('mosaic-services');
    expect(html).toContain('We build');
    expect(html).not.toContain('astro-island');
  });

  test('the carousel variant hydrates as an island', async () => {
    const html = await render('testimonials', { title: 'Said', items: [{ quote: 'Great', author: 'Ann' }, { quote: 'Good', author: 'Bo' }] }, { variant: 'carousel' });
    expect(html).toContain('<astro-island');
    expect(html).toContain('client="visible"');
    expect(html).toContain('Great');
  });

  test('rich text renders sanitized HTML only', async () => {
    const html = await render('rich-text', { html: '<p>Safe</p><script>alert(1)</script><img src=x onerror=alert(1)>' });
    expect(html).toContain('<p>Safe</p>');
    expect(html).not.toMatch(/<script|onerror|<img/);
  });

  test('blog lists the loaded posts with links', async () => {
    const posts = [{ slug: 'hello', title: 'Hello', excerpt: 'First', author: 'Ann', publishedAt: '2026-01-02T00:00:00Z' }];
    const html = await render('blog', { title: 'News' }, { data: { posts, nextPublishAt: null } });
    expect(html).toContain('href="/blog/hello"');
    expect(html).toContain('datetime="2026-01-02T00:00:00Z"');
    expect(await render('blog', { title: 'News' }, { data: { posts: [], nextPublishAt: null } })).toContain('No posts yet');
  });

  test('contact is a real form with labels, a honeypot, and status messages', async () => {
    const html = await render('contact', { title: 'Write to us' });
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/_mosaic\/forms\/contact"/);
    for (const field of ['name', 'email', 'message']) expect(html).toContain(`for="contact-${field}"`);
    expect(html).toContain('name="website"');
    expect(html).toMatch(/name="page" value="\/contact"/);
    const sent = await render('contact', { title: 'Write to us' }, { site: { ...site, flags: { contact: 'sent' } } });
    expect(sent).toContain('role="status"');
    const invalid = await render('contact', { title: 'Write to us' }, { site: { ...site, flags: { contact: 'invalid' } } });
    expect(invalid).toContain('role="alert"');
  });

  test('cta, features, team and footer render their content', async () => {
    expect(await render('cta', { title: 'Go', action: { label: 'Start', href: '/start' } })).toContain('href="/start"');
    expect(await render('features', { title: 'Why', items: [{ icon: 'heart', title: 'Care', text: 'We care' }] })).toContain('We care');
    expect(await render('team', { title: 'People', members: [{ name: 'Ada Lovelace', role: 'Engineer' }] })).toContain('>AL<');
    const footer = await render('footer', { columns: [{ title: 'More', links: [{ label: 'Blog', href: '/blog' }] }] });
    expect(footer).toMatch(/<footer/);
    expect(footer).toContain('Acme &amp; Co');
  });
});
