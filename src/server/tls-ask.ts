import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TlsAllowList } from '../domains/tls-allow-list.ts';
import { normalizeHost } from '../host/normalize-host.ts';
import { replyText } from './exchange.ts';

/**
 * Caddy's on-demand TLS `ask`: `GET /tls/ask?domain=<host>` answers 200 when the host may get a
 * certificate, 404 when not, 400 when `domain` is not a hostname. From memory, no query per ask.
 */
export function createTlsAsk(allowList: TlsAllowList | null) {
  return (req: IncomingMessage, res: ServerResponse, target: URL): void => {
    const raw = target.searchParams.get('domain');
    const host = normalizeHost(raw);
    if (!host.ok) return replyText(req, res, 400, `domain: ${host.reason}`);
    if (allowList?.allows(host.host)) return replyText(req, res, 200, 'ok');
    replyText(req, res, 404, 'no certificate for this host');
  };
}
