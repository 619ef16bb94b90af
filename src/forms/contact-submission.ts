import type { Kysely } from 'kysely';
import { z } from 'zod';
import { pagePathSchema } from '../compositions/composition-schema.ts';
import type { Database } from '../db/schema.ts';
import { withTenant } from '../db/tenant-scope.ts';

export const MAX_FORM_BYTES = 16 * 1024;

const contactSchema = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.email().max(254),
  message: z.string().trim().min(1).max(5000),
  page: pagePathSchema,
  // Honeypot: people never see this field; bots fill it in.
  website: z.string().max(0).optional().default(''),
});

export type ContactOutcome = { status: 'sent' | 'invalid' | 'ignored'; page: string };

/**
 * Stores a contact-form submission for the tenant the request's host belongs to. The tenant never
 * comes from the form. A filled honeypot is accepted without being stored.
 */
export async function submitContact(db: Kysely<Database>, tenantId: string, form: Record<string, string>): Promise<ContactOutcome> {
  const page = pagePathSchema.safeParse(form.page).success ? (form.page as string) : '/';
  if (form.website) return { status: 'ignored', page };
  const parsed = contactSchema.safeParse(form);
  if (!parsed.success) return { status: 'invalid', page };
  const { name, email, message } = parsed.data;
  await withTenant(db, tenantId, (trx) =>
    trx
      .insertInto('form_submissions')
      .values({ tenant_id: tenantId, form: 'contact', page_path: page, data: JSON.stringify({ name, email, message }) })
      .execute(),
  );
  return { status: 'sent', page };
}

/** A urlencoded body (already read within MAX_FORM_BYTES) as plain string fields. */
export function parseForm(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) fields[key] = value;
  return fields;
}
