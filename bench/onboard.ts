// npm run bench:onboard — `mosaic onboard` of a generated 1,000-row CSV (every row a site from the
// local-business blueprint with two pages, two custom domains, a theme override and an owner
// invitation), run as the real command against a private PostgreSQL database; then the same file
// again, which finds every site already there. Prints the wall-clock time of each run.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBenchDatabase } from './fixtures.ts';

const ROWS = Number(process.env.BENCH_ONBOARD_ROWS ?? 1000);
const CONCURRENCY = process.env.BENCH_ONBOARD_CONCURRENCY ?? '8';
const root = fileURLToPath(new URL('..', import.meta.url));
const log = (message: string) => console.error(`[onboard] ${message}`);

const presets = ['ocean', 'forest', 'sunrise', 'midnight'];
function clientsCsv(rows: number): string {
  const lines = ['slug,name,blueprint,plan,domains,owner_email,theme_preset,theme_primary'];
  for (let i = 1; i <= rows; i += 1) {
    const slug = `client-${String(i).padStart(4, '0')}`;
    const colour = `#${(i * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}`;
    lines.push(`${slug},Client ${i},local-business,pro,"www.${slug}.example; ${slug}.example",owner@${slug}.example,${presets[i % presets.length]},${colour}`);
  }
  return `${lines.join('\n')}\n`;
}

function mosaic(args: string[], env: Record<string, string>): Promise<{ ms: number; code: number; stdout: string; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/mosaic.js'), ...args], { cwd: root, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ ms: performance.now() - started, code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const db = await createBenchDatabase(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'mosaic_onboard');
const dir = await mkdtemp(path.join(tmpdir(), 'mosaic-onboard-bench-'));
try {
  const file = path.join(dir, 'clients.csv');
  await writeFile(file, clientsCsv(ROWS));
  const env = {
    PATH: process.env.PATH ?? '',
    USER: 'bench',
    DATABASE_URL: db.appUrl,
    ADMIN_DATABASE_URL: db.adminUrl,
    PLATFORM_DOMAIN: 'sites.example',
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `onb${randomBytes(3).toString('hex')}:`,
  };
  log(`${ROWS} rows, --concurrency ${CONCURRENCY}, ${cpus().length} cores`);
  const results: Record<string, string> = {};
  for (const [label, expected] of [
    ['first run (creates every site)', 'created'],
    ['second run (finds every site)', 'existed'],
  ] as const) {
    const result = await mosaic(['--json', 'onboard', '--concurrency', CONCURRENCY, file], env);
    const totals = result.code === 0 ? (JSON.parse(result.stdout) as { totals: Record<string, number> }).totals : null;
    if (!totals || totals[expected] !== ROWS) throw new Error(`${label}: exit ${result.code}, ${JSON.stringify(totals)}\n${result.stderr.slice(0, 2000)}`);
    const seconds = result.ms / 1000;
    results[label] = `${seconds.toFixed(1)} s (${(result.ms / ROWS).toFixed(1)} ms a row, ${Math.round(ROWS / seconds)} rows/s)`;
    log(`${label}: ${results[label]}`);
  }
  console.log(JSON.stringify({ rows: ROWS, concurrency: Number(CONCURRENCY), cores: cpus().length, ...results }, null, 2));
} finally {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
}
