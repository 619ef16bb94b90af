import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AppServices } from '../app/app-services.ts';
import { createPageResponder } from '../page-cache/page-responder.ts';
import { decideRoute } from '../request/decide-route.ts';
import { createForwardedReader, type ClientView, type PeerInfo } from '../request/forwarded.ts';
import { KNOWN_METHODS, readRequestTarget } from '../request/request-target.ts';
import { HSTS } from '../render/security-headers.ts';
import { failureAnswer } from '../render/failure-page.ts';
import { handleClientErrors } from './client-errors.ts';
import { FrontExchange, hasBody, hostHeaders, lingerAfterRefusal, parseTarget, plainPathname, replyStatus } from './exchange.ts';
import { createApiFront } from './api-front.ts';
import { createEditorFront } from './editor-front.ts';
import { createHealthHandlers } from './health.ts';
import { createSiteFront, type AstroHandler } from './site-front.ts';
import { createStaticFiles } from './static-files.ts';

export type { AstroHandler } from './site-front.ts';

/** Lets the shutdown sequence tell the front that it is draining. */
export interface FrontState {
  draining: boolean;
}

// Slow senders cannot hold a connection for long: headers within 10 s, a whole request within 30 s
// (checked every 2 s rather than Node's 30). A missing Host is refused by the front itself, with
// the usual page and headers, rather than by Node's bare 400.
export const SERVER_OPTIONS: http.ServerOptions = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 2_000, requireHostHeader: false };

/**
 * The Node front of the main port. Each request is checked (method, `Host`, target), its host
 * classified (tenant site, admin, internal) and routed through that kind's table
 * (`src/request/routes.ts`); page-cache hits, static files, health checks and refusals are
 * answered here, and only page renders reach Astro, with the decision in `locals.front` (or, on
 * the admin host, `locals.editor`).
 */
export function createHttpServer(app: AppServices, astro: AstroHandler, clientDir: string, state: FrontState): http.Server {
  const forwarded = createForwardedReader(app.config.trustProxy);
  const vary = forwarded.trusting ? 'X-Forwarded-Host, X-Forwarded-Proto' : null;
  const pages = createPageResponder({ pages: app.pages, config: app.config, metrics: app.metrics, vary });
  const files = createStaticFiles(clientDir);
  const serveSite = createSiteFront({ app, astro, files, pages });
  const serveEditor = createEditorFront({ app, astro });
  const health = createHealthHandlers(app, () => state.draining);
  const serveApi = createApiFront(app);
  const { adminHost } = app.config;

  /**
   * Synchronous up to the handler: a page held in memory is written before this returns, with no
   * promise made on the way (only handlers that wait for something return one).
   */
  function dispatch(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    const method = req.method ?? 'GET';
    if (!KNOWN_METHODS.has(method)) return refuse(req, res, 'NotImplemented');
    const target = readRequestTarget(req.url ?? '/', hostHeaders(req));
    if (!target.ok) return refuse(req, res, target.error);
    // Astro and `send` read `req.url` as a path: an absolute-form target becomes one.
    if (target.path !== req.url) req.url = target.path;
    // Without a trusted proxy only the socket speaks: nothing to read from the headers.
    const view = forwarded.trusting ? forwarded.read(peerOf(req)) : { client: req.socket.remoteAddress ?? 'unknown', host: null, secure: false };
    const plain = plainPathname(target.path);
    const url = plain === null ? parseTarget(target.path) : null;
    const decision = decideRoute(method, view.host ?? target.host, plain ?? url!.pathname, adminHost);
    const extra = vary ? extraHeaders(view, vary) : view.secure ? HSTS : null;
    const ex = new FrontExchange(req, res, method, target.path, url, view, extra);
    switch (decision.kind) {
      case 'refuse':
        return refuse(req, res, decision.error, decision.allow);
      case 'admin':
        if (decision.route === 'api') return serveApi(ex);
        if (hasBody(req)) res.setHeader('Connection', 'close');
        if (decision.route === 'build-asset') return files.build(ex);
        if (decision.route === 'editor') return serveEditor(ex);
        return health[decision.route](req, res);
      case 'internal':
        if (hasBody(req)) res.setHeader('Connection', 'close');
        return health[decision.route](req, res);
      case 'site':
        if (decision.route !== 'contact-form' && hasBody(req)) res.setHeader('Connection', 'close');
        return serveSite(ex, decision.route, decision.host);
    }
  }

  const failed = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    // Database down or slow, or load shed: the branded 503; a bug: the plain 500, logged once.
    const answer = failureAnswer(app, error, req.url ?? '');
    if (res.headersSent) res.destroy();
    else replyStatus(req, res, answer.name, answer.headers);
  };
  const server = http.createServer(SERVER_OPTIONS, (req, res) => {
    if (state.draining) res.setHeader('Connection', 'close');
    let pending: void | Promise<void>;
    try {
      pending = dispatch(req, res);
    } catch (error) {
      return failed(req, res, error);
    }
    pending?.catch((error: unknown) => failed(req, res, error));
  });
  handleClientErrors(server, app.logger);
  return server;
}

function refuse(req: IncomingMessage, res: ServerResponse, name: Parameters<typeof replyStatus>[2], allow: string | null = null): void {
  // The body of a refused request is never used: close rather than read it to find the next request.
  const close = hasBody(req) ? { Connection: 'close' } : null;
  if (close) lingerAfterRefusal(req);
  replyStatus(req, res, name, allow ? { Allow: allow, ...close } : close);
}

function peerOf(req: IncomingMessage): PeerInfo {
  return {
    remoteAddress: req.socket.remoteAddress,
    forwardedFor: joined(req.headers['x-forwarded-for']),
    forwardedHost: joined(req.headers['x-forwarded-host']),
    forwardedProto: joined(req.headers['x-forwarded-proto']),
  };
}

// Repeated lines of a list header count as one list, in order.
const joined = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

function extraHeaders(view: ClientView, vary: string): Record<string, string> {
  return view.secure ? { ...HSTS, Vary: vary } : { Vary: vary };
}
