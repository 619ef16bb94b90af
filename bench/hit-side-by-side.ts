// Warm page-cache hits side by side with raw Node serving the same bytes, measured with wrk
// (one thread, 32 connections) in alternating rounds, plus each demo page's bytes per encoding.
//   npm run bench:hits                      this checkout against raw Node
//   BENCH_BEFORE=/path/to/other/checkout    also that checkout's server (built), in the same rounds
//   BENCH_PROFILE=dir                       write this checkout's CPU profile (--cpu-prof) there
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { BENCH_PATHS, createBenchDatabase } from './fixtures.ts';
import { startHelper } from './processes.ts';
import { request, startServer, type RunningServer } from '../tests/support/server-process.ts';

const SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BEFORE = process.env.BENCH_BEFORE ?? null;
const PROFILE = process.env.BENCH_PROFILE ?? null;
const HOST = 'codersinflow.localhost';

const log = (line: string) => console.log(`[hits] ${line}`);

/** Requests per second wrk reaches in `SECONDS`, one thread and 32 connections. */
function wrk(port: number, headers: Record<string, string>): number {
  const args = ['-t1', '-c32', `-d${SECONDS}s`, ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), `http://127.0.0.1:${port}/`];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const match = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!match) throw new Error(`wrk printed no rate:\n${out}`);
  if (/Non-2xx/.test(out)) throw new Error(`wrk saw errors:\n${out}`);
  return Number(match[1]);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const db = await createBenchDatabase(SERVER_URL);
const servers: RunningServer[] = [];
const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: db.appUrl,
  REDIS_URL,
  REDIS_PREFIX: `hits${randomBytes(3).toString('hex')}:`,
  LOG_LEVEL: 'warn',
  ...extra,
});
try {
  const mosaic = await startServer(env(PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE}` } : {}));
  servers.push(mosaic);
  const before = BEFORE ? await startServer(env(), { main: path.join(BEFORE, 'src/server/main.ts') }) : null;
  if (before) servers.push(before);

  log('bytes per demo page (identity / gzip / br):');
  let identityBody: Buffer = Buffer.alloc(0);
  for (const page of BENCH_PATHS) {
    await request(mosaic.port, page, { host: HOST });
    // A miss is answered before its page is compressed; wait until the compressed forms are held.
    for (let tries = 0; tries < 50; tries++) {
      const probe = await request(mosaic.port, page, { host: HOST, headers: { 'accept-encoding': 'gzip' } });
      if (probe.headers['content-encoding'] === 'gzip' || probe.bytes.length < 1024) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const sizes: string[] = [];
    for (const encoding of ['identity', 'gzip', 'br']) {
      const res = await request(mosaic.port, page, { host: HOST, headers: { 'accept-encoding': encoding } });
      const bytes = res.headers['content-encoding'] === 'br' ? brotliDecompressSync(res.bytes) : res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.bytes) : res.bytes;
      if (page === '/' && encoding === 'identity') identityBody = bytes;
      sizes.push(`${res.bytes.length} B${encoding === 'identity' ? '' : ` (${((100 * res.bytes.length) / bytes.length).toFixed(1)} %)`}`);
    }
    log(`  ${page}: ${sizes.join(' / ')}`);
  }

  const file = path.join(mkdtempSync(path.join(tmpdir(), 'mosaic-hits-')), 'page.html');
  writeFileSync(file, identityBody);
  const raw = await startHelper('./raw-node.ts', [file]);
  const targets: [string, number, Record<string, string>][] = [
    ['raw Node, identity', raw.port, {}],
    ['Mosaic warm, identity', mosaic.port, { Host: HOST }],
    ['Mosaic warm, br', mosaic.port, { Host: HOST, 'Accept-Encoding': 'br' }],
    ...(before ? [['before, warm, identity', before.port, { Host: HOST }] as [string, number, Record<string, string>]] : []),
  ];
  const rates = new Map<string, number[]>(targets.map(([name]) => [name, []]));
  if (ROUNDS > 0) for (const [, port, headers] of targets) wrk(port, headers);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, port, headers] of targets) rates.get(name)!.push(wrk(port, headers));
    log(`round ${round}: ${targets.map(([name]) => `${name} ${Math.round(rates.get(name)!.at(-1)!)}`).join(', ')} req/s`);
  }
  const rawRate = median(rates.get('raw Node, identity')!);
  for (const [name] of targets) log(`${name}: median ${Math.round(median(rates.get(name)!))} req/s, ${(median(rates.get(name)!) / rawRate).toFixed(2)}× raw Node`);
  await raw.stop();
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  await db.drop();
}
