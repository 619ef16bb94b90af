import type { APIRoute } from 'astro';
import { readSmallForm, submitContact } from '../../../forms/contact-submission.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };

const backTo = (page: string, status: string): Response =>
  new Response(null, { status: 303, headers: { ...NO_STORE, Location: `${page}?contact=${status}#contact` } });

export const POST: APIRoute = async ({ request, locals }) => {
  const form = await readSmallForm(request);
  if (!form) return new Response('Form too large or not a form.', { status: 413, headers: NO_STORE });
  const outcome = await submitContact(locals.mosaic.db, locals.site.tenant.id, form);
  return backTo(outcome.page, outcome.status === 'invalid' ? 'invalid' : 'sent');
};

export const ALL: APIRoute = () => new Response('Method not allowed', { status: 405, headers: { ...NO_STORE, Allow: 'POST' } });
