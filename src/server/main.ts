import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { createAppContext } from '../app/create-app-context.ts';
import { demoSignInHint } from '../auth/demo-accounts.ts';
import { resolveSecretKey } from '../auth/secret-key.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { createLogger } from '../log/logger.ts';
import { adminOrigin } from '../mail/account-mail.ts';
import { createHttpServer, type AstroHandler } from './http-server.ts';
import { startMetricsServer } from './metrics-server.ts';

// Entry point of a Mosaic process: `node src/server/main.ts` after `astro build`.
const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));

// A bad configuration is a list of problems on stderr and exit code 2, never a stack trace. The
// secret key is checked before anything opens: a server in production needs SECRET_KEY.
const { config, app } = await Promise.resolve()
  .then(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel, config.instanceId);
    const secretKey = await resolveSecretKey(config, logger);
    return { config, app: await createAppContext(config, logger, { secretKey }) };
  })
  .catch((error: unknown) => {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  });
const { handler } = (await import(`${distDir}server/entry.mjs`)) as { handler: AstroHandler };
const server = createHttpServer(app, handler, `${distDir}client`);

// Cluster workers each expose their own metrics, on consecutive ports.
const workerId = cluster.isWorker ? (cluster.worker?.id ?? 0) : 0;
if (config.metricsPort !== null) await startMetricsServer(app, config.metricsPort ? config.metricsPort + workerId : 0, config.host);

server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  app.logger.info({ port, host: config.host, database: config.database.kind, redis: Boolean(config.redis) }, 'Mosaic is listening');
  process.send?.({ type: 'listening', port });
  void demoSignInHint(app.db, adminOrigin({ ...config, port }))
    .then((hint) => hint && app.logger.info({ adminHost: config.adminHost }, hint))
    .catch(() => undefined);
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.logger.info({ signal }, 'shutting down');
  // Finish the requests under way (for up to five seconds) before closing connections they use.
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  await app.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
