// Per-tenant origin limits under load: does a tenant hammering uncached paths slow another
// tenant's cached pages, and does the limit cost a cached hit anything? `npm run bench:limits`
// runs it alone; `npm run bench` runs it after its own table.
import type { BenchModule } from './context.ts';
import { execFile, execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { readCounter, request, startServer, type RunningServer } from '../tests/support/server-process.ts';
import { cloneTenants, createBenchDatabase } from './fixtures.ts';

const SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_LIMITS_ROUNDS ?? 3);
const self = fileURLToPath(import.meta.url);
const log = (message: string) => console.error(`[bench:limits] ${message}`);

/** One load generator's work: the same cached page every time, or a new uncached path every time. */
interface Flood {
  port: number;
  host: string;
  paths: 'cached' | 'cold';
  connections: number;
  seconds: number;
}

/** Requests a second the flood got answered (any status). wrk when installed, else autocannon in a process of its own. */
function drive(flood: Flood): Promise<number> {
  return hasWrk() ? driveWrk(flood) : driveAutocannon(flood);
}

let wrkFound: boolean | undefined;
function hasWrk(): boolean {
  if (wrkFound === undefined) {
    try {
      execFileSync('which', ['wrk'], { stdio: 'ignore' });
      wrkFound = true;
    } catch {
      wrkFound = false;
    }
  }
  return wrkFound;
}

// A new path per request: every one misses the page cache and would render.
const COLD_SCRIPT = `counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, "/cold-" .. math.random(1, 1000000000) .. "-" .. counter)
end
`;

async function driveWrk(flood: Flood): Promise<number> {
  const args = ['-t1', `-c${flood.connections}`, `-d${flood.seconds}s`, '-H', `Host: ${flood.host}`];
  if (flood.paths === 'cold') {
    const script = path.join(mkdtempSync(path.join(tmpdir(), 'mosaic-limits-')), 'cold.lua');
    writeFileSync(script, COLD_SCRIPT);
    args.push('-s', script);
  }
  const { stdout } = await promisify(execFile)('wrk', [...args, `http://127.0.0.1:${flood.port}/`]);
  const perSecond = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1];
  if (!perSecond) throw new Error(`wrk printed no rate:\n${stdout}`);
  return Number(perSecond);
}

function driveAutocannon(flood: Flood): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = fork(self, ['--autocannon'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send(flood);
    child.once('message', (rate) => resolve(rate as number));
    child.once('exit', (code) => code !== 0 && reject(new Error(`autocannon exited with ${code}`)));
  });
}

async function autocannonChild(flood: Flood): Promise<number> {
  let counter = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${flood.port}`,
    connections: flood.connections,
    duration: flood.seconds,
    headers: { host: flood.host },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: flood.paths === 'cold' ? `/cold-${process.pid}-${++counter}` : '/' }) }],
  });
  return result.requests.average;
}

/** Runs the scenario and returns its figures as Markdown. */
export async function benchTenantLimits(options: { build?: boolean } = {}): Promise<string> {
  if (options.build) execFileSync('npx', ['astro', 'build'], { cwd: path.dirname(path.dirname(self)), stdio: 'ignore' });
  const db = await createBenchDatabase(SERVER_URL, 'mosaic_bench_limits');
  const servers: RunningServer[] = [];
  try {
    const [calm] = await cloneTenants(db.admin, 'calm', 1);
    const [noisy] = await cloneTenants(db.admin, 'noisy', 1);
    // The noisy site gets the free plan's rate (5 a second) as an override of its plan's.
    await sql`UPDATE tenants SET plan_overrides = ${JSON.stringify({ limits: { originRequestsPerSecond: 5 } })}::jsonb WHERE slug = ${noisy!}`.execute(db.admin);
    const calmHost = `${calm}.localhost`;
    const noisyHost = `${noisy}.localhost`;
    const cached: Flood = { port: 0, host: calmHost, paths: 'cached', connections: CONNECTIONS, seconds: SECONDS };
    const cold: Flood = { port: 0, host: noisyHost, paths: 'cold', connections: CONNECTIONS, seconds: SECONDS };

    async function start(limits: 'on' | 'off'): Promise<RunningServer> {
      const server = await startServer({
        DATABASE_URL: db.appUrl,
        REDIS_URL,
        REDIS_PREFIX: `benchlimits${randomBytes(3).toString('hex')}:`,
        LOG_LEVEL: 'fatal',
        METRICS_PORT: '0',
        ORIGIN_LIMITS: limits,
      });
      servers.push(server);
      if ((await request(server.port, '/', { host: calmHost })).status !== 200) throw new Error('the calm site does not answer');
      await drive({ ...cached, port: server.port, seconds: 2 });
      return server;
    }
    /** Calm's cached home page alone, then while noisy floods uncached paths. */
    async function round(server: RunningServer) {
      const port = server.port;
      const alone = await drive({ ...cached, port });
      const limited = () => readCounter(server, 'mosaic_origin_limit_total', 'outcome="limited"');
      const rendersBefore = await readCounter(server, 'mosaic_page_renders_total');
      const limitedBefore = await limited();
      const [flooded, flood] = await Promise.all([drive({ ...cached, port }), drive({ ...cold, port })]);
      const renders = (await readCounter(server, 'mosaic_page_renders_total')) - rendersBefore;
      const refused = (await limited()) - limitedBefore;
      return { alone, flooded, flood, rendersPerSecond: renders / SECONDS, refusedPerSecond: refused / SECONDS };
    }

    // Both servers run throughout and the rounds alternate, so a busy moment of the machine
    // falls on both sides alike; each figure is the median of its rounds.
    const byLimits = { on: await start('on'), off: await start('off') };
    const rounds: Record<'on' | 'off', Awaited<ReturnType<typeof round>>[]> = { on: [], off: [] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const limits of i % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        log(`round ${i + 1} of ${ROUNDS}, limits ${limits}`);
        rounds[limits].push(await round(byLimits[limits]));
      }
    }
    const median = (limits: 'on' | 'off') => {
      const of = (pick: (r: (typeof rounds)['on'][number]) => number) => {
        const values = rounds[limits].map(pick).sort((x, y) => x - y);
        return values[Math.floor(values.length / 2)]!;
      };
      return { alone: of((r) => r.alone), flooded: of((r) => r.flooded), flood: of((r) => r.flood), rendersPerSecond: of((r) => r.rendersPerSecond), refusedPerSecond: of((r) => r.refusedPerSecond) };
    };
    const on = median('on');
    const off = median('off');
    const r = (n: number) => Math.round(n);
    return [
      `Per-tenant origin limits: ${SECONDS}s per run, ${CONNECTIONS} connections per generator (${hasWrk() ? 'wrk' : 'autocannon'}), medians of ${ROUNDS} alternating rounds, one instance per setting.`,
      `The noisy site (limited to 5 renders/s, the free plan's rate) floods new uncached paths while the calm site's home page is read from the page cache.`,
      '',
      '| origin limits | calm hits/s alone | calm hits/s during flood | flood answers/s | renders/s | 429/s |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      `| on | ${r(on.alone)} | ${r(on.flooded)} | ${r(on.flood)} | ${r(on.rendersPerSecond)} | ${r(on.refusedPerSecond)} |`,
      `| off | ${r(off.alone)} | ${r(off.flooded)} | ${r(off.flood)} | ${r(off.rendersPerSecond)} | ${r(off.refusedPerSecond)} |`,
      '',
      '| ratio | value |',
      '| --- | ---: |',
      `| calm hits alone, limits on ÷ off (the limit's cost to a hit) | ${(on.alone / off.alone).toFixed(2)} |`,
      `| calm hits during flood ÷ alone, limits on | ${(on.flooded / on.alone).toFixed(2)} |`,
      `| calm hits during flood ÷ alone, limits off | ${(off.flooded / off.alone).toFixed(2)} |`,
    ].join('\n');
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
    await db.drop();
  }
}

/** For `npm run bench`: the same run, its table printed under the others (it uses its own database and servers). */
export const benchRow: BenchModule = {
  title: 'per-tenant render limits',
  async run(ctx) {
    ctx.notes.push('', await benchTenantLimits());
  },
};

if (process.argv[1] === self) {
  if (process.argv[2] === '--autocannon') {
    process.once('message', async (flood) => {
      const rate = await autocannonChild(flood as Flood);
      process.send?.(rate, () => process.disconnect?.());
    });
  } else {
    console.log(await benchTenantLimits({ build: process.env.BENCH_SKIP_BUILD !== '1' }));
  }
}
