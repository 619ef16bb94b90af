// npm run bench:cluster — the stampede and publish-to-visible figures with three instances on a
// Redis Cluster of three masters (all on loopback, started here and stopped at the end).
// Needs PostgreSQL (BENCH_POSTGRES_URL, the local default otherwise) and redis-server on PATH.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createAppContext } from '../src/app/create-app-context.ts';
import { loadConfig } from '../src/config/config.ts';
import { execute } from '../src/operations/execute.ts';
import { publishComposition } from '../src/operations/pages/publish-composition.ts';
import { findTenantId } from '../src/tenants/provision-tenant.ts';
import { startPrivateRedisCluster } from '../tests/support/private-redis-cluster.ts';
import { readCounter, request, startServer, type RunningServer } from '../tests/support/server-process.ts';
import { cloneTenants, createBenchDatabase } from './fixtures.ts';
import { runLoad } from './processes.ts';

const SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const INSTANCES = 3;
const BURST = Number(process.env.BENCH_BURST ?? 500);
const PUBLISHES = Number(process.env.BENCH_PUBLISHES ?? 100);
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (message: string) => console.error(`[bench:cluster] ${message}`);

log('building Mosaic');
execFileSync('npx', ['astro', 'build'], { cwd: root, stdio: 'ignore' });
const db = await createBenchDatabase(SERVER_URL);
const redis = await startPrivateRedisCluster(3);
const servers: RunningServer[] = [];
try {
  const env = {
    DATABASE_URL: db.appUrl,
    REDIS_URL: redis.url,
    REDIS_CLUSTER: 'true',
    REDIS_PREFIX: `bc${randomBytes(3).toString('hex')}:`,
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
  };
  await cloneTenants(db.admin, 'cold', 1);
  servers.push(...(await Promise.all(Array.from({ length: INSTANCES }, () => startServer(env)))));
  const host = 'cold-000001.localhost';

  // Stampede: many visitors at once for one cold site, spread over every instance.
  const kinds = ['host', 'tenant', 'theme', 'page', 'posts'];
  const counters = async () => {
    const sum = async (name: string, labels = '') => (await Promise.all(servers.map((s) => readCounter(s, name, labels)))).reduce((a, b) => a + b, 0);
    const out: Record<string, number> = {};
    for (const kind of kinds) out[kind] = await sum('mosaic_database_loads_total', `kind="${kind}"`);
    out.renders = await sum('mosaic_page_renders_total');
    return out;
  };
  const before = await counters();
  const burst = await runLoad({ kind: 'burst', ports: servers.map((s) => s.port), host, path: '/', count: BURST });
  const after = await counters();
  const stampede = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
  log(`stampede: ${JSON.stringify(stampede)} statuses ${JSON.stringify(burst.statuses)}`);

  // Publish → visible on every instance (the slowest of the three counts).
  const publisher = await createAppContext(loadConfig({ ...env, METRICS_PORT: '' }));
  const tenantId = (await findTenantId(db.admin, 'cold-000001'))!;
  const latencies: number[] = [];
  for (let i = 0; i < PUBLISHES; i++) {
    const title = `Publish ${i} ${randomBytes(3).toString('hex')}`;
    await Promise.all(servers.map((s) => request(s.port, '/', { host })));
    const started = performance.now();
    await execute(publisher.auth.context({ kind: 'system', name: 'bench' }, null), publishComposition, {
      tenant: { id: tenantId },
      input: { composition: { path: '/', title, sections: [{ type: 'hero', props: { title } }] } },
    });
    const seen = await Promise.all(
      servers.map(async (server) => {
        while (!(await request(server.port, '/', { host })).body.includes(title)) {
          if (performance.now() - started > 5000) throw new Error('publish never became visible');
        }
        return performance.now() - started;
      }),
    );
    latencies.push(Math.max(...seen));
  }
  await publisher.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]! * 10) / 10;

  console.log(
    [
      `${INSTANCES} instances, Redis Cluster of 3 masters, all on loopback.`,
      '',
      '| figure | value |',
      '| --- | ---: |',
      `| stampede: ${BURST} concurrent requests for one cold site, Postgres loads per key | ${kinds.map((k) => `${k} ${stampede[k]}`).join(', ')} |`,
      `| stampede: renders in the whole cluster | ${stampede.renders} |`,
      `| stampede: statuses | ${JSON.stringify(burst.statuses)} |`,
      `| publish → visible on all ${INSTANCES} instances, p50 (${PUBLISHES} publishes) | ${pct(0.5)} ms |`,
      `| publish → visible on all ${INSTANCES} instances, p99 | ${pct(0.99)} ms |`,
    ].join('\n'),
  );
} finally {
  await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
  await redis.stop();
  await db.drop();
}
