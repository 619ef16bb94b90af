import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { createAppContext } from '../app/create-app-context.ts';
import { demoSignInHint } from '../auth/demo-accounts.ts';
import { resolveSecretKey } from '../auth/secret-key.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { routeAstroLogs } from '../log/astro-log-sink.ts';
import { createLogger } from '../log/logger.ts';
import { adminOrigin } from '../mail/account-mail.ts';
import { warnIfAdminHostClaimed } from './admin-host-check.ts';
import { astroPageRenderer } from './astro-page-renderer.ts';
import { createHttpServer, type AstroHandler, type FrontState } from './http-server.ts';
import { startInternalServer } from './internal-server.ts';
import { drain } from './shutdown.ts';

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
routeAstroLogs(app.logger);
await warnIfAdminHostClaimed(app);
const { handler } = (await import(`${distDir}server/entry.mjs`)) as { handler: AstroHandler };
app.prerender.attach(astroPageRenderer(app, handler));
const state: FrontState = { draining: false };
const server = createHttpServer(app, handler, `${distDir}client`, state);

// Cluster workers each have their own internal listener, on consecutive ports.
const workerId = cluster.isWorker ? (cluster.worker?.id ?? 0) : 0;
const internal = config.internalPort === null ? null : await startInternalServer(app, config.internalPort ? config.internalPort + workerId : 0, config.host, state);

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
  await drain({ state, server, internal, app }, config.shutdown);
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
