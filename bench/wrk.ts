// Drives wrk (a C load generator: one thread, so the server keeps the other core) with a Lua
// script written to a temp dir (LuaJIT: Lua 5.1 syntax). Every row goes through the same script — a request string picked
// from a precomputed table per request — so the generator's own cost is equal across rows and the
// ratios compare servers only.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { seededRandom } from '../tests/support/fuzz-requests.ts';
import { zipfSampler } from './zipf.ts';

const run = promisify(execFile);

export interface WrkSpec {
  port: number;
  /** One host and one path is the single-page case; several are drawn Zipf-like (s = 1). */
  hosts: readonly string[];
  paths: readonly string[];
  headers?: Readonly<Record<string, string>>;
  seconds: number;
  connections: number;
}

export interface WrkResult {
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Responses with a status of 400 or more (wrk's "non-2xx or 3xx"). */
  non2xx: number;
  errors: number;
}

/** Length of the precomputed draw table; longer than any run's distinct-page count matters for. */
const DRAWS = 1 << 17;

const lua = (value: string) => JSON.stringify(value);

/** The Lua script: draws (host, path) pairs from the table; `done` prints the figures as JSON. */
export function wrkScript(spec: Pick<WrkSpec, 'hosts' | 'paths' | 'headers'>): string {
  const random = seededRandom(0x5eed);
  const host = zipfSampler(spec.hosts.length, 1, random);
  const page = zipfSampler(spec.paths.length, 1, random);
  const single = spec.hosts.length * spec.paths.length === 1;
  const draws = single ? [1] : Array.from({ length: DRAWS }, () => host() * spec.paths.length + page() + 1);
  const headers = Object.entries(spec.headers ?? {}).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`);
  return `
local hosts = { ${spec.hosts.map(lua).join(', ')} }
local paths = { ${spec.paths.map(lua).join(', ')} }
local draws = { ${draws.join(',')} }
local extra = { ${headers.join(', ')} }
local built = {}
local n, i = #draws, 0

local function build(k)
  local headers = { Host = hosts[math.floor((k - 1) / #paths) + 1] }
  for name, value in pairs(extra) do headers[name] = value end
  local r = wrk.format("GET", paths[(k - 1) % #paths + 1], headers)
  built[k] = r
  return r
end

function request()
  i = i % n + 1
  local k = draws[i]
  return built[k] or build(k)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"non2xx":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
`;
}

interface WrkJson {
  requests: number;
  duration_us: number;
  p50_us: number;
  p99_us: number;
  non2xx: number;
  errors: number;
}

/** Reads the JSON line the script's `done` prints. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const json = JSON.parse(line.slice('WRK_JSON '.length)) as WrkJson;
  const ms = (us: number) => Math.round(us / 10) / 100;
  return {
    requestsPerSecond: json.requests / (json.duration_us / 1e6),
    p50: ms(json.p50_us),
    p99: ms(json.p99_us),
    non2xx: json.non2xx,
    errors: json.errors,
  };
}

/** One wrk run: `-t1 -c<connections>` for `seconds`. */
export async function runWrk(spec: WrkSpec): Promise<WrkResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mosaic-wrk-'));
  try {
    const script = path.join(dir, 'requests.lua');
    writeFileSync(script, wrkScript(spec));
    const args = ['-t1', `-c${spec.connections}`, `-d${spec.seconds}s`, '--timeout', '10s', '-s', script, `http://127.0.0.1:${spec.port}/`];
    const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
    return parseWrkOutput(stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
