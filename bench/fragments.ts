// npm run bench:fragments (after npm run build). What keeping rendered sections (section
// fragments, src/render/section-fragments.ts) buys on the render path, side by side in one run,
// the rows' renders interleaved so load on the machine falls on every row alike:
// (a) the demo page rendered in full, fragments off;
// (b) the same page after a publish that changed one section: that section rendered, the others kept;
// (c) the same page with every cacheable section kept;
// (d) the same page with no sections at all: the floor no assembly can go below (data reads,
//     layout, theme, CSP, Astro's pipeline).
// The page cache is off: storing a page (compressing it) is the same work for every row and is
// not timed. Embedded database in a temporary directory; no services needed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppContext } from '../src/app/create-app-context.ts';
import { loadConfig } from '../src/config/config.ts';
import { createLogger } from '../src/log/logger.ts';
import { execute } from '../src/operations/execute.ts';
import { publishComposition } from '../src/operations/pages/publish-composition.ts';
import type { PageRenderer } from '../src/render/prerender.ts';
import type { FragmentStore } from '../src/render/section-fragments.ts';
import { siteOrigin } from '../src/request/resolve-site.ts';
import { astroPageRenderer } from '../src/server/astro-page-renderer.ts';
import type { AstroHandler } from '../src/server/site-front.ts';
import { findTenantId } from '../src/tenants/provision-tenant.ts';

const RENDERS = Number(process.env.BENCH_RENDERS ?? 300);
// Another demo page: BENCH_SLUG=codersinflow BENCH_PAGE=/about BENCH_CHANGED=rich-text.
const SLUG = process.env.BENCH_SLUG ?? 'clientsite';
const PAGE = process.env.BENCH_PAGE ?? '/';
const CHANGED = process.env.BENCH_CHANGED ?? 'hero';
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'mosaic-fragments-'));
const config = loadConfig({ ...process.env, PGLITE_DIR: dir, REDIS_URL: '', LOG_LEVEL: 'error', JOB_POLL_MS: '0', OUTBOX_POLL_MS: '0', PRERENDER_CONCURRENCY: '0', PAGE_CACHE: 'off', FRAGMENT_CACHE_MB: '16' });
const app = await createAppContext(config, createLogger('error', 'bench'), { serving: true });
const { handler } = (await import(`${dist}server/entry.mjs`)) as { handler: AstroHandler };
const store = app.fragments!;
// (b): the changed section's kept copy is never found, as after a publish that changed it; the others are.
const oneChanged: FragmentStore = { ...store, get: (key) => (key.includes(`:${CHANGED}/`) ? undefined : store.get(key)) };
const full = astroPageRenderer({ ...app, fragments: null }, handler);

const tenantId = (await findTenantId(app.db, SLUG))!;
const demo = (await app.repo.page((await app.repo.tenant(tenantId))!, PAGE))!;
// The same page without sections: the floor a page assembled from kept sections cannot go below.
await execute(app.auth.context({ kind: 'system', name: 'bench' }, null), publishComposition, {
  tenant: { id: tenantId },
  input: { composition: { ...demo, path: '/bench-frame', sections: [] } },
});
const tenant = (await app.repo.tenant(tenantId))!;
const site = { kind: 'site' as const, tenant, origin: siteOrigin(tenant, config), host: `${SLUG}.localhost` };

const rows: { name: string; path: string; render: PageRenderer; times: number[] }[] = [
  { name: 'full render, fragments off', path: PAGE, render: full, times: [] },
  { name: `one section changed (${CHANGED} rendered, others kept)`, path: PAGE, render: astroPageRenderer({ ...app, fragments: oneChanged }, handler), times: [] },
  { name: 'every cacheable section kept', path: PAGE, render: astroPageRenderer(app, handler), times: [] },
  { name: 'no sections at all (the floor)', path: '/bench-frame', render: full, times: [] },
];
for (let i = 0; i < RENDERS + 20; i++) {
  // Each round starts at another row, so no row always follows the same one (and its garbage).
  for (const row of [...rows.slice(i % rows.length), ...rows.slice(0, i % rows.length)]) {
    const started = performance.now();
    await row.render(site, row.path);
    // The first renders warm the JIT, the data cache and the fragments; they are not counted.
    if (i >= 20) row.times.push(performance.now() - started);
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const round = (ms: number) => Math.round(ms * 10) / 10;
const [base] = rows.map((row) => row.times.sort((a, b) => a - b));
console.log(`Render path, ${RENDERS} renders per row, rows interleaved, in-process, page cache off:`);
console.log(`| ${SLUG} ${PAGE} | p50 ms | p99 ms | p50 ÷ full | p99 ÷ full |`);
console.log('|---|---|---|---|---|');
for (const row of rows) {
  const [p50, p99] = [pct(row.times, 0.5), pct(row.times, 0.99)];
  const ratios = `${(p50 / pct(base!, 0.5)).toFixed(2)} | ${(p99 / pct(base!, 0.99)).toFixed(2)}`;
  console.log(`| ${row.name} | ${round(p50)} | ${round(p99)} | ${ratios} |`);
}
const lookups = (await app.metrics.sectionFragments.get()).values.map((v) => `${v.labels.result} ${v.value}`).join(', ');
console.log(`Sections: ${demo.sections.map((s) => s.type).join(', ')}. Fragment lookups: ${lookups}.`);
await app.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
