import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.ts';

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
const forkWorker = () => cluster.fork({ MOSAIC_WORKER: '1' });
for (let i = 0; i < workers; i++) forkWorker();

cluster.on('exit', (worker, code, signal) => {
  if (stopping) return;
  console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
  setTimeout(forkWorker, 500);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  });
}
