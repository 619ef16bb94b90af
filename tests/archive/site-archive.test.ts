import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { packArchive, unpackArchive } from '../../src/archive/site-archive.ts';
import { readTar, writeTar } from '../../src/archive/tar.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';

const files = [
  { path: 'site.json', data: Buffer.from('{"a":1}') },
  { path: 'media/one', data: Buffer.alloc(1300, 7) },
  { path: 'empty', data: Buffer.alloc(0) },
];

function refusal(bytes: Uint8Array): { code: string; message: string; details: string[] } {
  try {
    unpackArchive(bytes);
  } catch (error) {
    if (!isMosaicError(error)) throw error;
    return { code: error.code, message: error.message, details: error.details.map((d) => `${d.path}: ${d.message}`) };
  }
  throw new Error('expected a refusal');
}

describe('the tar container', () => {
  test('entries come back as written; the system tar reads the same files', async () => {
    const tar = writeTar(files);
    expect(readTar(tar)).toEqual(files);
    const dir = await mkdtemp(path.join(tmpdir(), 'mosaic-tar-'));
    try {
      await writeFile(path.join(dir, 'x.tar'), tar);
      expect(execFileSync('tar', ['-tf', path.join(dir, 'x.tar')], { encoding: 'utf8' }).trim().split('\n')).toEqual(files.map((f) => f.path));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a damaged header, a cut-off file, a link and a name given twice are refused', () => {
    const tar = writeTar(files);
    const damaged = Buffer.from(tar);
    damaged[3] = damaged[3]! ^ 0x20;
    expect(() => readTar(damaged)).toThrow(/damaged \(checksum\)/);
    expect(() => readTar(tar.subarray(0, 600))).toThrow(/truncated/);
    expect(() => readTar(tar.subarray(0, tar.length - 512))).toThrow(/truncated/);
    const link = Buffer.from(tar);
    link[156] = 0x32;
    // Re-sum the header so only the type is wrong.
    let sum = 0;
    for (let i = 0; i < 512; i += 1) sum += i >= 148 && i < 156 ? 0x20 : link[i]!;
    link.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    expect(() => readTar(link)).toThrow(/not a regular file/);
    expect(() => readTar(writeTar([files[0]!, files[0]!]))).toThrow(/appears twice/);
    expect(() => writeTar([{ path: 'x'.repeat(100), data: Buffer.alloc(1) }])).toThrow(/short ASCII name/);
  });
});

describe('the site archive', () => {
  const meta = { site: 'bakery', createdAt: '2026-11-28T10:00:00.000Z' };

  test('packs deterministically and unpacks to the same entries, with the manifest first', () => {
    const { bytes, manifest } = packArchive(files, meta);
    expect(packArchive(files, meta).bytes.equals(bytes)).toBe(true);
    const { files: out, manifest: read } = unpackArchive(bytes);
    expect(read).toEqual(manifest);
    expect(manifest).toMatchObject({ format: 'mosaic-site', version: 1, site: 'bakery' });
    expect(manifest.entries.map((e) => e.path)).toEqual(files.map((f) => f.path));
    expect([...out.entries()]).toEqual(files.map((f) => [f.path, f.data]));
  });

  test('every kind of damage is refused before anything is read, naming it', () => {
    const { bytes } = packArchive(files, meta);
    const entries = () => readTar(gunzipSync(bytes));
    const repack = (list: ReturnType<typeof readTar>) => gzipSync(writeTar(list));

    const changed = entries();
    changed[2]!.data[5] = changed[2]!.data[5]! ^ 1;
    expect(refusal(repack(changed))).toMatchObject({ code: 'InvalidArchive', details: ['media/one: does not match its SHA-256 in the manifest (it was altered or damaged)'] });

    const extra = [...entries(), { path: 'smuggled', data: Buffer.from('x') }];
    expect(refusal(repack(extra)).details).toEqual(['smuggled: is not listed in the manifest']);
    expect(refusal(repack(entries().filter((e) => e.path !== 'empty'))).details).toEqual(['empty: is listed in the manifest but missing']);

    const [manifest, ...rest] = entries();
    const json = JSON.parse(manifest!.data.toString('utf8'));
    const withManifest = (m: unknown) => repack([{ path: 'manifest.json', data: Buffer.from(JSON.stringify(m)) }, ...rest]);
    // An entry's checksum changed in the manifest alone: the whole no longer matches.
    json.entries[0].sha256 = '0'.repeat(64);
    expect(refusal(withManifest(json)).details).toEqual(['manifest.json.sha256: does not match the listed entries']);
    expect(refusal(withManifest({ ...json, format: 'zip' })).message).toMatch(/not a Mosaic site archive/);
    expect(refusal(withManifest({ ...json, version: 7 }))).toMatchObject({ code: 'ArchiveVersionUnsupported', details: ['manifest.json.version: is 7, expected 1'] });
    expect(refusal(repack(rest)).message).toMatch(/first entry is not manifest.json/);

    expect(refusal(bytes.subarray(0, bytes.length - 10)).message).toMatch(/not a complete gzip file.*truncated/);
    expect(refusal(Buffer.from('{"not":"an archive"}')).code).toBe('InvalidArchive');
  });
});
