// npm run bench:memory — resident memory of one Mosaic process with 100,000 tenants in the
// database, while requests spread uniformly over all of them (the worst case for a cache).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readCounter, startServer } from '../tests/support/server-process.ts';
import { cloneTenants, createBenchDatabase } from './fixtures.ts';
import { residentMemory, runLoad } from './processes.ts';

const TENANTS = Number(process.env.BENCH_MEMORY_TENANTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 6);
const PER_ROUND = Number(process.env.BENCH_MEMORY_PER_ROUND ?? 4000);
const CACHE_MB = 64;
const PAGE_CACHE_MB = 128;
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (message: string) => console.error(`[memory] ${message}`);

execFileSync('npx', ['astro', 'build'], { cwd: root, stdio: 'ignore' });
const db = await createBenchDatabase(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
try {
  log(`cloning ${TENANTS} tenants`);
  const slugs = await cloneTenants(db.admin, 'mem', TENANTS, ['/']);
  const server = await startServer({
    DATABASE_URL: db.appUrl,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `mem${randomBytes(3).toString('hex')}:`,
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    CACHE_MAX_BYTES: String(CACHE_MB * 1024 * 1024),
    PAGE_CACHE_MAX_BYTES: String(PAGE_CACHE_MB * 1024 * 1024),
  });
  const mib = async (name: string) => Math.round((await readCounter(server, name)) / 2 ** 20);
  const row = async (label: string, requested: number) => {
    const memory = residentMemory(server.child.pid!);
    const heap = await mib('mosaic_nodejs_heap_size_used_bytes');
    const external = await mib('mosaic_nodejs_external_memory_bytes');
    log(`${label}: RSS ${memory.rss} MiB, heap ${heap} MiB, external ${external} MiB`);
    return `| ${label} | ${requested} | ${memory.rss} | ${memory.peak} | ${heap} | ${external} |`;
  };
  const rows = [
    `| after | distinct tenants requested | RSS MiB | peak RSS MiB | JS heap used MiB | external (buffers) MiB |`,
    `| --- | ---: | ---: | ---: | ---: | ---: |`,
    await row('start', 0),
  ];
  for (let round = 1; round <= ROUNDS; round++) {
    // A fresh slice of tenants each round: every request is a cold tenant.
    const hosts = slugs.slice((round - 1) * PER_ROUND, round * PER_ROUND).map((s) => `${s}.localhost`);
    await runLoad({ kind: 'sweep', port: server.port, hosts, paths: ['/'], concurrency: 8 });
    rows.push(await row(`round ${round}`, round * PER_ROUND));
  }
  await server.stop();
  console.log(`${TENANTS} tenants in the database; budgets: data cache ${CACHE_MB} MiB, page cache ${PAGE_CACHE_MB} MiB; NODE_OPTIONS=${process.env.NODE_OPTIONS ?? ''}.\n`);
  console.log(rows.join('\n'));
} finally {
  await db.drop();
}
