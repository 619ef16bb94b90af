// Where the many-tenant row loses to the one-tenant row, side by side in alternating rounds with
// wrk (one thread, 32 connections) against one warm server:
//   one page            the one-tenant row (a one-entry request table)
//   one page, N-table   the same page through the very Zipf draw table the many-tenant row uses
//                       (N copies of its host): the generator's cost of the Zipf row, the server's
//                       cost of the one-tenant row
//   N tenants, Zipf     the many-tenant row
// So `N-table ÷ one page` is the generator's share and `Zipf ÷ N-table` the server's.
//   npm run bench:zipf                 1,000 tenants, 3 rounds of 3 s
//   BENCH_TENANTS=10000 BENCH_SECONDS=5 BENCH_ROUNDS=3
//   BENCH_BEFORE=/path/to/checkout     also that checkout's server (built), one page and Zipf, in the same rounds
//   BENCH_PROFILE=dir                  CPU profiles (--cpu-prof) of two servers, one per kind of
//                                      load (one tenant; Zipf), written to dir when they stop
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { BENCH_PATHS, cloneTenants, createBenchDatabase } from './fixtures.ts';
import { runLoad } from './processes.ts';
import { runWrk, type WrkSpec } from './wrk.ts';
import { startServer, type RunningServer } from '../tests/support/server-process.ts';

const SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 1000);
const PROFILE = process.env.BENCH_PROFILE ?? null;
const BEFORE = process.env.BENCH_BEFORE ?? null;
const MIB = 1024 * 1024;

const log = (line: string) => console.log(`[zipf] ${line}`);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const db = await createBenchDatabase(SERVER_URL);
const servers: RunningServer[] = [];
const prefix = `zipf${randomBytes(3).toString('hex')}:`;
const start = async (main?: string) => {
  const server = await startServer({
    DATABASE_URL: db.appUrl,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    PAGE_CACHE_MAX_BYTES: String(1024 * MIB),
    PAGE_CACHE_MAX_ENTRIES: String(TENANTS * BENCH_PATHS.length + 1000),
    ...(PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE}` } : {}),
  }, main ? { main } : {});
  servers.push(server);
  return server;
};
try {
  log(`cloning ${TENANTS} tenants`);
  const slugs = await cloneTenants(db.admin, 'bench', TENANTS);
  const hosts = slugs.map((s) => `${s}.localhost`);
  const many = await start();
  const one = PROFILE ? await start() : many;
  const before = BEFORE ? await start(path.join(BEFORE, 'src/server/main.ts')) : null;
  for (const server of before ? [many, before] : [many]) {
    const sweep = await runLoad({ kind: 'sweep', port: server.port, hosts, paths: BENCH_PATHS, concurrency: 8 });
    log(`sweep: ${Math.round(sweep.requestsPerSecond)} pages/s, non-2xx ${sweep.non2xx}`);
  }
  const first = hosts[0]!;
  const rows: [string, Omit<WrkSpec, 'seconds' | 'connections'>][] = [
    ['one page', { port: one.port, hosts: [first], paths: ['/'] }],
    ['one page, N-table', { port: one.port, hosts: hosts.map(() => first), paths: BENCH_PATHS.map(() => '/') }],
    [`${TENANTS} tenants, Zipf`, { port: many.port, hosts, paths: BENCH_PATHS }],
    ...(before
      ? ([
          ['before: one page', { port: before.port, hosts: [first], paths: ['/'] }],
          [`before: ${TENANTS} tenants, Zipf`, { port: before.port, hosts, paths: BENCH_PATHS }],
        ] satisfies typeof rows)
      : []),
  ];
  const rates = new Map<string, number[]>(rows.map(([name]) => [name, []]));
  for (const [, spec] of rows) await runWrk({ ...spec, seconds: 1, connections: 32 });
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, spec] of rows) {
      const result = await runWrk({ ...spec, seconds: SECONDS, connections: 32 });
      if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      rates.get(name)!.push(result.requestsPerSecond);
    }
    log(`round ${round}: ${rows.map(([name]) => `${name} ${Math.round(rates.get(name)!.at(-1)!)}`).join(', ')} req/s`);
  }
  const [single, table, zipf, beforeSingle, beforeZipf] = rows.map(([name]) => median(rates.get(name)!));
  log(`medians: ${rows.map(([name]) => `${name} ${Math.round(median(rates.get(name)!))}`).join(', ')} req/s`);
  log(`generator: N-table ÷ one page ${(table! / single!).toFixed(2)}; server: Zipf ÷ N-table ${(zipf! / table!).toFixed(2)}; Zipf ÷ one page ${(zipf! / single!).toFixed(2)}`);
  if (before) log(`before: Zipf ÷ one page ${(beforeZipf! / beforeSingle!).toFixed(2)}`);
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await db.drop();
}
