import type { AppServices } from '../app/app-services.ts';
import { normalizeHost } from '../host/normalize-host.ts';
import type { TenantRecord } from '../site/site-types.ts';
import { readSmallForm, submitContact } from './contact-submission.ts';
import { createSubmissionLimiter } from './submission-limiter.ts';

export const CONTACT_PATH = '/_mosaic/forms/contact';

const NO_STORE = { 'Cache-Control': 'no-store' };
const limiter = createSubmissionLimiter({ max: 5, windowMs: 10 * 60_000 });

const plain = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { ...NO_STORE, 'Content-Type': 'text/plain; charset=utf-8', ...headers } });

/**
 * POST /_mosaic/forms/contact for the tenant the host resolved to. `_` cannot start a page path,
 * so this never shadows a tenant's page. Answers with a redirect back to the form (works without
 * JS). A browser's cross-site post (Origin of another host) is refused; one client may send five
 * messages per tenant every ten minutes.
 */
export async function handleContactPost(app: AppServices, tenant: TenantRecord, request: Request, requestHost: string, client: string): Promise<Response> {
  if (request.method !== 'POST') return plain(405, 'Method not allowed', { Allow: 'POST' });
  const origin = request.headers.get('origin');
  if (origin && !sameHost(origin, requestHost)) return plain(403, 'Forms are accepted from this site only.');
  if (!limiter.allow(tenant.id, client)) {
    return plain(429, 'Too many messages; please try again later.', { 'Retry-After': String(limiter.retryAfterSeconds) });
  }
  const form = await readSmallForm(request);
  if (!form) return plain(413, 'Form too large or not a form.');
  const outcome = await submitContact(app.db, tenant.id, form);
  // `invalid-message` names the field to fix; the Contact section reads it back from the URL.
  const status = outcome.status !== 'invalid' ? 'sent' : outcome.field ? `invalid-${outcome.field}` : 'invalid';
  return new Response(null, { status: 303, headers: { ...NO_STORE, Location: `${outcome.page}?contact=${status}#contact` } });
}

function sameHost(origin: string, requestHost: string): boolean {
  try {
    const host = normalizeHost(new URL(origin).host);
    return host.ok && host.host === requestHost;
  } catch {
    return false;
  }
}
