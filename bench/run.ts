// npm run bench — every figure measured in one run on this machine, side by side.
// Needs PostgreSQL and Redis (BENCH_POSTGRES_URL, BENCH_REDIS_URL; the local defaults otherwise).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppContext } from '../src/app/create-app-context.ts';
import { loadConfig } from '../src/config/config.ts';
import { execute } from '../src/operations/execute.ts';
import { publishComposition } from '../src/operations/pages/publish-composition.ts';
import { findTenantId } from '../src/tenants/provision-tenant.ts';
import { readCounter, request, startServer, type RunningServer } from '../tests/support/server-process.ts';
import { BENCH_PATHS, cloneTenants, createBenchDatabase } from './fixtures.ts';
import type { LoadResult, LoadSpec } from './load.ts';
import { residentMemory, runLoad, startHelper } from './processes.ts';

const SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 10_000);
const PUBLISHES = Number(process.env.BENCH_PUBLISHES ?? 100);
const root = fileURLToPath(new URL('..', import.meta.url));

interface Row {
  name: string;
  result: LoadResult;
  rss: number;
}
const rows: Row[] = [];
const log = (message: string) => console.error(`[bench] ${message}`);

const WARM_SECONDS = Number(process.env.BENCH_WARM_SECONDS ?? 3);

/** Warms the server up with the same load, then measures. */
async function measure(name: string, pid: number, spec: Extract<LoadSpec, { seconds: number }>, warmSeconds = WARM_SECONDS): Promise<Row> {
  log(`${name}: warming up for ${warmSeconds}s`);
  await runLoad({ ...spec, seconds: warmSeconds });
  log(`${name}: measuring for ${SECONDS}s`);
  const result = await runLoad(spec);
  const row = { name, result, rss: residentMemory(pid).rss };
  rows.push(row);
  log(`${name}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}`);
  return row;
}

log('building Mosaic and the bare Astro baseline');
execFileSync('npx', ['astro', 'build'], { cwd: root, stdio: 'ignore' });
execFileSync('npx', ['astro', 'build', '--root', 'bench/bare-astro'], { cwd: root, stdio: 'ignore' });

log('creating the benchmark database');
const db = await createBenchDatabase(SERVER_URL);
const servers: RunningServer[] = [];
const mosaicEnv = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: db.appUrl,
  REDIS_URL: REDIS_URL,
  REDIS_PREFIX: `bench${randomBytes(3).toString('hex')}:`,
  LOG_LEVEL: 'warn',
  METRICS_PORT: '0',
  ...extra,
});
// Every scenario drives the generator the same way (a host and path chosen per request), so the
// generator's own cost is equal across rows and the ratios compare servers only.
const fixed = (port: number, host = 'codersinflow.localhost') =>
  ({ kind: 'zipf' as const, port, hosts: [host], paths: ['/'], connections: CONNECTIONS, seconds: SECONDS });
// The same request every time costs the generator less: the ceiling rows 1 and 4 again, in case the
// per-request choice makes the generator the bottleneck.
const lighter = (port: number) => ({ kind: 'fixed' as const, port, host: 'codersinflow.localhost', path: '/', connections: CONNECTIONS, seconds: SECONDS });

try {
  // 3. Mosaic, render path.
  const render = await startServer(mosaicEnv({ PAGE_CACHE: 'off' }));
  servers.push(render);
  const page = await request(render.port, '/', { host: 'codersinflow.localhost' });
  const pageFile = path.join(mkdtempSync(path.join(tmpdir(), 'mosaic-bench-')), 'page.html');
  writeFileSync(pageFile, page.body);

  // 1. Raw Node serving the same bytes.
  const raw = await startHelper('./raw-node.ts', [pageFile]);
  const rawRow = await measure('1. raw Node http, fixed bytes', raw.child.pid!, fixed(raw.port));
  const rawFixedRow = await measure('1b. raw Node http, fixed request (lighter generator)', raw.child.pid!, lighter(raw.port));
  await raw.stop();

  // 2. Bare Astro, same page, hard-coded.
  const bare = await startHelper('./bare-astro-server.ts');
  const bareRow = await measure('2. bare Astro, hard-coded page', bare.child.pid!, fixed(bare.port, 'any.localhost'));
  await bare.stop();

  const renderRow = await measure('3. Mosaic, render path (no page cache)', render.child.pid!, fixed(render.port));
  await render.stop();

  // 4. Mosaic, warm page cache.
  const warm = await startServer(mosaicEnv());
  servers.push(warm);
  const warmRow = await measure('4. Mosaic, page cache warm', warm.child.pid!, fixed(warm.port));
  const warmFixedRow = await measure('4b. Mosaic, page cache warm, fixed request (lighter generator)', warm.child.pid!, lighter(warm.port));
  // Caddy's on-demand TLS ask, on the internal listener: answered from memory.
  await measure('4c. TLS ask on the internal listener (verified domain)', warm.child.pid!, {
    kind: 'fixed',
    port: warm.metricsPort!,
    host: '127.0.0.1',
    path: '/tls/ask?domain=codersinflow.com',
    connections: CONNECTIONS,
    seconds: SECONDS,
  });
  await warm.stop();

  // 5. Many tenants, Zipf over hosts and paths.
  log(`cloning ${TENANTS} tenants`);
  const slugs = await cloneTenants(db.admin, 'bench', TENANTS);
  // The budget holds the whole working set (every page is ~30 KB); see docs/benchmarks.md.
  // The data cache keeps its default budget: page hits need only host and tenant entries.
  const zipfServer = await startServer(mosaicEnv({ PAGE_CACHE_MAX_BYTES: String(1024 * 1024 * 1024), PAGE_CACHE_MAX_ENTRIES: String(TENANTS * 4) }));
  servers.push(zipfServer);
  const hosts = slugs.map((s) => `${s}.localhost`);
  log(`rendering every page of the ${TENANTS} tenants once (steady state: pages change only on publish)`);
  const sweep = await runLoad({ kind: 'sweep', port: zipfServer.port, hosts, paths: BENCH_PATHS, concurrency: 8 });
  log(`sweep: ${Math.round(sweep.requestsPerSecond)} pages/s, non-2xx ${sweep.non2xx}`);
  const zipfRow = await measure(
    `5. Mosaic, ${TENANTS} tenants, Zipf`,
    zipfServer.child.pid!,
    { kind: 'zipf', port: zipfServer.port, hosts, paths: BENCH_PATHS, connections: CONNECTIONS, seconds: SECONDS },
  );
  await zipfServer.stop();

  // 6. Stampede: 500 concurrent requests for one cold tenant across two fresh instances.
  await cloneTenants(db.admin, 'cold', 1);
  const clusterEnv = mosaicEnv();
  const pair = [await startServer(clusterEnv), await startServer(clusterEnv)];
  servers.push(...pair);
  const counters = async () => {
    const out: Record<string, number> = {};
    for (const kind of ['host', 'tenant', 'theme', 'page', 'posts']) {
      out[kind] = (await Promise.all(pair.map((s) => readCounter(s, 'mosaic_database_loads_total', `kind="${kind}"`)))).reduce((a, b) => a + b, 0);
    }
    out.redisReads = (await Promise.all(pair.map((s) => readCounter(s, 'mosaic_redis_reads_total')))).reduce((a, b) => a + b, 0);
    out.renders = (await Promise.all(pair.map((s) => readCounter(s, 'mosaic_page_renders_total')))).reduce((a, b) => a + b, 0);
    return out;
  };
  const before = await counters();
  const burst = await runLoad({ kind: 'burst', ports: pair.map((s) => s.port), host: 'cold-000001.localhost', path: '/', count: 500 });
  const after = await counters();
  const stampede = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
  rows.push({ name: '6. stampede: 500 concurrent, cold tenant, 2 instances', result: burst, rss: residentMemory(pair[0]!.child.pid!).rss });
  log(`stampede: ${JSON.stringify(stampede)} statuses ${JSON.stringify(burst.statuses)}`);

  // 7. Publish-to-visible across the two instances.
  const publisher = await createAppContext(loadConfig({ ...clusterEnv, METRICS_PORT: '' }));
  const tenantId = (await findTenantId(db.admin, 'cold-000001'))!;
  const latencies: number[] = [];
  for (let i = 0; i < PUBLISHES; i++) {
    const title = `Publish ${i} ${randomBytes(3).toString('hex')}`;
    const other = pair[i % 2]!;
    await request(other.port, '/', { host: 'cold-000001.localhost' });
    const started = performance.now();
    await execute(publisher.auth.context({ kind: 'system', name: 'bench' }, null), publishComposition, {
      tenant: { id: tenantId },
      input: { composition: { path: '/', title, sections: [{ type: 'hero', props: { title } }] } },
    });
    while (!(await request(other.port, '/', { host: 'cold-000001.localhost' })).body.includes(title)) {
      if (performance.now() - started > 5000) throw new Error('publish never became visible');
    }
    latencies.push(performance.now() - started);
  }
  await publisher.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]! * 10) / 10;
  const publishRow = { p50: pct(0.5), p99: pct(0.99) };

  // The table.
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const lines = [
    `Machine: ${machine}; ${SECONDS}s per run, ${CONNECTIONS} connections, load generator in its own process.`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | RSS MiB | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${Math.round(r.result.requestsPerSecond)} | ${r.result.p50} | ${r.result.p99} | ${r.rss} | ${r.result.non2xx} |`),
    `| 7. publish → visible on the other instance (${PUBLISHES} publishes) | | ${publishRow.p50} | ${publishRow.p99} | | |`,
    '',
    '| ratio | value | target |',
    '| --- | ---: | ---: |',
    `| 3 ÷ 2 (render path vs bare Astro) | ${(renderRow.result.requestsPerSecond / bareRow.result.requestsPerSecond).toFixed(2)} | ≥ 0.90 |`,
    `| 4 ÷ 1 (warm cache vs raw Node) | ${(warmRow.result.requestsPerSecond / rawRow.result.requestsPerSecond).toFixed(2)} | ≥ 0.50 |`,
    `| 4b ÷ 1b (the same, lighter generator) | ${(warmFixedRow.result.requestsPerSecond / rawFixedRow.result.requestsPerSecond).toFixed(2)} | ≥ 0.50 |`,
    `| 5 ÷ 4 (${TENANTS} tenants Zipf vs one tenant warm) | ${(zipfRow.result.requestsPerSecond / warmRow.result.requestsPerSecond).toFixed(2)} | ≥ 0.80 |`,
    '',
    `Stampede (both instances together): Postgres loads per key ${JSON.stringify(Object.fromEntries(['host', 'tenant', 'theme', 'page', 'posts'].map((k) => [k, stampede[k]])))}, ` +
      `Redis reads ${stampede.redisReads}, renders ${stampede.renders}.`,
  ];
  console.log(lines.join('\n'));
} finally {
  for (const server of servers) await server.stop().catch(() => undefined);
  await db.drop();
}
console.log(`\n${await (await import('./tenant-limits.ts')).benchTenantLimits()}`);
