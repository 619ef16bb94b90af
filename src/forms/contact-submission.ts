import type { Kysely } from 'kysely';
import { z } from 'zod';
import { pagePathSchema } from '../compositions/composition-schema.ts';
import type { Database } from '../db/schema.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { isStorableText, UNSTORABLE_TEXT } from '../validation/storable-text.ts';

export const MAX_FORM_BYTES = 16 * 1024;

// Text PostgreSQL cannot store (a NUL) is a field error like any other, never a failed insert.
const storable = <T extends z.ZodType<string>>(field: T) => field.refine(isStorableText, UNSTORABLE_TEXT);

const contactSchema = z.object({
  name: storable(z.string().trim().min(1).max(120)),
  email: storable(z.email().max(254)),
  message: storable(z.string().trim().min(1).max(5000)),
  page: pagePathSchema,
  // Honeypot: people never see this field; bots fill it in.
  website: z.string().max(0).optional().default(''),
});

/** The fields a visitor fills in, in the order the form shows them. */
export const CONTACT_FIELDS = ['name', 'email', 'message'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export type ContactOutcome =
  | { status: 'sent' | 'ignored'; page: string }
  /** The plan's messages for this UTC day are used up; `retryAfter` seconds until the next day. */
  | { status: 'over-limit'; page: string; retryAfter: number }
  /** `field`: the first field (in form order) that is wrong, when it is one the visitor filled in. */
  | { status: 'invalid'; page: string; field: ContactField | null };

/**
 * Stores a contact-form submission for the tenant the request's host belongs to. The tenant never
 * comes from the form. A filled honeypot is accepted without being stored. `perDay` is the plan's
 * `formMessagesPerDay` (null: no limit), counted per UTC day; concurrent posts may pass it by the
 * few that raced, which a daily quota tolerates.
 */
export async function submitContact(
  db: Kysely<Database>,
  tenantId: string,
  form: Record<string, string>,
  perDay: number | null = null,
  now: Date = new Date(),
): Promise<ContactOutcome> {
  const page = pagePathSchema.safeParse(form.page).success ? (form.page as string) : '/';
  if (form.website) return { status: 'ignored', page };
  const parsed = contactSchema.safeParse(form);
  if (!parsed.success) {
    const wrong = new Set(parsed.error.issues.map((issue) => issue.path[0]));
    return { status: 'invalid', page, field: CONTACT_FIELDS.find((f) => wrong.has(f)) ?? null };
  }
  const { name, email, message } = parsed.data;
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const stored = await withTenant(db, tenantId, async (trx) => {
    if (perDay !== null) {
      const today = await trx
        .selectFrom('form_submissions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('created_at', '>=', dayStart)
        .executeTakeFirstOrThrow();
      if (Number(today.n) >= perDay) return false;
    }
    await trx
      .insertInto('form_submissions')
      .values({ tenant_id: tenantId, form: 'contact', page_path: page, data: JSON.stringify({ name, email, message }), created_at: now })
      .execute();
    return true;
  });
  if (!stored) return { status: 'over-limit', page, retryAfter: Math.ceil((dayStart.getTime() + 86_400_000 - now.getTime()) / 1000) };
  return { status: 'sent', page };
}

/** A urlencoded body (already read within MAX_FORM_BYTES) as plain string fields. */
export function parseForm(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) fields[key] = value;
  return fields;
}
