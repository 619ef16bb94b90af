import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { AppServices } from '../app/app-services.ts';
import type { PageRenderer } from '../render/prerender.ts';
import type { FrontDecision } from '../request/resolve-site.ts';
import type { AstroHandler } from './site-front.ts';

/**
 * Renders a page through the built Astro app in this process, as a visitor's GET to the site's
 * own host would be — but without the visitor front (host lookup, rate limits): the site is
 * already resolved, and this is the platform's own work. Astro's middleware stores the page in
 * the page cache; the response itself goes nowhere.
 */
export function astroPageRenderer(app: AppServices, astro: AstroHandler): PageRenderer {
  return async (site, pathname) => {
    // An unconnected socket: nothing is read from it or written to it.
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = pathname;
    req.headers = { host: site.host, 'user-agent': 'mosaic-prerender' };
    req.push(null);
    const res = new ServerResponse(req);
    const front: FrontDecision = { site, secure: false, cacheable: true, awaitShared: true };
    await astro(req, res, (error) => {
      if (error) app.logger.error({ err: error }, 'pre-render error');
    }, { mosaic: app, front });
  };
}
