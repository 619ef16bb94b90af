// npm run bench:memory — resident memory of one Mosaic process with 100,000 tenants in the
// database, while requests spread uniformly over all of them (the worst case for a cache), broken
// down by where it goes. Each variant (a different NODE_OPTIONS) gets a fresh server and fresh
// tenants, in the same run, so they compare side by side. BENCH_MEMORY_SNAPSHOT=1 writes a heap
// snapshot of each variant at its plateau (summarise it with bench/heap-summary.ts).
// BENCH_BEFORE=/path/to/other/checkout (built) runs that checkout's server too, with no
// NODE_OPTIONS, first in the same run, for a before/after comparison.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { readCounter, startServer, type RunningServer } from '../tests/support/server-process.ts';
import { cloneTenants, createBenchDatabase } from './fixtures.ts';
import { runLoad } from './processes.ts';
import { STATED_OVERHEAD_MIB } from './ratios.ts';

const TENANTS = Number(process.env.BENCH_MEMORY_TENANTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 5);
const PER_ROUND = Number(process.env.BENCH_MEMORY_PER_ROUND ?? 4000);
const SNAPSHOT = process.env.BENCH_MEMORY_SNAPSHOT === '1';
const BEFORE = process.env.BENCH_BEFORE ?? null;
// The default budgets; smaller ones reach the plateau (caches full) after fewer renders, which
// shows the fixed overhead on a machine too slow to fill 192 MiB in the time.
const CACHE_MB = Number(process.env.BENCH_MEMORY_CACHE_MIB ?? 64);
const PAGE_CACHE_MB = Number(process.env.BENCH_MEMORY_PAGE_CACHE_MIB ?? 128);
/** NODE_OPTIONS per variant; `BENCH_MEMORY_VARIANTS` (`;`-separated) replaces the list. */
const VARIANTS = process.env.BENCH_MEMORY_VARIANTS?.split(';') ?? ['', '--import=sharp', '--max-semi-space-size=16'];
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (message: string) => console.error(`[memory] ${message}`);
const MIB = 2 ** 20;

/** Where the process's resident memory is: the kernel's split and V8's. */
async function breakdown(server: RunningServer): Promise<Record<string, number>> {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  const metric = async (name: string, labels = '') => (await readCounter(server, name, labels)) / MIB;
  const heapTotal = await metric('mosaic_nodejs_heap_size_total_bytes');
  const external = await metric('mosaic_nodejs_external_memory_bytes');
  const anon = kib('RssAnon');
  return {
    rss: kib('VmRSS'),
    peak: kib('VmHWM'),
    file: kib('RssFile'),
    anon,
    heapTotal,
    heapUsed: await metric('mosaic_nodejs_heap_size_used_bytes'),
    newSpace: await metric('mosaic_nodejs_heap_space_size_total_bytes', 'space="new"'),
    code: (await metric('mosaic_nodejs_heap_space_size_total_bytes', 'space="code"')) + (await metric('mosaic_nodejs_heap_space_size_total_bytes', 'space="code_large_object"')),
    external,
    // Anonymous memory that is neither V8's heap nor buffers V8 knows of: malloc arenas (freed
    // but kept), libvips, TLS, thread stacks.
    native: anon - heapTotal - external,
  };
}

const COLUMNS = ['rss', 'peak', 'file', 'anon', 'heapTotal', 'heapUsed', 'newSpace', 'code', 'external', 'native'] as const;
const HEADER = `| variant (NODE_OPTIONS) | after | tenants requested | renders/s | RSS | peak RSS | file-backed | anonymous | V8 heap committed | heap used | new space | code space | external (buffers) | other native |`;

/** One server to measure: this checkout's (or `main` of another) with these NODE_OPTIONS. */
interface Variant {
  label: string;
  nodeOptions: string;
  main?: string;
}

async function measureVariant(db: Awaited<ReturnType<typeof createBenchDatabase>>, slugs: string[], variant: Variant, snapshotDir: string): Promise<string[]> {
  const { nodeOptions, label } = variant;
  const server = await startServer({
    DATABASE_URL: db.appUrl,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `mem${randomBytes(3).toString('hex')}:`,
    LOG_LEVEL: 'error',
    METRICS_PORT: '0',
    CACHE_MAX_BYTES: String(CACHE_MB * MIB),
    PAGE_CACHE_MAX_BYTES: String(PAGE_CACHE_MB * MIB),
    NODE_OPTIONS: [nodeOptions, SNAPSHOT ? `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}` : ''].join(' ').trim(),
  }, variant.main ? { main: variant.main } : {});
  const row = async (after: string, requested: number, rate: number | null) => {
    const b = await breakdown(server);
    log(`${label}, ${after}: ${rate === null ? '' : `${rate.toFixed(1)} renders/s, `}${COLUMNS.map((c) => `${c} ${Math.round(b[c]!)}`).join(', ')} MiB`);
    return `| ${label} | ${after} | ${requested} | ${rate === null ? '' : rate.toFixed(1)} | ${COLUMNS.map((c) => Math.round(b[c]!)).join(' | ')} |`;
  };
  const rows = [await row('start', 0, null)];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // A fresh slice of tenants each round: every request is a cold tenant and a render.
      const hosts = slugs.slice((round - 1) * PER_ROUND, round * PER_ROUND).map((s) => `${s}.localhost`);
      const load = await runLoad({ kind: 'sweep', port: server.port, hosts, paths: ['/'], concurrency: 8 });
      rows.push(await row(`round ${round}`, round * PER_ROUND, load.requestsPerSecond));
    }
    if (SNAPSHOT) {
      server.child.kill('SIGUSR2');
      // Writing a snapshot of a large heap takes a while; wait until the file stops growing.
      const written = () => readdirSync(snapshotDir).filter((f) => f.endsWith('.heapsnapshot')).reduce((n, f) => n + statSync(path.join(snapshotDir, f)).size, 0);
      for (let before = -1, waited = 0; written() === 0 || written() !== before; waited++) {
        if (waited > 300) throw new Error(`no heap snapshot written in ${snapshotDir} after 10 minutes`);
        before = written();
        await sleep(2000);
      }
      log(`heap snapshot in ${snapshotDir}`);
    }
  } finally {
    await server.stop();
  }
  return rows;
}

execFileSync('npx', ['astro', 'build'], { cwd: root, stdio: 'ignore' });
const db = await createBenchDatabase(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
try {
  log(`cloning ${TENANTS} tenants`);
  const slugs = await cloneTenants(db.admin, 'mem', TENANTS, ['/']);
  const variants: Variant[] = [
    ...(BEFORE ? [{ label: `before (${path.basename(BEFORE)})`, nodeOptions: '', main: path.join(BEFORE, 'src/server/main.ts') }] : []),
    ...VARIANTS.map((nodeOptions) => ({ label: nodeOptions || '(none)', nodeOptions })),
  ];
  if (slugs.length < variants.length * ROUNDS * PER_ROUND) throw new Error('not enough tenants for every variant to see only cold ones');
  const rows: string[] = [];
  for (const [i, variant] of variants.entries()) {
    const own = slugs.slice(i * ROUNDS * PER_ROUND, (i + 1) * ROUNDS * PER_ROUND);
    rows.push(...(await measureVariant(db, own, variant, mkdtempSync(path.join(tmpdir(), 'mosaic-heap-')))));
  }
  console.log(`${TENANTS} tenants in the database; budgets: data cache ${CACHE_MB} MiB + page cache ${PAGE_CACHE_MB} MiB, stated overhead ${STATED_OVERHEAD_MIB} MiB. Figures in MiB.\n`);
  console.log([HEADER, `| --- | --- | ${'---: | '.repeat(COLUMNS.length + 2).trim()}`, ...rows].join('\n'));
} finally {
  await db.drop();
}
