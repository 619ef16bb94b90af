// npm run bench:fragments (after npm run build). What caching rendered sections could buy on the
// render path, at most: the render time of a demo page with its sections, side by side with the
// same page with no sections at all — what a page assembled entirely from cached sections would
// still cost (data reads, layout, theme, CSP). Embedded database in a temporary directory; no
// services needed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppContext } from '../src/app/create-app-context.ts';
import { loadConfig } from '../src/config/config.ts';
import { createLogger } from '../src/log/logger.ts';
import { execute } from '../src/operations/execute.ts';
import { publishComposition } from '../src/operations/pages/publish-composition.ts';
import { siteOrigin } from '../src/request/resolve-site.ts';
import { astroPageRenderer } from '../src/server/astro-page-renderer.ts';
import type { AstroHandler } from '../src/server/site-front.ts';
import { findTenantId } from '../src/tenants/provision-tenant.ts';

const RENDERS = Number(process.env.BENCH_RENDERS ?? 300);
const SLUG = 'clientsite';
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'mosaic-fragments-'));
const config = loadConfig({ ...process.env, PGLITE_DIR: dir, REDIS_URL: '', LOG_LEVEL: 'error', JOB_POLL_MS: '0', OUTBOX_POLL_MS: '0', PRERENDER_CONCURRENCY: '0' });
const app = await createAppContext(config, createLogger('error', 'bench'), { serving: true });
const { handler } = (await import(`${dist}server/entry.mjs`)) as { handler: AstroHandler };
const render = astroPageRenderer(app, handler);

const tenantId = (await findTenantId(app.db, SLUG))!;
const demo = (await app.repo.page((await app.repo.tenant(tenantId))!, '/'))!;
// The same page without sections: the floor a page assembled from cached sections cannot go below.
await execute(app.auth.context({ kind: 'system', name: 'bench' }, null), publishComposition, {
  tenant: { id: tenantId },
  input: { composition: { ...demo, path: '/bench-frame', sections: [] } },
});
const tenant = (await app.repo.tenant(tenantId))!;
const site = { kind: 'site' as const, tenant, origin: siteOrigin(tenant, config), host: `${SLUG}.localhost` };

async function timeRenders(pagePath: string): Promise<{ p50: number; p99: number; bytes: number }> {
  const times: number[] = [];
  for (let i = 0; i < RENDERS + 20; i++) {
    app.pages!.clear();
    const started = performance.now();
    await render(site, pagePath);
    // The first renders warm the JIT and the data cache; they are not counted.
    if (i >= 20) times.push(performance.now() - started);
  }
  const held = await app.pages!.get(tenant, pagePath);
  const bytes = held ? app.pages!.identity(held).length : 0;
  times.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * p))]! * 1000) / 1000;
  return { p50: pct(0.5), p99: pct(0.99), bytes };
}

const full = await timeRenders('/');
const frame = await timeRenders('/bench-frame');
const share = Math.round(((full.p50 - frame.p50) / full.p50) * 100);
console.log(`Render path, ${RENDERS} renders each, in-process (page cache cleared before each render):`);
console.log('| page | sections | p50 ms | p99 ms | bytes |');
console.log('|---|---|---|---|---|');
console.log(`| ${SLUG} home | ${demo.sections.length} | ${full.p50} | ${full.p99} | ${full.bytes} |`);
console.log(`| same page, no sections (every section a cache hit, at best) | 0 | ${frame.p50} | ${frame.p99} | ${frame.bytes} |`);
console.log(`Rendering the sections is ${share} % of the render at p50: the most a section cache could save.`);
await app.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
