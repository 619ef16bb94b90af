import type { AppServices } from '../app/app-services.ts';
import type { ErrorName } from '../errors/catalog.ts';
import { normalizeHost } from '../host/normalize-host.ts';
import type { BodyReader } from '../request/read-body.ts';
import { resolvePlan } from '../plans/resolve-plan.ts';
import type { TenantRecord } from '../site/site-types.ts';
import { MAX_FORM_BYTES, parseForm, submitContact } from './contact-submission.ts';

/** Where tenant sites post their contact form. `_` cannot start a page path, so no page is shadowed. */
export const CONTACT_PATH = '/_mosaic/forms/contact';

/** A contact-form post, whichever server received it. */
export interface ContactPost {
  tenant: TenantRecord;
  /** The normalized host the request was for. */
  host: string;
  origin: string | null;
  contentType: string | null;
  /** `Content-Length` when the body declares one. */
  declaredLength: number | null;
  client: string;
  readBody: BodyReader;
}

export type ContactAnswer =
  | { kind: 'redirect'; location: string }
  | { kind: 'refused'; error: ErrorName; headers: Record<string, string> };

/**
 * POST /_mosaic/forms/contact for the tenant the host resolved to. Answers with a redirect back
 * to the form (works without JS). A browser's cross-site post (Origin of another host) is refused;
 * one client may send a few messages per tenant per window (counted across instances with Redis),
 * and every post spends the site's origin budget (`OriginLimit`);
 * the body is read only up to its limit.
 */
export async function receiveContactForm(app: Pick<AppServices, 'db' | 'formLimiter' | 'originLimit'>, post: ContactPost): Promise<ContactAnswer> {
  if (post.origin && !sameHost(post.origin, post.host)) return refuse('CrossSiteForm');
  if (!(post.contentType ?? '').startsWith('application/x-www-form-urlencoded')) return refuse('InvalidForm');
  if (post.declaredLength !== null && post.declaredLength > MAX_FORM_BYTES) return refuse('PayloadTooLarge');
  const wait = await app.formLimiter.consume(post.tenant.id, post.client);
  if (wait > 0) return refuse('TooManySubmissions', { 'Retry-After': String(wait) });
  // After the per-client count: one noisy client is refused before it spends the whole site's budget.
  const siteWait = await app.originLimit.consume(post.tenant, 'form');
  if (siteWait > 0) return refuse('SiteRateLimited', { 'Retry-After': String(siteWait) });
  const read = await post.readBody(MAX_FORM_BYTES);
  if (!read.ok) {
    if (read.reason === 'busy') return refuse('Overloaded', { 'Retry-After': '5' });
    return refuse(read.reason === 'too-large' ? 'PayloadTooLarge' : 'RequestTimeout');
  }
  const plan = resolvePlan(post.tenant.plan, post.tenant.planOverrides);
  const outcome = await submitContact(app.db, post.tenant.id, parseForm(read.body), plan.limits.formMessagesPerDay);
  if (outcome.status === 'over-limit') return refuse('FormQuotaReached', { 'Retry-After': String(outcome.retryAfter) });
  // `invalid-message` names the field to fix; the Contact section reads it back from the URL.
  const status = outcome.status !== 'invalid' ? 'sent' : outcome.field ? `invalid-${outcome.field}` : 'invalid';
  return { kind: 'redirect', location: `${outcome.page}?contact=${status}#contact` };
}

const refuse = (error: ErrorName, headers: Record<string, string> = {}): ContactAnswer => ({ kind: 'refused', error, headers });

function sameHost(origin: string, requestHost: string): boolean {
  try {
    const host = normalizeHost(new URL(origin).host);
    return host.ok && host.host === requestHost;
  } catch {
    return false;
  }
}
