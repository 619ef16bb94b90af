import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../app/app-services.ts';
import { readinessAnswer } from '../app/readiness.ts';
import type { InternalRoute } from '../request/routes.ts';
import { PLAIN_SECURITY_HEADERS } from '../render/security-headers.ts';
import { replyText } from './exchange.ts';

export type HealthHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * `/healthz`: the process is up. `/readyz`: it should be sent traffic — not while shutting down,
 * and not while the database does not answer (Redis being down only degrades it). `/metrics`: Prometheus.
 */
export function createHealthHandlers(app: AppServices, isDraining: () => boolean): Record<InternalRoute, HealthHandler> {
  return {
    healthz: (req, res) => replyText(req, res, 200, 'ok'),
    async readyz(req, res) {
      if (isDraining()) return replyText(req, res, 503, 'shutting down');
      // Database down: 503 "not ready: …"; Redis down: 200 "degraded: redis unavailable" (pages still work).
      const answer = readinessAnswer(await app.readiness());
      replyText(req, res, answer.status, answer.body);
    },
    async metrics(req, res) {
      const body = await app.metrics.registry.metrics();
      res.writeHead(200, { ...PLAIN_SECURITY_HEADERS, 'Content-Type': app.metrics.registry.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
