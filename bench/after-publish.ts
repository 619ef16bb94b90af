// The first request after a publish: how long the first visitor of a changed page waits.
// A publish made through a server's admin API renders the page before the change is announced,
// so the first request (sent to another instance, through Redis) should be a hit.
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import { ADMIN_HOST, ApiClient } from '../tests/support/api-client.ts';
import { createTestApiKey } from '../tests/support/api-fixtures.ts';
import { request } from '../tests/support/server-process.ts';
import { findTenantId } from '../src/tenants/provision-tenant.ts';
import type { BenchContext, BenchModule } from './context.ts';
import { runWrk } from './wrk.ts';

export interface AfterPublishResult {
  publishes: number;
  /** Latency of the first request after each publish, milliseconds. */
  p50: number;
  p99: number;
  /** How many of those first requests were page-cache hits. */
  hits: number;
}

/**
 * Servers measured here need `ADMIN_HOST` set to this host (the admin API answers only there) and
 * `PRERENDER_CONCURRENCY` above 0 (servers started with `tests/support/server-process.ts` have it off).
 */
export const AFTER_PUBLISH_ADMIN_HOST = ADMIN_HOST;

/**
 * Publishes `path` of the tenant `publishes` times through the admin API on `apiPort` and sends
 * requests for it to `sitePorts` in turn (another instance than the publisher's shows the
 * cluster's view) until one sees it: that first request's latency is measured. The page must
 * already exist (published or not).
 */
export async function measureFirstRequestAfterPublish(options: {
  admin: Kysely<Database>;
  tenant: { id: string; slug: string };
  host: string;
  path: string;
  apiPort: number;
  sitePorts: number[];
  publishes: number;
}): Promise<AfterPublishResult> {
  const { tenant, path } = options;
  const { key } = await createTestApiKey(options.admin, { tenantId: tenant.id, role: 'owner' });
  const api = ApiClient.withKey(options.apiPort, key);
  const list = await api.call('GET', `/tenants/${tenant.slug}/pages?limit=100`);
  const pageId = (list.json?.items as { id: string; path: string }[] | undefined)?.find((p) => p.path === path)?.id;
  if (!pageId) throw new Error(`no page at ${path} for ${tenant.slug} (status ${list.status})`);

  const latencies: number[] = [];
  let hits = 0;
  for (let i = 0; i < options.publishes; i++) {
    const title = `After publish ${i}`;
    const current = await api.call('GET', `/tenants/${tenant.slug}/pages/${pageId}`);
    const saved = await api.call('PUT', `/tenants/${tenant.slug}/pages/${pageId}/draft`, {
      headers: { 'if-match': String(current.headers.etag) },
      body: { draft: { title, sections: [{ type: 'hero', props: { title } }] } },
    });
    if (saved.status !== 200) throw new Error(`draft not saved: ${saved.status} ${saved.body}`);
    const published = await api.call('POST', `/tenants/${tenant.slug}/pages/${pageId}/publish`);
    if (published.status !== 200) throw new Error(`not published: ${published.status} ${published.body}`);
    const port = options.sitePorts[i % options.sitePorts.length]!;
    // The other instance hears of the change within milliseconds; the request measured is the first that sees it.
    const deadline = performance.now() + 5000;
    for (;;) {
      const started = performance.now();
      const res = await request(port, path, { host: options.host });
      const took = performance.now() - started;
      if (res.body.includes(title)) {
        latencies.push(took);
        if (res.headers['x-mosaic-cache'] === 'hit') hits++;
        break;
      }
      if (performance.now() > deadline) throw new Error(`publish ${i} never became visible`);
    }
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]! * 100) / 100;
  return { publishes: options.publishes, p50: pct(0.5), p99: pct(0.99), hits };
}

/**
 * For `npm run bench`: two instances with pre-rendering on; publishes on one, first requests on the
 * other — once on an idle server (single requests), and once while wrk keeps the other instance
 * under the warm row's load (32 connections of warm hits on the home page), which is what a warm
 * hit's p99 is measured under: the ratio compares the loaded figures, both taken in that one run.
 * The loaded measure is taken with warming on hearing a change off, then on (a fresh pair each).
 */
export const benchRow: BenchModule = {
  title: 'first request after a publish',
  async run(ctx) {
    const slug = 'codersinflow';
    const host = `${slug}.localhost`;
    const tenant = { id: (await findTenantId(ctx.db.admin, slug))!, slug };
    for (const warming of ['off', 'on'] as const) {
      const env = { ADMIN_HOST: AFTER_PUBLISH_ADMIN_HOST, PRERENDER_CONCURRENCY: '2', ...(warming === 'off' ? { PAGE_WARM_CONCURRENCY: '0' } : {}) };
      const [publisher, other] = [await ctx.startMosaic(env), await ctx.startMosaic(env)];
      await measurePair(ctx, { tenant, host, publisher: publisher!.port, other: other!.port, warming });
      await Promise.all([publisher!.stop(), other!.stop()]);
    }
  },
};

async function measurePair(
  ctx: BenchContext,
  options: { tenant: { id: string; slug: string }; host: string; publisher: number; other: number; warming: 'on' | 'off' },
): Promise<void> {
  const { tenant, host, warming } = options;
  const suffix = warming === 'off' ? '-unwarmed' : '';
  const label = warming === 'off' ? ', warming off' : '';
  const measure = () =>
    measureFirstRequestAfterPublish({
      admin: ctx.db.admin,
      tenant,
      host,
      path: '/about',
      apiPort: options.publisher,
      sitePorts: [options.other],
      publishes: ctx.options.publishes,
    });
  const row = (key: string, name: string, result: AfterPublishResult) =>
    ctx.record(key, {
      name: `${name} (${result.publishes} publishes, ${result.hits} hits)`,
      result: { requestsPerSecond: Number.NaN, p50: result.p50, p99: result.p99, non2xx: 0 },
      rss: null,
    });

  row(`after-publish-idle${suffix}`, `first request after a publish, other instance idle${label}`, await measure());

  // wrk runs for a fixed time: long enough for every publish (a few hundred ms each under load).
  const load = { port: options.other, hosts: [host], paths: ['/'], connections: ctx.options.connections };
  await runWrk({ ...load, seconds: ctx.options.warmSeconds });
  const loaded = runWrk({ ...load, seconds: Math.max(ctx.options.seconds, Math.ceil(ctx.options.publishes * 0.75)) });
  const first = await measure();
  const warm = await loaded;
  row(`after-publish${suffix}`, `first request after a publish, other instance under ${ctx.options.connections} connections of warm hits${label}`, first);
  ctx.record(`after-publish-warm${suffix}`, { name: `the warm hits on that instance meanwhile (publishes included${label})`, result: warm, rss: null });
}
