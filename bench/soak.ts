// npm run soak -- [--minutes N] [--out DIR] [--tenants N] [--rate R] [--no-build]
//
// A long run of mixed load against one production Mosaic process, sampling its memory every few
// seconds. With SOAK_POSTGRES_URL (or DATABASE_URL) naming a PostgreSQL server as its owner, a
// database of its own is created with many tenants and publishes run during the load; otherwise
// the server runs on an embedded database with the demo tenants. REDIS_URL adds the Redis layer.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createAppContext } from '../src/app/create-app-context.ts';
import { loadConfig } from '../src/config/config.ts';
import { execute } from '../src/operations/execute.ts';
import { publishComposition } from '../src/operations/pages/publish-composition.ts';
import { findTenantId } from '../src/tenants/provision-tenant.ts';
import { request, startServer, type RunningServer } from '../tests/support/server-process.ts';
import { BENCH_PATHS, cloneTenants, createBenchDatabase, type BenchDatabase } from './fixtures.ts';
import { residentMemory } from './processes.ts';
import type { SoakLoadSpec } from './soak-load.ts';
import { describeErrors, errorsOf, type SoakTally } from './soak-tally.ts';
import { memoryPlotSvg, type MemorySample } from './soak-plot.ts';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '2' },
    out: { type: 'string', default: 'soak-results' },
    tenants: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '16' },
    'sample-seconds': { type: 'string', default: '5' },
    'publish-seconds': { type: 'string', default: '5' },
    'no-build': { type: 'boolean', default: false },
  },
});
const MINUTES = Number(args.minutes);
const OUT = path.resolve(args.out);
const TENANTS = Number(args.tenants);
const SAMPLE_MS = Number(args['sample-seconds']) * 1000;
const PUBLISH_MS = Number(args['publish-seconds']) * 1000;
const CACHE_MB = Number(process.env.CACHE_MAX_BYTES ?? 32 * 2 ** 20) / 2 ** 20;
const PAGE_CACHE_MB = Number(process.env.PAGE_CACHE_MAX_BYTES ?? 64 * 2 ** 20) / 2 ** 20;
const POSTGRES = process.env.SOAK_POSTGRES_URL ?? process.env.DATABASE_URL;
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (message: string) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}`);
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

interface Row extends MemorySample {
  at: string;
  requests: number;
  errors: number;
  publishes: number;
  load1: number;
}

/** One value of a metric from a Prometheus text page (first matching line). */
function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(name) && (labels === '' || l.includes(labels)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function prepare(): Promise<{ env: Record<string, string>; hosts: string[]; db: BenchDatabase | null; dataDir: string | null }> {
  const common = {
    LOG_LEVEL: 'warn',
    INTERNAL_PORT: '0',
    CACHE_MAX_BYTES: String(CACHE_MB * 2 ** 20),
    PAGE_CACHE_MAX_BYTES: String(PAGE_CACHE_MB * 2 ** 20),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `soak${randomBytes(3).toString('hex')}:` } : {}),
  };
  if (!POSTGRES) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'mosaic-soak-'));
    log('no SOAK_POSTGRES_URL or DATABASE_URL: embedded database with the demo tenants, no publishes');
    return { env: { ...common, PGLITE_DIR: dataDir }, hosts: ['codersinflow.localhost', 'darkflows.localhost', 'clientsite.localhost'], db: null, dataDir };
  }
  const db = await createBenchDatabase(POSTGRES, 'mosaic_soak');
  log(`cloning ${TENANTS} tenants into ${new URL(db.adminUrl).pathname.slice(1)}`);
  const slugs = await cloneTenants(db.admin, 'soak', TENANTS);
  const hosts = ['codersinflow.localhost', 'darkflows.localhost', 'clientsite.localhost', ...slugs.map((s) => `${s}.localhost`)];
  return { env: { ...common, DATABASE_URL: db.appUrl }, hosts, db, dataDir: null };
}

/** Publishes a new home page to one of the popular tenants every `PUBLISH_MS`, through the operations layer. */
function startPublishing(env: Record<string, string>, slugs: string[], onPublished: () => void): () => Promise<void> {
  const ready = createAppContext(loadConfig({ ...process.env, ...env, INTERNAL_PORT: '', NODE_ENV: 'production', SECRET_KEY: 'soak-secret-key-that-is-at-least-32-bytes-long' }), undefined, {
    serving: false,
  });
  let n = 0;
  const timer = setInterval(() => {
    void ready
      .then(async (app) => {
        const slug = slugs[n++ % slugs.length]!;
        const tenantId = await findTenantId(app.db, slug);
        if (!tenantId) return;
        const title = `Soak publish ${n} ${randomBytes(3).toString('hex')}`;
        await execute(app.auth.context({ kind: 'system', name: 'soak' }, null), publishComposition, {
          tenant: { id: tenantId },
          input: { composition: { path: '/', title, sections: [{ type: 'hero', props: { title } }] } },
        });
        onPublished();
      })
      .catch((error: unknown) => log(`publish failed: ${String(error)}`));
  }, PUBLISH_MS);
  return async () => {
    clearInterval(timer);
    await (await ready).close();
  };
}

async function sample(server: RunningServer, started: number, tally: SoakTally, publishes: number): Promise<Row> {
  const text = (await request(server.metricsPort!, '/metrics')).body;
  return {
    at: new Date().toISOString(),
    minutes: Math.round(((Date.now() - started) / 60_000) * 100) / 100,
    rssMiB: residentMemory(server.child.pid!).rss,
    heapUsedMiB: mib(metric(text, 'mosaic_nodejs_heap_size_used_bytes')),
    externalMiB: mib(metric(text, 'mosaic_nodejs_external_memory_bytes')),
    arrayBuffersMiB: mib(metric(text, 'mosaic_nodejs_array_buffers_bytes')),
    pageCacheMiB: mib(metric(text, 'mosaic_memory_cache_bytes', 'cache="page"') + metric(text, 'mosaic_memory_cache_bytes', 'cache="not-found"')),
    dataCacheMiB: mib(metric(text, 'mosaic_memory_cache_bytes', 'cache="data"')),
    requests: Object.values(tally).reduce((sum, row) => sum + row.sent, 0),
    errors: errorsOf(tally).total,
    publishes,
    load1: Math.round(loadavg()[0]! * 100) / 100,
  };
}

function runLoad(spec: SoakLoadSpec, onTally: (tally: SoakTally) => void): Promise<SoakTally> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./soak-load.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send(spec);
    child.on('message', (m: { type: string; tally: SoakTally }) => {
      onTally(m.tally);
      if (m.type === 'done') resolve(m.tally);
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
  });
}

function summary(rows: Row[], tally: SoakTally, setup: string): string {
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const peak = (key: keyof MemorySample) => Math.max(...rows.map((r) => r[key]));
  const line = (label: string, key: keyof MemorySample) => `| ${label} | ${first[key]} | ${peak(key)} | ${last[key]} |`;
  const errors = errorsOf(tally);
  return [
    setup,
    '',
    '| MiB | start | peak | end |',
    '| --- | ---: | ---: | ---: |',
    line('RSS', 'rssMiB'),
    line('JS heap used', 'heapUsedMiB'),
    line('external', 'externalMiB'),
    line('array buffers', 'arrayBuffersMiB'),
    line('page cache (counted)', 'pageCacheMiB'),
    line('data cache (counted)', 'dataCacheMiB'),
    '',
    '| kind | sent | statuses | 5xx | connection errors |',
    '| --- | ---: | --- | ---: | ---: |',
    ...Object.entries(tally).map(([kind, row]) => {
      const statuses = Object.entries(row.statuses).map(([s, n]) => `${s}×${n}`).join(' ');
      return `| ${kind} | ${row.sent} | ${statuses} | ${errors.byKind[kind]!.status5xx} | ${row.connectionErrors} |`;
    }),
    '',
    `Requests: ${last.requests}; publishes: ${last.publishes}; errors (5xx + connection errors): ${errors.total}.`,
  ].join('\n');
}

if (!args['no-build']) {
  log('building');
  execFileSync('npx', ['astro', 'build'], { cwd: root, stdio: 'ignore' });
}
mkdirSync(OUT, { recursive: true });
const { env, hosts, db, dataDir } = await prepare();
let server: RunningServer | null = null;
let stopPublishing: (() => Promise<void>) | null = null;
try {
  server = await startServer(env);
  const running = server;
  // The first render of each demo page once, so the start row is a server that has served.
  for (const host of hosts.slice(0, 3)) await request(running.port, '/', { host });
  let publishes = 0;
  if (db) stopPublishing = startPublishing(env, ['codersinflow', ...hosts.slice(3, 23).map((h) => h.replace('.localhost', ''))], () => publishes++);
  const rows: Row[] = [];
  let tally: SoakTally = {};
  const started = Date.now();
  rows.push(await sample(running, started, tally, publishes));
  const timer = setInterval(() => {
    void sample(running, started, tally, publishes).then(
      (row) => {
        rows.push(row);
        log(`${row.minutes.toFixed(1)} min: RSS ${row.rssMiB} MiB, heap ${row.heapUsedMiB}, external ${row.externalMiB}, page cache ${row.pageCacheMiB}, requests ${row.requests}, errors ${row.errors}${row.errors ? ` (${describeErrors(tally)})` : ''}`);
      },
      (error: unknown) => log(`sample failed: ${String(error)}`),
    );
  }, SAMPLE_MS);
  log(`load for ${MINUTES} min over ${hosts.length} tenants at up to ${args.rate} req/s`);
  tally = await runLoad(
    { port: running.port, hosts, paths: BENCH_PATHS, seconds: MINUTES * 60, concurrency: Number(args.concurrency), rate: Number(args.rate), reportMs: 1000 },
    (t) => (tally = t),
  );
  clearInterval(timer);
  rows.push(await sample(running, started, tally, publishes));

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
  const setup =
    `${MINUTES} min of mixed load at up to ${args.rate} req/s (${args.concurrency} connections) over ${hosts.length} tenants; ` +
    `budgets: page cache ${PAGE_CACHE_MB} MiB, data cache ${CACHE_MB} MiB; ${db ? 'PostgreSQL' : 'embedded database'}${env.REDIS_URL ? ' and Redis' : ', no Redis'}; ` +
    `${machine}.`;
  const title = `Mosaic soak: ${MINUTES} min mixed load, ${hosts.length} tenants`;
  const budgets = [
    { label: `page budget ${PAGE_CACHE_MB}`, mib: PAGE_CACHE_MB },
    { label: `data budget ${CACHE_MB}`, mib: CACHE_MB },
  ];
  writeFileSync(path.join(OUT, 'samples.json'), JSON.stringify({ title, setup, budgets, tally, samples: rows }, null, 2));
  const columns = Object.keys(rows[0]!) as (keyof Row)[];
  writeFileSync(path.join(OUT, 'samples.csv'), [columns.join(','), ...rows.map((r) => columns.map((c) => r[c]).join(','))].join('\n') + '\n');
  writeFileSync(path.join(OUT, 'soak-memory.svg'), memoryPlotSvg(rows, title, budgets));
  const table = summary(rows, tally, setup);
  writeFileSync(path.join(OUT, 'summary.md'), table + '\n');
  console.log(table);
  log(`samples, summary and plot in ${OUT}`);
  process.exitCode = errorsOf(tally).total === 0 ? 0 : 1;
} finally {
  await stopPublishing?.().catch(() => undefined);
  await server?.stop();
  await db?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
