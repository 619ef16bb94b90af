// Two instances sharing Postgres and Redis: a stampede on one cold tenant, then publish → visible
// on the other instance. Node generators (load.ts) serve here: these are counts and latencies of
// single requests, not throughput.
import { randomBytes } from 'node:crypto';
import { createAppContext } from '../../src/app/create-app-context.ts';
import { loadConfig } from '../../src/config/config.ts';
import { execute } from '../../src/operations/execute.ts';
import { publishComposition } from '../../src/operations/pages/publish-composition.ts';
import { findTenantId } from '../../src/tenants/provision-tenant.ts';
import { readCounter, request, type RunningServer } from '../../tests/support/server-process.ts';
import type { BenchContext, BenchModule } from '../context.ts';
import { cloneTenants } from '../fixtures.ts';
import { residentMemory, runLoad } from '../processes.ts';

const COLD = 'cold-000001';
const KINDS = ['host', 'tenant', 'theme', 'page', 'posts'];

async function counters(pair: RunningServer[]): Promise<Record<string, number>> {
  const sum = async (name: string, labels = '') => (await Promise.all(pair.map((s) => readCounter(s, name, labels)))).reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  for (const kind of KINDS) out[kind] = await sum('mosaic_database_loads_total', `kind="${kind}"`);
  out.redisReads = await sum('mosaic_redis_reads_total');
  out.renders = await sum('mosaic_page_renders_total');
  return out;
}

async function stampede(ctx: BenchContext, pair: RunningServer[]): Promise<void> {
  const before = await counters(pair);
  const burst = await runLoad({ kind: 'burst', ports: pair.map((s) => s.port), host: `${COLD}.localhost`, path: '/', count: 500 });
  const after = await counters(pair);
  const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
  ctx.record('stampede', { name: 'stampede: 500 concurrent, cold tenant, 2 instances', result: burst, rss: residentMemory(pair[0]!.child.pid!).rss });
  ctx.notes.push(
    `Stampede (both instances together): Postgres loads per key ${JSON.stringify(Object.fromEntries(KINDS.map((k) => [k, delta[k]])))}, ` +
      `Redis reads ${delta.redisReads}, renders ${delta.renders}, statuses ${JSON.stringify(burst.statuses)}.`,
  );
}

async function publishToVisible(ctx: BenchContext, pair: RunningServer[]): Promise<void> {
  const publisher = await createAppContext(loadConfig({ ...ctx.mosaicEnv(), METRICS_PORT: '' }));
  const tenantId = (await findTenantId(ctx.db.admin, COLD))!;
  const latencies: number[] = [];
  try {
    for (let i = 0; i < ctx.options.publishes; i++) {
      const title = `Publish ${i} ${randomBytes(3).toString('hex')}`;
      const other = pair[i % 2]!;
      await request(other.port, '/', { host: `${COLD}.localhost` });
      const started = performance.now();
      await execute(publisher.auth.context({ kind: 'system', name: 'bench' }, null), publishComposition, {
        tenant: { id: tenantId },
        input: { composition: { path: '/', title, sections: [{ type: 'hero', props: { title } }] } },
      });
      while (!(await request(other.port, '/', { host: `${COLD}.localhost` })).body.includes(title)) {
        if (performance.now() - started > 5000) throw new Error('publish never became visible');
      }
      latencies.push(performance.now() - started);
    }
  } finally {
    await publisher.close();
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]! * 10) / 10;
  ctx.record('publish-visible', {
    name: `publish → visible on the other instance (${latencies.length} publishes)`,
    result: { requestsPerSecond: Number.NaN, p50: pct(0.5), p99: pct(0.99), non2xx: 0 },
    rss: null,
  });
}

export const twoInstances: BenchModule = {
  title: 'stampede and publish → visible',
  async run(ctx) {
    await cloneTenants(ctx.db.admin, 'cold', 1);
    const pair = [await ctx.startMosaic(), await ctx.startMosaic()];
    await stampede(ctx, pair);
    await publishToVisible(ctx, pair);
    for (const server of pair) await server.stop();
  },
};
