import type { AppServices } from '../app/app-services.ts';
import type { TenantRecord } from '../site/site-types.ts';
import { readSmallForm, submitContact } from './contact-submission.ts';

export const CONTACT_PATH = '/_mosaic/forms/contact';

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * POST /_mosaic/forms/contact for the tenant the host resolved to. `_` cannot start a page path,
 * so this never shadows a tenant's page. Answers with a redirect back to the form (works without JS).
 */
export async function handleContactPost(app: AppServices, tenant: TenantRecord, request: Request): Promise<Response> {
  if (request.method !== 'POST') {
    return new Response('Method not allowed', { status: 405, headers: { ...NO_STORE, Allow: 'POST' } });
  }
  const form = await readSmallForm(request);
  if (!form) return new Response('Form too large or not a form.', { status: 413, headers: NO_STORE });
  const outcome = await submitContact(app.db, tenant.id, form);
  const status = outcome.status === 'invalid' ? 'invalid' : 'sent';
  return new Response(null, { status: 303, headers: { ...NO_STORE, Location: `${outcome.page}?contact=${status}#contact` } });
}
