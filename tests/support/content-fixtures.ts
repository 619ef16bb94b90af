import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { submitContact } from '../../src/forms/contact-submission.ts';
import { execute } from '../../src/operations/execute.ts';
import { createPage, deletePage, saveDraft } from '../../src/operations/pages/index.ts';
import { createPost } from '../../src/operations/posts/index.ts';
import { testContext } from './publish.ts';

type Site = { id: string };
const unique = () => randomBytes(4).toString('hex');

/** A page on the site, through the operations (as an operator at the command line), its draft ready to publish. */
export async function createTestPage(admin: Kysely<Database>, site: Site, options: { deleted?: boolean } = {}): Promise<{ id: string; draftRevision: number }> {
  const context = testContext(admin);
  const call = <I>(input: I) => ({ tenant: { id: site.id }, input });
  const page = await execute(context, createPage, call({ path: `/fixture-${unique()}`, title: 'Fixture' }));
  const saved = await execute(context, saveDraft, call({ pageId: page.id, expectedRevision: page.draftRevision, draft: { title: 'Fixture', sections: [{ type: 'hero', props: { title: 'Fixture' } }] } }));
  if (options.deleted) await execute(context, deletePage, call({ pageId: page.id }));
  return { id: page.id, draftRevision: saved.revision };
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
