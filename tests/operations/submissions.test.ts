import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { submitContact } from '../../src/forms/contact-submission.ts';
import { execute } from '../../src/operations/execute.ts';
import { deleteSubmissions, exportSubmissions, listSubmissions, readSubmission } from '../../src/operations/submissions/index.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { auditOf, failure, roleActors, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

describe('form message operations', () => {
  const dbs = openTestDatabases(2);
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  let users: Record<string, UserActor>;
  const as = (actor: UserActor) => testContext(dbs.app, { actor });
  const call = <I>(input: I) => ({ tenant: { id: tenant.id }, input });

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    other = await createTestTenant(dbs.admin);
    users = await roleActors(dbs.admin, tenant.id, other.id);
    for (const name of ['Ann', 'Ben', '=cmd|calc']) {
      await submitContact(dbs.app, tenant.id, { name, email: `${name.length}@example.test`, message: `From ${name}`, page: '/contact' });
    }
    await submitContact(dbs.app, other.id, { name: 'Theirs', email: 't@example.test', message: 'Not yours', page: '/' });
  });
  afterAll(() => dbs.close());

  test('lists newest first, a page at a time, and reads one', async () => {
    const first = await execute(as(users.editor!), listSubmissions, call({ limit: 2 }));
    expect(first.items.map((s) => s.data.name)).toEqual(['=cmd|calc', 'Ben']);
    const rest = await execute(as(users.editor!), listSubmissions, call({ limit: 2, cursor: first.nextCursor! }));
    expect(rest).toEqual({ items: [expect.objectContaining({ form: 'contact', page: '/contact', data: { name: 'Ann', email: '3@example.test', message: 'From Ann' } })], nextCursor: null });
    const one = await execute(as(users.editor!), readSubmission, call({ submissionId: rest.items[0]!.id }));
    expect(one.data.name).toBe('Ann');
  });

  test('a viewer may not read messages; another tenant’s message is NotFound', async () => {
    expect(await failure(execute(as(users.viewer!), listSubmissions, call({})))).toBe('Forbidden');
    const theirs = (await execute(as(users.outsider!), listSubmissions, { tenant: { id: other.id }, input: {} })).items[0]!;
    expect(await failure(execute(as(users.editor!), readSubmission, call({ submissionId: theirs.id })))).toBe('NotFound');
    expect(await failure(execute(as(users.editor!), deleteSubmissions, call({ submissionIds: [theirs.id] })))).toBe('NotFound');
  });

  test('exports a CSV with formula cells defused', async () => {
    const file = await execute(as(users.editor!), exportSubmissions, call({}));
    expect(file).toMatchObject({ filename: expect.stringMatching(new RegExp(`^${tenant.slug}-messages-\\d{4}-\\d{2}-\\d{2}\\.csv$`)), rows: 3 });
    expect(file.csv.split('\r\n')[0]).toBe('id,created_at,form,page,name,email,message');
    expect(file.csv).toContain(",'=cmd|calc,");
    expect(file.csv).not.toContain('Theirs');
  });

  test('deletes messages; the trail names them but keeps none of their text', async () => {
    const all = await execute(as(users.editor!), listSubmissions, call({}));
    const ann = all.items.find((s) => s.data.name === 'Ann')!;
    expect(await execute(as(users.editor!), deleteSubmissions, call({ submissionIds: [ann.id] }))).toEqual({ deleted: [ann.id] });
    expect((await execute(as(users.editor!), listSubmissions, call({}))).items).toHaveLength(2);
    const record = (await auditOf(dbs.admin, tenant.id)).filter((r) => r.action === 'submission.delete').at(-1)!;
    expect(record).toMatchObject({ subject: `submission:${ann.id}`, detail: { deleted: [ann.id] }, before: null, after: null });
    expect(JSON.stringify(record)).not.toContain('From Ann');
  });
});
