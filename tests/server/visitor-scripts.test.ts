import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { request, startServer, type RunningServer } from '../support/server-process.ts';

const DEMOS = ['codersinflow', 'darkflows', 'clientsite'];

interface DemoPage {
  slug: string;
  path: string;
  sections: { type: string; variant?: string }[];
}

/** Every page the demo sites publish, from their files in tenants/. */
async function demoPages(): Promise<DemoPage[]> {
  const pages: DemoPage[] = [];
  for (const slug of DEMOS) {
    const dir = new URL(`../../tenants/${slug}/pages/`, import.meta.url);
    for (const file of await readdir(dir)) {
      const page = JSON.parse(await readFile(new URL(file, dir), 'utf8')) as Omit<DemoPage, 'slug'>;
      if (page.path.startsWith('/')) pages.push({ slug, ...page });
    }
  }
  return pages;
}

/** A section hydrates on the client when its type, or the variant it names, says so. */
const interactive = (s: { type: string; variant?: string }) => {
  const spec = catalog.get(s.type)!;
  return s.variant ? (spec.variants[s.variant]?.interactive ?? spec.interactive) : spec.interactive;
};

describe('visitor pages load no JavaScript unless a section is interactive', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ DATABASE_URL: inject('appDatabaseUrl'), REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `vs${randomBytes(3).toString('hex')}:` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  test('every demo page: no script at all, or only the interactive sections’ islands', async () => {
    const pages = await demoPages();
    expect(pages.filter((p) => p.sections.some(interactive)).length).toBeGreaterThan(0);
    for (const page of pages) {
      const { status, body } = await request(server.port, page.path, { host: `${page.slug}.localhost` });
      const where = `${page.slug}${page.path}`;
      expect(status, where).toBe(page.path === '/404' ? 404 : 200);
      const islands = page.sections.filter(interactive).length;
      const components = [...body.matchAll(/<astro-island[^>]*component-url="([^"]+)"/g)].map((m) => m[1]);
      const scripts = [...body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      if (islands === 0) {
        expect(scripts, where).toEqual([]);
        expect(body, where).not.toContain('astro-island');
        continue;
      }
      // One island per interactive section, its code from the build; the only inline scripts are
      // Astro's island loader (allowed by hash in the policy), never anything of a section's own.
      expect(components, where).toHaveLength(islands);
      for (const url of components) expect(url, where).toMatch(/^\/_astro\/[A-Za-z]+\.[\w-]+\.js$/);
      for (const [, attributes, code] of scripts) {
        expect(attributes, where).toBe('');
        expect(code, where).toMatch(/astro/i);
      }
    }
  });
});
