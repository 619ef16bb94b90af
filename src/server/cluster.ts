import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.ts';
import { createRespawnBackoff } from './respawn-backoff.ts';

// `npm run serve:cluster`: one worker per core (WEB_CONCURRENCY to choose), sharing the port.
// Workers share nothing in memory; Redis carries cache entries and invalidations between them.
const config = loadConfig();
if (config.database.kind === 'pglite') {
  console.error('Several workers need a shared database: set DATABASE_URL (and REDIS_URL), or use `npm run serve`.');
  process.exit(1);
}
if (!config.redis) console.warn('Without REDIS_URL, workers cannot tell each other about publishes; pages may lag by up to TENANT_TTL_SECONDS.');

const workers = Number(process.env.WEB_CONCURRENCY ?? availableParallelism());
cluster.setupPrimary({ exec: fileURLToPath(new URL('./main.ts', import.meta.url)) });

let stopping = false;
const startedAt = new WeakMap<Worker, number>();
// A worker that keeps dying at start-up is replaced after 0.5 s, 1 s, 2 s … up to 30 s.
const backoff = createRespawnBackoff({ baseMs: 500, maxMs: 30_000, healthyAfterMs: 30_000 });
const forkWorker = () => startedAt.set(cluster.fork({ MOSAIC_WORKER: '1' }), Date.now());
for (let i = 0; i < workers; i++) forkWorker();

cluster.on('exit', (worker, code, signal) => {
  if (stopping) return;
  const delay = backoff.next(Date.now() - (startedAt.get(worker) ?? Date.now()));
  console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another in ${delay} ms`);
  setTimeout(() => {
    if (!stopping) forkWorker();
  }, delay);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  });
}
