import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { submitContact } from '../../src/forms/contact-submission.ts';
import { execute } from '../../src/operations/execute.ts';
import { createPage, deletePage, publishPage, saveDraft, schedulePublish } from '../../src/operations/pages/index.ts';
import { createPost } from '../../src/operations/posts/index.ts';
import { testContext } from './publish.ts';

type Site = { id: string };
const unique = () => randomBytes(4).toString('hex');

/**
 * A page on the site, through the operations (as an operator at the command line): with a draft
 * ready to publish, or `blank` (at revision 1); published `published` times; deleted if asked.
 */
export async function createTestPage(
  admin: Kysely<Database>,
  site: Site,
  options: { blank?: boolean; published?: number; deleted?: boolean } = {},
): Promise<{ id: string; draftRevision: number }> {
  const context = testContext(admin);
  const call = <I>(input: I) => ({ tenant: { id: site.id }, input });
  const page = await execute(context, createPage, call({ path: `/fixture-${unique()}`, title: 'Fixture' }));
  if (options.blank) return { id: page.id, draftRevision: page.draftRevision };
  let revision = page.draftRevision;
  for (let time = 0; time < Math.max(options.published ?? 0, 1); time++) {
    const draft = { title: `Fixture ${time + 1}`, sections: [{ type: 'hero', props: { title: `Fixture ${time + 1}` } }] };
    revision = (await execute(context, saveDraft, call({ pageId: page.id, expectedRevision: revision, draft }))).revision;
    if (time < (options.published ?? 0)) await execute(context, publishPage, call({ pageId: page.id }));
  }
  if (options.deleted) await execute(context, deletePage, call({ pageId: page.id }));
  return { id: page.id, draftRevision: revision };
}

/** A publish of a page's draft scheduled a year ahead. */
export async function createTestSchedule(admin: Kysely<Database>, site: Site): Promise<{ pageId: string; jobId: string }> {
  const page = await createTestPage(admin, site);
  const at = new Date(Date.now() + 365 * 86_400_000).toISOString();
  const job = await execute(testContext(admin), schedulePublish, { tenant: { id: site.id }, input: { pageId: page.id, at } });
  return { pageId: page.id, jobId: job.id };
}

/** A draft post on the site. */
export async function createTestPost(admin: Kysely<Database>, site: Site): Promise<{ id: string }> {
  return execute(testContext(admin), createPost, { tenant: { id: site.id }, input: { slug: `fixture-${unique()}`, title: 'Fixture post' } });
}

/** A message sent through the site's contact form; returns its id. */
export async function createTestSubmission(admin: Kysely<Database>, site: Site): Promise<{ id: string }> {
  const email = `visitor-${unique()}@example.test`;
  const outcome = await submitContact(admin, site.id, { name: 'Visitor', email, message: 'Hello', page: '/contact' });
  if (outcome.status !== 'sent') throw new Error(`the fixture message was not accepted: ${outcome.status}`);
  const row = await admin
    .selectFrom('form_submissions')
    .select('id')
    .where('tenant_id', '=', site.id)
    .where(sql<boolean>`data->>'email' = ${email}`)
    .executeTakeFirstOrThrow();
  return { id: row.id };
}
