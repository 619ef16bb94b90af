import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../app/app-services.ts';
import type { InternalRoute } from '../request/routes.ts';
import { PLAIN_SECURITY_HEADERS } from '../render/security-headers.ts';
import { replyText } from './exchange.ts';

export type HealthHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * `/healthz`: the process is up. `/readyz`: it should be sent traffic — not while shutting down,
 * and not while a required dependency does not answer. `/metrics`: Prometheus.
 */
export function createHealthHandlers(app: AppServices, isDraining: () => boolean): Record<InternalRoute, HealthHandler> {
  return {
    healthz: (req, res) => replyText(req, res, 200, 'ok'),
    async readyz(req, res) {
      if (isDraining()) return replyText(req, res, 503, 'shutting down');
      const problem = await app.checkReady().then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      if (problem) app.logger.warn({ problem }, 'not ready');
      replyText(req, res, problem ? 503 : 200, problem ? 'not ready' : 'ready');
    },
    async metrics(req, res) {
      const body = await app.metrics.registry.metrics();
      res.writeHead(200, { ...PLAIN_SECURITY_HEADERS, 'Content-Type': app.metrics.registry.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
