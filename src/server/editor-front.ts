import type { AppServices } from '../app/app-services.ts';
import { PLAIN_SECURITY_HEADERS } from '../render/security-headers.ts';
import { replyStatus, type Exchange } from './exchange.ts';
import type { AstroHandler } from './site-front.ts';

/**
 * The editor's pages on the admin host: every path renders the one editor page (its screens are
 * routed in the browser, `src/editor/screens.ts`), through Astro so that its island scripts are
 * hashed into the page's policy. Nothing here is cached: the page carries no data, only the app.
 */
export function createEditorFront(deps: { app: AppServices; astro: AstroHandler }) {
  const { app, astro } = deps;
  return async function serveEditor(ex: Exchange): Promise<void> {
    // Whatever Astro's adapter answers by itself (its own errors) still carries these.
    for (const [name, value] of Object.entries(PLAIN_SECURITY_HEADERS)) ex.res.setHeader(name, value);
    await astro(ex.req, ex.res, (error) => {
      if (error) app.logger.error({ err: error }, 'unhandled request error');
      if (!ex.res.headersSent) replyStatus(ex.req, ex.res, error ? 'Internal' : 'PageNotFound', ex.extra);
    }, { mosaic: app, editor: { secure: ex.view.secure } });
  };
}
