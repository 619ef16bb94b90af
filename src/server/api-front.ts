import type { AppServices } from '../app/app-services.ts';
import { apiAppOf, REFUSED_READS } from '../api/api-requests.ts';
import { bodyLimitFor } from '../api/body-limits.ts';
import { problemFor, problemResponse } from '../api/problem.ts';
import { MosaicError, type ErrorName } from '../errors/catalog.ts';
import { boundedReads, readNodeBody } from '../request/read-body.ts';
import { PLAIN_SECURITY_HEADERS } from '../render/security-headers.ts';
import { header, lingerAfterRefusal, type Exchange } from './exchange.ts';

// Bodies read at once: memory held by API calls stays under 16 MiB, by image uploads under 28 MiB.
const API_READS_AT_ONCE = 16;
const UPLOADS_AT_ONCE = 4;
// A site archive may be hundreds of MiB: one is read at a time.
const ARCHIVES_AT_ONCE = 1;
// An archive's bytes take longer to arrive than a call's.
const ARCHIVE_READ_DEADLINE_MS = 10 * 60_000;
const API_READ_DEADLINE_MS = 10_000;

/**
 * Hands `/api/v1/*` on the admin host to the Hono app: the Node request becomes a fetch
 * `Request` once, its body read here with a size limit (`bodyLimitFor`: never more than that many
 * bytes held), and the fetch `Response` is written back with the usual security headers.
 */
export function createApiFront(app: Pick<AppServices, 'auth' | 'logger' | 'config' | 'apiRateLimit' | 'originLimit' | 'repo'>) {
  const api = apiAppOf(app);
  const reads = boundedReads(API_READS_AT_ONCE);
  const uploadReads = boundedReads(UPLOADS_AT_ONCE);
  const archiveReads = boundedReads(ARCHIVES_AT_ONCE);

  async function refuse(ex: Exchange, name: ErrorName, headers: Record<string, string> = {}): Promise<void> {
    // The rest of the body is unread: answer, then close the connection.
    lingerAfterRefusal(ex.req);
    await write(ex, problemResponse(problemFor(new MosaicError(name)), { Connection: 'close', ...headers }));
  }

  return async function serveApi(ex: Exchange): Promise<void> {
    let body: Buffer | undefined;
    if (ex.method !== 'GET' && ex.method !== 'HEAD') {
      const { limit, upload, archive } = bodyLimitFor(ex.method, ex.url.pathname);
      const declared = Number(header(ex.req, 'content-length') ?? '0');
      if (declared > limit) return refuse(ex, 'PayloadTooLarge');
      const lane = archive ? archiveReads : upload ? uploadReads : reads;
      const read = await lane((max) => readNodeBody(ex.req, max, archive ? ARCHIVE_READ_DEADLINE_MS : API_READ_DEADLINE_MS))(limit);
      if (!read.ok) return refuse(ex, REFUSED_READS[read.reason], read.reason === 'busy' ? { 'Retry-After': '5' } : {});
      body = read.body;
    }
    const headers = new Headers();
    const raw = ex.req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
    const request = new Request(`http://${app.config.adminHost}${ex.url.pathname}${ex.url.search}`, {
      method: ex.method,
      headers,
      body: body && body.length > 0 ? new Uint8Array(body) : undefined,
    });
    await write(ex, await api.fetch(request, { clientAddress: ex.view.client }));
  };
}

async function write(ex: Exchange, response: Response): Promise<void> {
  // Lower-cased, so the response's own headers (a page's policy) replace the defaults.
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries({ ...PLAIN_SECURITY_HEADERS, ...ex.extra })) headers[name.toLowerCase()] = value;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  const payload = ex.method === 'HEAD' || response.body === null ? null : Buffer.from(await response.arrayBuffer());
  if (payload) headers['content-length'] = String(payload.length);
  ex.res.writeHead(response.status, headers);
  ex.res.end(payload ?? undefined);
}
