import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UPLOAD_BODY_LIMIT } from '../../src/api/body-limits.ts';
import { ADMIN_HOST, ApiClient, startApiServer } from '../support/api-client.ts';
import { createTestApiKey } from '../support/api-fixtures.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { createTestMedia, makeImage } from '../support/images.ts';
import { request, type RunningServer } from '../support/server-process.ts';

describe('media over HTTP: the API uploads, the site’s own host serves resized copies', () => {
  const dbs = openTestDatabases();
  let server: RunningServer;
  let site: { id: string; slug: string };
  let other: { id: string; slug: string };
  let editor: ApiClient;
  let viewer: ApiClient;
  const siteHost = () => `${site.slug}.test`;
  const fetchImage = (host: string, path: string, headers: Record<string, string> = {}, method = 'GET') => request(server.port, path, { host, headers, method });
  const count = async () => Number((await dbs.admin.selectFrom('media').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    [server, site, other] = await Promise.all([startApiServer(), createTestTenant(dbs.admin), createTestTenant(dbs.admin)]);
    editor = ApiClient.withKey(server.port, (await createTestApiKey(dbs.admin, { tenantId: site.id, role: 'editor' })).key);
    viewer = ApiClient.withKey(server.port, (await createTestApiKey(dbs.admin, { tenantId: site.id, role: 'viewer' })).key);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dbs.close();
  });

  test('an upload is stored, listed, and served at each fixed width and format, with long cache lifetimes', async () => {
    const upload = await editor.call('POST', `/tenants/${site.slug}/media`, { body: { data: (await makeImage('jpeg', 1500, 1000)).toString('base64'), alt: 'The shop front' } });
    expect(upload.status).toBe(201);
    expect(upload.json).toMatchObject({ contentType: 'image/jpeg', width: 1500, height: 1000, alt: 'The shop front' });
    const id: string = upload.json.id;
    const list = await viewer.call('GET', `/tenants/${site.slug}/media`);
    expect(list.json.items.map((m: { id: string }) => m.id)).toContain(id);
    // The editor's thumbnail comes through the API, for anyone who may read the library.
    const thumbnail = await request(server.port, `/api/v1/tenants/${site.slug}/media/${id}/thumbnail`, { host: ADMIN_HOST, headers: { authorization: `Bearer ${viewer.apiKey}` } });
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/webp');
    expect((await sharp(thumbnail.bytes).metadata()).width).toBe(320);
    expect((await request(server.port, `/api/v1/tenants/${other.slug}/media/${id}/thumbnail`, { host: ADMIN_HOST, headers: { authorization: `Bearer ${viewer.apiKey}` } })).status).toBe(404);

    for (const [width, format, expected] of [
      [320, 'webp', 320],
      [640, 'jpeg', 640],
      [960, 'avif', 960],
      [1280, 'png', 1280],
      // Never wider than the original.
      [1920, 'webp', 1500],
    ] as const) {
      const response = await fetchImage(siteHost(), `/_mosaic/media/${id}/${width}.${format}`);
      expect(response.status, `${width}.${format}`).toBe(200);
      expect(response.headers['content-type']).toBe(`image/${format}`);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      const meta = await sharp(response.bytes).metadata();
      expect(meta.format).toBe(format === 'avif' ? 'heif' : format);
      expect(meta.width).toBe(expected);
    }
  });

  test('a repeat with the ETag is 304; HEAD has the headers and no body', async () => {
    const image = await createTestMedia(dbs.admin, site.id, { width: 700, height: 400 });
    const first = await fetchImage(siteHost(), image.sources[0]!.webp);
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^".+"$/);
    expect((await fetchImage(siteHost(), image.sources[0]!.webp, { 'if-none-match': etag })).status).toBe(304);
    const head = await fetchImage(siteHost(), image.sources[0]!.webp, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(first.bytes.length));
    expect(head.bytes.length).toBe(0);
  });

  test('another site’s host, the admin host, other widths and formats, and unknown ids are 404', async () => {
    const image = await createTestMedia(dbs.admin, site.id);
    const path = `/_mosaic/media/${image.id}/320.webp`;
    expect((await fetchImage(siteHost(), path)).status).toBe(200);
    expect((await fetchImage(`${other.slug}.test`, path)).status).toBe(404);
    expect((await fetchImage(ADMIN_HOST, path)).status).toBe(404);
    for (const bad of [`/_mosaic/media/${image.id}/321.webp`, `/_mosaic/media/${image.id}/320.svg`, `/_mosaic/media/${image.id}/320.gif`, '/_mosaic/media/not-an-id/320.webp', `/_mosaic/media/${crypto.randomUUID()}/320.webp`]) {
      const response = await fetchImage(siteHost(), bad);
      expect(response.status, bad).toBe(404);
      expect(response.headers['cache-control'], bad).not.toContain('immutable');
    }
  });

  test('a deleted image stops answering at once, though its resized copy was cached', async () => {
    const image = await createTestMedia(dbs.admin, site.id);
    const path = image.sources[0]!.jpeg;
    expect((await fetchImage(siteHost(), path)).status).toBe(200);
    expect((await editor.call('DELETE', `/tenants/${site.slug}/media/${image.id}`)).status).toBe(204);
    expect((await fetchImage(siteHost(), path)).status).toBe(404);
  });

  test('bad input is a problem naming the field, and changes nothing', async () => {
    const before = await count();
    const cases = [
      { body: { data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64'), alt: 'Not allowed' }, path: 'data' },
      { body: { data: (await makeImage('png')).toString('base64'), alt: '' }, path: 'alt' },
      { body: { data: 'not base64 at all!', alt: 'x' }, path: 'data' },
      { body: { alt: 'no data' }, path: 'data' },
    ];
    for (const { body, path } of cases) {
      const response = await editor.call('POST', `/tenants/${site.slug}/media`, { body });
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(422);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(await count()).toBe(before);
  });

  test('uploads may be larger than other calls, up to the upload limit; past it the body is refused unread', async () => {
    // About 2 MiB of base64: over the 1 MiB of other calls.
    const noisy = await sharp(randomBytes(700 * 700 * 3), { raw: { width: 700, height: 700, channels: 3 } }).png().toBuffer();
    expect(noisy.length).toBeGreaterThan(1024 * 1024);
    const big = await editor.call('POST', `/tenants/${site.slug}/media`, { body: { data: noisy.toString('base64'), alt: 'Noise' } });
    expect(big.status).toBe(201);
    const tooBig = await request(server.port, `/api/v1/tenants/${site.slug}/media`, {
      host: ADMIN_HOST,
      method: 'POST',
      headers: { authorization: `Bearer ${editor.apiKey}`, 'content-type': 'application/json', 'content-length': String(UPLOAD_BODY_LIMIT + 1) },
    });
    expect(tooBig.status).toBe(413);
    // Elsewhere the small limit stands.
    const elsewhere = await request(server.port, `/api/v1/tenants/${site.slug}/media/${big.json.id}`, {
      host: ADMIN_HOST,
      method: 'PATCH',
      headers: { authorization: `Bearer ${editor.apiKey}`, 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
    });
    expect(elsewhere.status).toBe(413);
  });

  test('a viewer may not upload, change or delete; another site’s image is 404 through this site', async () => {
    const image = await createTestMedia(dbs.admin, site.id, { alt: 'Kept' });
    expect((await viewer.call('POST', `/tenants/${site.slug}/media`, { body: { data: (await makeImage('png')).toString('base64'), alt: 'x' } })).status).toBe(403);
    expect((await viewer.call('PATCH', `/tenants/${site.slug}/media/${image.id}`, { body: { alt: 'Changed' } })).status).toBe(403);
    expect((await viewer.call('DELETE', `/tenants/${site.slug}/media/${image.id}`)).status).toBe(403);
    const theirs = await createTestMedia(dbs.admin, other.id, { alt: 'Theirs' });
    const read = await editor.call('GET', `/tenants/${site.slug}/media/${theirs.id}`);
    expect(read.status).toBe(404);
    expect(read.body).not.toContain('Theirs');
    expect((await editor.call('GET', `/tenants/${other.slug}/media`)).status).toBe(404);
    const changed = await editor.call('PATCH', `/tenants/${site.slug}/media/${image.id}`, { body: { alt: 'Changed by the editor' } });
    expect(changed.json.alt).toBe('Changed by the editor');
  });
});
