// What every bench row module gets: the options, the database, a way to start Mosaic, and a way to
// measure with wrk (warm-up, then the measured run) that records the row and the server's RSS.
import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../tests/support/server-process.ts';
import type { BenchDatabase } from './fixtures.ts';
import { residentMemory } from './processes.ts';
import { runWrk, type WrkResult, type WrkSpec } from './wrk.ts';

export interface BenchOptions {
  seconds: number;
  warmSeconds: number;
  connections: number;
  tenants: number;
  publishes: number;
  postgresUrl: string;
  redisUrl: string;
}

/** The figures a row shows; wrk's and the Node generators' results both fit. */
export type Measured = Pick<WrkResult, 'requestsPerSecond' | 'p50' | 'p99' | 'non2xx'>;

export interface Row {
  name: string;
  result: Measured;
  /** MiB, of the process under load, right after the row. */
  rss: number | null;
}

export interface BenchContext {
  options: BenchOptions;
  db: BenchDatabase;
  log(message: string): void;
  /** Rows in the order measured, for the table. */
  rows: Row[];
  /** Rows the ratio table reads, by key (`warm`, `raw-node`, `after-publish`, …). */
  figures: Map<string, Row>;
  /** Plain numbers the ratio table reads (`bytes-identity`, `bytes-br`, …). */
  values: Map<string, number>;
  /** Lines printed under the tables. */
  notes: string[];
  /** Environment for a Mosaic process on the bench database (all instances share one prefix). */
  mosaicEnv(extra?: Record<string, string>): Record<string, string>;
  /** Starts Mosaic; it is stopped at the end of the run even if a row fails. */
  startMosaic(extra?: Record<string, string>): Promise<RunningServer>;
  /** Warms up with the same load, measures, records the row under `key`. */
  measure(key: string, name: string, pids: readonly number[], load: Omit<WrkSpec, 'seconds' | 'connections'>): Promise<Row>;
  /** Records a row measured some other way (stampede, publish → visible, a plug-in's own). */
  record(key: string, row: Row): void;
}

/** A row module: `run` measures and records; plug-ins export one as `benchRow`. */
export interface BenchModule {
  title: string;
  run(ctx: BenchContext): Promise<void>;
}

export function createBenchContext(options: BenchOptions, db: BenchDatabase, servers: RunningServer[]): BenchContext {
  const prefix = `bench${randomBytes(3).toString('hex')}:`;
  const log = (message: string) => console.error(`[bench] ${message}`);
  const ctx: BenchContext = {
    options,
    db,
    log,
    rows: [],
    figures: new Map(),
    values: new Map(),
    notes: [],
    mosaicEnv: (extra = {}) => ({
      DATABASE_URL: db.appUrl,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      METRICS_PORT: '0',
      ...extra,
    }),
    async startMosaic(extra) {
      const server = await startServer(ctx.mosaicEnv(extra));
      servers.push(server);
      return server;
    },
    async measure(key, name, pids, load) {
      const spec = { ...load, connections: options.connections };
      log(`${name}: warming up for ${options.warmSeconds}s`);
      await runWrk({ ...spec, seconds: options.warmSeconds });
      log(`${name}: measuring for ${options.seconds}s`);
      const result = await runWrk({ ...spec, seconds: options.seconds });
      const row = { name, result, rss: pids.reduce((sum, pid) => sum + residentMemory(pid).rss, 0) };
      ctx.record(key, row);
      return row;
    },
    record(key, row) {
      ctx.rows.push(row);
      if (row.result.requestsPerSecond === 0) ctx.notes.push(`${row.name}: no request completed in the measured window (the machine is too loaded, or raise BENCH_SECONDS).`);
      ctx.figures.set(key, row);
      const r = row.result;
      log(`${row.name}: ${Math.round(r.requestsPerSecond)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, RSS ${row.rss ?? '–'} MiB`);
    },
  };
  return ctx;
}
