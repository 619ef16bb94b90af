// npm run bench — every figure measured in one run on this machine, side by side, with wrk.
// Needs PostgreSQL and Redis (BENCH_POSTGRES_URL, BENCH_REDIS_URL; the local defaults otherwise),
// and wrk and nginx (Debian: apt-get install -y wrk nginx-light). `npm run bench -- --quick` for a
// short run.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '../tests/support/server-process.ts';
import { createBenchContext, type BenchModule, type BenchOptions } from './context.ts';
import { createBenchDatabase } from './fixtures.ts';
import { ratioTable } from './ratios.ts';
import { ceilingAndWarm } from './rows/ceiling-and-warm.ts';
import { manyTenants } from './rows/many-tenants.ts';
import { plugIn } from './rows/plug-in.ts';
import { renderPath } from './rows/render.ts';
import { twoInstances } from './rows/two-instances.ts';
import { ensureTools } from './tools.ts';

const quick = process.argv.includes('--quick');
const env = (name: string, full: number, short: number) => Number(process.env[name] ?? (quick ? short : full));
const options: BenchOptions = {
  seconds: env('BENCH_SECONDS', 10, 3),
  warmSeconds: env('BENCH_WARM_SECONDS', 3, 1),
  connections: env('BENCH_CONNECTIONS', 32, 32),
  tenants: env('BENCH_TENANTS', 10_000, 1000),
  publishes: env('BENCH_PUBLISHES', 100, 20),
  postgresUrl: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

// The rows, in order; a module in its own file plugs in with one line. BENCH_ROWS (comma-separated
// words of their titles) runs some of them alone, e.g. BENCH_ROWS=render,publish.
const allModules: BenchModule[] = [
  ceilingAndWarm,
  renderPath,
  plugIn('after-publish.ts', 'first request after a publish'),
  manyTenants,
  twoInstances,
  plugIn('tenant-limits.ts', 'per-tenant render limits'),
];
const only = process.env.BENCH_ROWS?.split(',').map((word) => word.trim().toLowerCase()).filter(Boolean);
const modules = only?.length ? allModules.filter((m) => only.some((word) => m.title.toLowerCase().includes(word))) : allModules;

const root = fileURLToPath(new URL('..', import.meta.url));
ensureTools();
console.error('[bench] building Mosaic and the bare Astro baseline');
execFileSync('npx', ['astro', 'build'], { cwd: root, stdio: 'ignore' });
execFileSync('npx', ['astro', 'build', '--root', 'bench/bare-astro'], { cwd: root, stdio: 'ignore' });

const db = await createBenchDatabase(options.postgresUrl);
const servers: RunningServer[] = [];
const ctx = createBenchContext(options, db, servers);
try {
  for (const module of modules) {
    ctx.log(`— ${module.title}`);
    await module.run(ctx);
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const cell = (n: number) => (Number.isNaN(n) ? '' : String(Math.round(n)));
  console.log(
    [
      `Machine: ${machine}; wrk -t1 -c${options.connections}, ${options.warmSeconds}s warm-up then ${options.seconds}s per row.`,
      '',
      '| row | req/s | p50 ms | p99 ms | RSS MiB | non-2xx |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...ctx.rows.map((r) => `| ${r.name} | ${cell(r.result.requestsPerSecond)} | ${r.result.p50} | ${r.result.p99} | ${r.rss ?? ''} | ${r.result.non2xx} |`),
      '',
      `Bytes per page: ${['identity', 'gzip', 'br'].map((e) => `${e} ${ctx.values.get(`bytes-${e}`) ?? '–'}`).join(', ')}.`,
      '',
      ...ratioTable(ctx),
      '',
      ...ctx.notes,
    ].join('\n'),
  );
} finally {
  for (const server of servers) await server.stop().catch(() => undefined);
  await db.drop();
}
