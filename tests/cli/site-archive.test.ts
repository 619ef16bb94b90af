import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalog } from '../../registry/catalog.ts';
import { readTar, writeTar } from '../../src/archive/tar.ts';
import type { Database } from '../../src/db/schema.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { createAccountMail } from '../../src/mail/account-mail.ts';
import { execute } from '../../src/operations/execute.ts';
import { rollbackPage } from '../../src/operations/pages/rollback-page.ts';
import { ArchiveBytes, importTenant } from '../../src/operations/tenants/import-tenant.ts';
import { queryPublishedPaths } from '../../src/site/site-queries.ts';
import { loadBlueprint } from '../../src/tenants/blueprints.ts';
import { addMembership, createTestUser, uniqueEmail } from '../support/accounts.ts';
import { startApiServer } from '../support/api-client.ts';
import { createTestApiKey } from '../support/api-fixtures.ts';
import { cliEnv, MOSAIC_BIN, run, type Run } from '../support/cli-process.ts';
import { createTestPage } from '../support/content-fixtures.ts';
import { createTestTenant, openTestDatabases, uniqueSlug } from '../support/databases.ts';
import { createFreshDatabase, type FreshDatabase } from '../support/fresh-database.ts';
import { createTestMedia } from '../support/images.ts';
import { mosaicError } from '../support/operations.ts';
import { publishAs, testContext } from '../support/publish.ts';
import { request } from '../support/server-process.ts';

/** Flips one byte of one entry (found by name) inside the gzipped tar, and packs it again. */
function tamper(archive: Buffer, entry: (name: string) => boolean, at = 10): Buffer {
  const entries = readTar(gunzipSync(archive));
  const target = entries.find((e) => entry(e.path));
  if (!target) throw new Error('no such entry to tamper with');
  const index = Math.min(at, target.data.length - 1);
  target.data[index] = target.data[index]! ^ 0x01;
  return gzipSync(writeTar(entries));
}

/** Replaces the manifest with `change(manifest)`, and packs it again. */
function rewriteManifest(archive: Buffer, change: (manifest: Record<string, unknown>) => Record<string, unknown>): Buffer {
  const [manifest, ...rest] = readTar(gunzipSync(archive));
  const data = Buffer.from(JSON.stringify(change(JSON.parse(manifest!.data.toString('utf8')) as Record<string, unknown>)));
  return gzipSync(writeTar([{ path: manifest!.path, data }, ...rest]));
}

const SLOW_START_MS = 150_000;

describe('export a whole site and import it into a fresh installation', { timeout: 420_000 }, () => {
  const dbs = openTestDatabases(2);
  let fresh: FreshDatabase;
  let cwd: string;
  let source: { id: string; slug: string };
  let archive: Buffer;
  let imageId: string;
  let posts: { slug: string }[];
  const owner = uniqueEmail('owner');
  const editor = uniqueEmail('editor');
  const mosaic = (args: string[], env: Record<string, string>): Promise<Run> => run(process.execPath, [MOSAIC_BIN, ...args], env, { cwd });
  const envB = () => cliEnv({ DATABASE_URL: fresh.appUrl, ADMIN_DATABASE_URL: fresh.adminUrl });
  const contextB = () => ({
    ...testContext(fresh.admin),
    mail: createAccountMail({ mailer: null, adminOrigin: 'http://admin.localhost', logger: { info: () => {}, warn: () => {} } }),
  });
  const tenantCount = async (db: Kysely<Database>) => (await db.selectFrom('tenants').select('id').execute()).length;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'mosaic-archive-'));
    fresh = await createFreshDatabase();
    const blueprint = await loadBlueprint('clientsite', catalog);
    posts = blueprint.posts;
    const slug = uniqueSlug('arch');
    source = await createTestTenant(
      dbs.admin,
      {
        slug,
        plan: 'pro',
        settings: blueprint.settings,
        theme: blueprint.theme,
        domains: [
          { hostname: `${slug}.test`, primary: true, verified: true },
          { hostname: `www.${slug}.test`, verified: false },
        ],
      },
      blueprint.posts,
    );
    imageId = (await createTestMedia(dbs.admin, source.id, { format: 'jpeg', width: 700, height: 500, alt: 'Our team at the practice' })).id;
    for (const page of blueprint.pages as { path: string; sections: { type: string; props: Record<string, any> }[] }[]) {
      // The team page shows the uploaded photo.
      const composition = structuredClone(page);
      for (const section of composition.sections) {
        if (section.type === 'team') section.props.members[0].photo = { src: `/_mosaic/media/${imageId}/640.webp`, alt: 'Our team' };
      }
      await publishAs(dbs.admin, source.id, composition);
    }
    // History: the home page published again, then rolled back to its first version.
    const home = (blueprint.pages as { path: string; title: string }[]).find((p) => p.path === '/')!;
    const second = await publishAs(dbs.admin, source.id, { ...home, title: 'A second home title' });
    await execute(testContext(dbs.admin), rollbackPage, { tenant: { id: source.id }, input: { pageId: second.pageId, version: 1 } });
    await createTestPage(dbs.admin, source, { published: 2 });
    await createTestPage(dbs.admin, source, { deleted: true });
    await createTestPage(dbs.admin, source, { blank: true });
    await addMembership(dbs.admin, source.id, (await createTestUser(dbs.admin, { email: owner })).userId, 'owner');
    await addMembership(dbs.admin, source.id, (await createTestUser(dbs.admin, { email: editor })).userId, 'editor');
    // Only the owner has an account in the new installation.
    await createTestUser(fresh.admin, { email: owner });
  }, 120_000);
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
    await fresh?.drop();
    await dbs.close();
  });

  test('mosaic export writes one checksummed archive; mosaic import in a fresh database reproduces the site byte for byte', async () => {
    const exported = await mosaic(['--json', 'export', source.slug], cliEnv());
    expect(exported.code, exported.stderr).toBe(0);
    const out = JSON.parse(exported.stdout) as { file: string; sha256: string; counts: Record<string, number> };
    expect(out.file).toBe(`${source.slug}.mosaic.tgz`);
    expect(out.counts).toMatchObject({ pages: 9, posts: posts.length, media: 1, members: 2, domains: 2 });
    expect(exported.stderr).toContain('images exported: 1/1');
    archive = await readFile(path.join(cwd, out.file));
    const names = readTar(gunzipSync(archive)).map((e) => e.path);
    expect(names.slice(0, 3)).toEqual(['manifest.json', 'site.json', 'posts.json']);
    expect(names).toContain(`media/${imageId}`);
    // No password hash travels.
    expect(gunzipSync(archive).toString('latin1')).not.toMatch(/scrypt|password/i);

    const imported = await mosaic(['import', out.file], envB());
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`Imported ${source.slug}`);
    expect(imported.stdout).toContain('Members: 1 linked to their accounts, 1 invited.');
    expect(imported.stdout).toContain(`invitation for ${editor}: http://`);

    // One after the other, with time to spare: cold starts are slow on a loaded machine.
    const a = await startApiServer({}, { startTimeoutMs: SLOW_START_MS });
    const b = await startApiServer({ DATABASE_URL: fresh.appUrl }, { startTimeoutMs: SLOW_START_MS }).catch(async (error: unknown) => {
      await a.stop();
      throw error;
    });
    try {
      const host = `${source.slug}.test`;
      const paths = (await queryPublishedPaths(dbs.app, source.id)).map((p) => p.path);
      expect(paths.length).toBe(6);
      const postPaths = posts.map((p) => `/blog/${p.slug}`);
      const images = [`/_mosaic/media/${imageId}/640.webp`, `/_mosaic/media/${imageId}/320.jpeg`];
      for (const url of [...paths, ...postPaths, '/sitemap.xml', '/robots.txt', ...images]) {
        const [fromA, fromB] = await Promise.all([request(a.port, url, { host }), request(b.port, url, { host })]);
        expect(fromA.status, url).toBe(200);
        expect(fromB.status, url).toBe(200);
        expect(fromB.bytes.equals(fromA.bytes), `${url} differs`).toBe(true);
      }
      expect((await request(a.port, '/team', { host })).body).toContain(`/_mosaic/media/${imageId}/`);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }

    // History, drafts and deleted pages came too.
    const target = await fresh.admin.selectFrom('tenants').select('id').where('slug', '=', source.slug).executeTakeFirstOrThrow();
    const versions = (db: Kysely<Database>, id: string) =>
      withTenant(db, id, (trx) => trx.selectFrom('page_versions').select(['version', 'created_by', 'created_at']).where('tenant_id', '=', id).orderBy('created_at').orderBy('version').execute());
    const [before, after] = await Promise.all([versions(dbs.admin, source.id), versions(fresh.admin, target.id)]);
    expect(after).toEqual(before);
    const again = await mosaic(['--json', 'import', out.file], envB());
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stderr).error.code).toBe('Conflict');
  });

  test('a tampered, truncated or newer archive is refused with an error naming what is wrong, and nothing changes', async () => {
    const before = await tenantCount(fresh.admin);
    const cases: [string, Buffer, string, RegExp][] = [
      ['a page', tamper(archive, (n) => n.startsWith('pages/')), 'InvalidArchive', /pages\/\d+\.json.*SHA-256/],
      ['an image', tamper(archive, (n) => n.startsWith('media/'), 200), 'InvalidArchive', /media\/[0-9a-f-]+.*SHA-256/],
      ['the manifest', tamper(archive, (n) => n === 'manifest.json', 120), 'InvalidArchive', /manifest/],
      ['a truncated file', archive.subarray(0, Math.floor(archive.length / 2)), 'InvalidArchive', /truncated/],
      ['a newer version', rewriteManifest(archive, (m) => ({ ...m, version: 2 })), 'ArchiveVersionUnsupported', /version 2.*reads version 1/],
    ];
    for (const [what, bytes, code, message] of cases) {
      const error = await mosaicError(execute(contextB(), importTenant, { input: { archive: new ArchiveBytes(bytes), slug: uniqueSlug('tampered') } }));
      expect(error.code, what).toBe(code);
      expect(error.message, what).toMatch(message);
      expect(error.details.length, what).toBeGreaterThan(0);
    }
    expect(await tenantCount(fresh.admin)).toBe(before);

    // Through the command: refused (exit 3), as JSON for scripts.
    const file = path.join(cwd, 'tampered.mosaic.tgz');
    await writeFile(file, cases[0]![1]);
    const refused = await mosaic(['--json', 'import', file, '--slug', uniqueSlug('cli-tampered')], envB());
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stderr).error.code).toBe('InvalidArchive');
    expect(await tenantCount(fresh.admin)).toBe(before);
  });

  test('a domain another site holds refuses the whole import, naming it', async () => {
    // The fresh installation holds the site from the first test, domains included.
    const before = await tenantCount(fresh.admin);
    const error = await mosaicError(execute(contextB(), importTenant, { input: { archive: new ArchiveBytes(archive), slug: uniqueSlug('copy') } }));
    expect(error.code).toBe('DomainUnavailable');
    expect(error.details.map((d) => d.path)).toContain(`${source.slug}.test`);
    expect(await tenantCount(fresh.admin)).toBe(before);
  });

  test('with --api: the same export and import over the admin API, the archive checked on download', async () => {
    const server = await startApiServer({ ADMIN_HOST: 'localhost', PLATFORM_DOMAIN: 'sites.test', API_RATE_LIMIT_PER_MINUTE: '100000' }, { startTimeoutMs: SLOW_START_MS });
    try {
      const key = (await createTestApiKey(dbs.admin, { platform: true })).key;
      const site = await createTestTenant(dbs.admin, { domains: [] });
      await createTestMedia(dbs.admin, site.id, { alt: 'Over the API' });
      await createTestPage(dbs.admin, site, { published: 3 });
      const remote = (args: string[]) => mosaic(['--json', '--api', `http://localhost:${server.port}`, ...args], cliEnv({ MOSAIC_API_KEY: key }));
      const file = path.join(cwd, 'remote.mosaic.tgz');
      const exported = await remote(['export', site.slug, '-o', file]);
      expect(exported.code, exported.stderr).toBe(0);
      expect(JSON.parse(exported.stdout)).toMatchObject({ slug: site.slug, file, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const copy = uniqueSlug('remote-copy');
      const imported = await remote(['import', file, '--slug', copy, '--name', 'Copied over the API']);
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ slug: copy, name: 'Copied over the API', counts: { pages: 1, versions: 3, media: 1 }, mediaRenamed: expect.any(Object) });
      // In the same installation, the image ids are taken: the copy's images got new ones.
      expect(Object.keys(JSON.parse(imported.stdout).mediaRenamed)).toHaveLength(1);
      const refused = await remote(['import', file, '--slug', copy]);
      expect(refused.code).toBe(3);
      expect(JSON.parse(refused.stderr).error.code).toBe('Conflict');
      await writeFile(file, tamper(await readFile(file), (n) => n.startsWith('pages/')));
      const tampered = await remote(['import', file, '--slug', uniqueSlug('remote-tampered')]);
      expect(tampered.code).toBe(3);
      expect(JSON.parse(tampered.stderr).error).toMatchObject({ code: 'InvalidArchive', details: [{ path: expect.stringMatching(/^pages\//) }] });
    } finally {
      await server.stop();
    }
  });
});
