import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { MEDIA_FILE_LIMIT } from '../../src/media/media-formats.ts';
import { execute } from '../../src/operations/execute.ts';
import { deleteMedia, listMedia, readMedia, updateMedia, uploadMedia } from '../../src/operations/media/index.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { makeImage, makeImageBase64 } from '../support/images.ts';
import { auditOf, failure, mosaicError, roleActors, type UserActor } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

describe('media operations', () => {
  const dbs = openTestDatabases(2);
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  let users: Record<string, UserActor>;
  const as = (actor: UserActor) => testContext(dbs.app, { actor });
  const on = <I>(site: { id: string }, input: I) => ({ tenant: { id: site.id }, input });
  const count = async (site: { id: string }) => {
    const rows = await withTenant(dbs.admin, site.id, async (trx) => ({
      media: (await trx.selectFrom('media').select('id').where('tenant_id', '=', site.id).execute()).length,
      blobs: (await trx.selectFrom('media_blobs').select('media_id').where('tenant_id', '=', site.id).execute()).length,
    }));
    return rows;
  };

  beforeAll(async () => {
    tenant = await createTestTenant(dbs.admin);
    other = await createTestTenant(dbs.admin);
    users = await roleActors(dbs.admin, tenant.id, other.id);
  });
  afterAll(() => dbs.close());

  test('an editor uploads an image with alt text: its type and size come from the bytes, its bytes are stored, the trail records it', async () => {
    const png = await makeImage('png', 1500, 1000);
    const view = await execute(as(users.editor!), uploadMedia, on(tenant, { data: png.toString('base64'), alt: 'A blue square', filename: 'photo.jpg' }));
    expect(view).toMatchObject({ contentType: 'image/png', width: 1500, height: 1000, byteSize: png.length, alt: 'A blue square', filename: 'photo.jpg', createdBy: users.editor!.email });
    // Sizes up to the first one at least as wide as the original.
    expect(view.sources.map((s) => s.width)).toEqual([320, 640, 960, 1280, 1920]);
    expect(view.sources[0]!.webp).toBe(`/_mosaic/media/${view.id}/320.webp`);
    const stored = await withTenant(dbs.admin, tenant.id, (trx) => trx.selectFrom('media_blobs').select('bytes').where('media_id', '=', view.id).executeTakeFirstOrThrow());
    expect(Buffer.compare(stored.bytes, png)).toBe(0);
    const record = (await auditOf(dbs.admin, tenant.id)).findLast((r) => r.action === 'media.upload');
    expect(record).toMatchObject({ subject: `media:${view.id}`, actor_id: users.editor!.userId });
  });

  test.each(['jpeg', 'webp', 'gif', 'avif'] as const)('%s images are accepted and named by what their bytes are', async (format) => {
    const view = await execute(as(users.editor!), uploadMedia, on(tenant, { data: await makeImageBase64(format, 40, 30), alt: `A ${format}` }));
    expect(view).toMatchObject({ contentType: `image/${format}`, width: 40, height: 30 });
    expect(view.sources.map((s) => s.width)).toEqual([320]);
  });

  test('alt text is required; nothing is stored without it', async () => {
    const before = await count(tenant);
    const error = await mosaicError(execute(as(users.editor!), uploadMedia, on(tenant, { data: await makeImageBase64('png'), alt: '   ' })));
    expect(error.code).toBe('InvalidInput');
    expect(error.details.map((d) => d.path)).toEqual(['alt']);
    expect(await count(tenant)).toEqual(before);
  });

  test('bytes that are not an image of an accepted type are refused at `data`, whatever the file is called', async () => {
    const before = await count(tenant);
    const png = await makeImage('png', 200, 200);
    const cases = {
      text: Buffer.from('hello, this is not an image'),
      svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      html: Buffer.from('<!doctype html><title>x</title>'),
      truncatedPng: png.subarray(0, 40),
      pngHeaderThenJunk: Buffer.concat([png.subarray(0, 8), Buffer.alloc(500, 7)]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const error = await mosaicError(execute(as(users.editor!), uploadMedia, on(tenant, { data: bytes.toString('base64'), alt: name, filename: `${name}.png` })));
      expect(error.code, name).toBe('InvalidInput');
      expect(error.details.map((d) => d.path), name).toEqual(['data']);
    }
    const notBase64 = await mosaicError(execute(as(users.editor!), uploadMedia, on(tenant, { data: 'not base64!!', alt: 'x' })));
    expect(notBase64.details.map((d) => d.path)).toEqual(['data']);
    expect(await count(tenant)).toEqual(before);
  });

  test('a file over the per-file limit is refused before it is decoded', async () => {
    const big = Buffer.concat([await makeImage('png'), Buffer.alloc(MEDIA_FILE_LIMIT)]);
    const error = await mosaicError(execute(as(users.editor!), uploadMedia, on(tenant, { data: big.toString('base64'), alt: 'Too big' })));
    expect(error.code).toBe('InvalidInput');
    expect(error.details[0]).toMatchObject({ path: 'data', message: expect.stringContaining('5 MiB') });
  });

  test("the plan's media storage bounds the library: an upload past it is refused and names the limit", async () => {
    const small = await createTestTenant(dbs.admin);
    const owner = (await roleActors(dbs.admin, small.id)).owner;
    const image = await makeImage('png', 300, 300, '#aa3355');
    await dbs.admin.updateTable('tenants').set({ plan_overrides: JSON.stringify({ limits: { mediaBytes: image.length * 2 } }) }).where('id', '=', small.id).execute();
    await execute(as(owner), uploadMedia, on(small, { data: image.toString('base64'), alt: 'One' }));
    await execute(as(owner), uploadMedia, on(small, { data: image.toString('base64'), alt: 'Two' }));
    const error = await mosaicError(execute(as(owner), uploadMedia, on(small, { data: image.toString('base64'), alt: 'Three' })));
    expect(error.code).toBe('PlanLimitReached');
    expect(error.extensions).toMatchObject({ limit: 'mediaBytes', allowed: image.length * 2 });
    expect(await count(small)).toEqual({ media: 2, blobs: 2 });
    const page = await execute(as(owner), listMedia, on(small, {}));
    expect(page.usedBytes).toBe(image.length * 2);
  });

  test('uploads racing for the last free bytes take turns: one is stored, the others are refused', async () => {
    const small = await createTestTenant(dbs.admin);
    const owner = (await roleActors(dbs.admin, small.id)).owner;
    const image = await makeImage('png', 200, 200, '#3355aa');
    await dbs.admin.updateTable('tenants').set({ plan_overrides: JSON.stringify({ limits: { mediaBytes: image.length } }) }).where('id', '=', small.id).execute();
    const outcomes = await Promise.allSettled(
      ['A', 'B', 'C'].map((alt) => execute(as(owner), uploadMedia, on(small, { data: image.toString('base64'), alt }))),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code?: string }).code] : []));
    expect(refusals).toEqual(['PlanLimitReached', 'PlanLimitReached']);
    expect(await count(small)).toEqual({ media: 1, blobs: 1 });
  });

  test('viewers list and read but may not upload or delete; outsiders and other sites see nothing', async () => {
    const mine = await execute(as(users.editor!), uploadMedia, on(tenant, { data: await makeImageBase64('png'), alt: 'Mine' }));
    expect((await execute(as(users.viewer!), readMedia, on(tenant, { mediaId: mine.id }))).alt).toBe('Mine');
    expect(await failure(execute(as(users.viewer!), uploadMedia, on(tenant, { data: await makeImageBase64('png'), alt: 'No' })))).toBe('Forbidden');
    expect(await failure(execute(as(users.viewer!), deleteMedia, on(tenant, { mediaId: mine.id })))).toBe('Forbidden');
    expect(await failure(execute(as(users.outsider!), listMedia, on(tenant, {})))).toBe('NotFound');
    // The outsider owns `other`: naming this site's image there finds nothing.
    expect(await failure(execute(as(users.outsider!), readMedia, on(other, { mediaId: mine.id })))).toBe('NotFound');
    expect(await failure(execute(as(users.outsider!), deleteMedia, on(other, { mediaId: mine.id })))).toBe('NotFound');
    expect(await failure(execute(as(users.outsider!), updateMedia, on(other, { mediaId: mine.id, alt: 'Stolen' })))).toBe('NotFound');
    expect((await execute(as(users.outsider!), listMedia, on(other, {}))).items.map((m) => m.id)).not.toContain(mine.id);
    expect((await execute(as(users.viewer!), readMedia, on(tenant, { mediaId: mine.id }))).alt).toBe('Mine');
  });

  test('alt text can be changed (and the trail keeps both); setting the same text again records nothing', async () => {
    const image = await execute(as(users.editor!), uploadMedia, on(tenant, { data: await makeImageBase64('png'), alt: 'Old words' }));
    const changed = await execute(as(users.editor!), updateMedia, on(tenant, { mediaId: image.id, alt: 'New words' }));
    expect(changed.alt).toBe('New words');
    const records = () => auditOf(dbs.admin, tenant.id).then((all) => all.filter((r) => r.action === 'media.update' && r.subject === `media:${image.id}`));
    expect(await records()).toHaveLength(1);
    expect((await records())[0]).toMatchObject({ before: { '/alt': 'Old words' }, after: { '/alt': 'New words' } });
    await execute(as(users.editor!), updateMedia, on(tenant, { mediaId: image.id, alt: 'New words' }));
    expect(await records()).toHaveLength(1);
    expect(await failure(execute(as(users.editor!), updateMedia, on(tenant, { mediaId: image.id, alt: '' })))).toBe('InvalidInput');
  });

  test('deleting an image removes its bytes too', async () => {
    const image = await execute(as(users.editor!), uploadMedia, on(tenant, { data: await makeImageBase64('png'), alt: 'Short-lived' }));
    const before = await count(tenant);
    await execute(as(users.editor!), deleteMedia, on(tenant, { mediaId: image.id }));
    expect(await count(tenant)).toEqual({ media: before.media - 1, blobs: before.blobs - 1 });
    expect(await failure(execute(as(users.editor!), readMedia, on(tenant, { mediaId: image.id })))).toBe('NotFound');
    expect((await auditOf(dbs.admin, tenant.id)).findLast((r) => r.action === 'media.delete')).toMatchObject({ subject: `media:${image.id}`, before: { alt: 'Short-lived' } });
  });

  test('the library lists newest first, page by page, and searches alt text and file names', async () => {
    const site = await createTestTenant(dbs.admin);
    const owner = (await roleActors(dbs.admin, site.id)).owner;
    const data = await makeImageBase64('png', 10, 10);
    for (const n of [1, 2, 3, 4, 5]) await execute(as(owner), uploadMedia, on(site, { data, alt: `Picture ${n}`, filename: n === 3 ? 'harbour.png' : '' }));
    const first = await execute(as(owner), listMedia, on(site, { limit: 2 }));
    expect(first.items.map((m) => m.alt)).toEqual(['Picture 5', 'Picture 4']);
    const second = await execute(as(owner), listMedia, on(site, { limit: 2, cursor: first.nextCursor! }));
    const third = await execute(as(owner), listMedia, on(site, { limit: 2, cursor: second.nextCursor! }));
    expect([...second.items, ...third.items].map((m) => m.alt)).toEqual(['Picture 3', 'Picture 2', 'Picture 1']);
    expect(third.nextCursor).toBeNull();
    expect((await execute(as(owner), listMedia, on(site, { search: 'harb' }))).items.map((m) => m.alt)).toEqual(['Picture 3']);
    expect(await failure(execute(as(owner), listMedia, on(site, { cursor: 'bogus' })))).toBe('InvalidInput');
  });
});
