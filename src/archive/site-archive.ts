import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { MosaicError, type ErrorDetail } from '../errors/catalog.ts';
import { readTar, TarError, writeTar, type TarEntry } from './tar.ts';

/**
 * A site archive: a gzipped ustar file whose first entry, `manifest.json`, names the format and
 * its version and lists every other entry with its size and SHA-256, then the SHA-256 of that
 * list (the whole archive's digest). Reading checks all of it before anything is parsed.
 */
export const ARCHIVE_FORMAT = 'mosaic-site';
export const ARCHIVE_VERSION = 1;
/** What `mosaic export` names a file: `<slug>.mosaic.tgz`. */
export const ARCHIVE_EXTENSION = '.mosaic.tgz';
export const MANIFEST = 'manifest.json';
export const ARCHIVE_MEDIA_TYPE = 'application/gzip';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

const entrySchema = z.strictObject({ path: z.string().min(1), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
type ManifestEntry = z.output<typeof entrySchema>;

const manifestSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  createdAt: z.iso.datetime(),
  site: z.string(),
  entries: z.array(entrySchema),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type Manifest = z.output<typeof manifestSchema>;

/** The digest of the whole: of every entry's SHA-256, size and name, one line each, in order. */
const wholeDigest = (entries: readonly ManifestEntry[]) => sha256(entries.map((e) => `${e.sha256} ${e.size} ${e.path}\n`).join(''));

/** Packs the entries with their manifest; the same entries and time give the same bytes. */
export function packArchive(files: readonly TarEntry[], meta: { site: string; createdAt: string }): { bytes: Buffer; manifest: Manifest } {
  const entries = files.map((f) => ({ path: f.path, size: f.data.length, sha256: sha256(f.data) }));
  const manifest: Manifest = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, createdAt: meta.createdAt, site: meta.site, entries, sha256: wholeDigest(entries) };
  const tar = writeTar([{ path: MANIFEST, data: Buffer.from(JSON.stringify(manifest, null, 2)) }, ...files]);
  return { bytes: gzipSync(tar, { level: 9 }), manifest };
}

const refuse = (message: string, details: ErrorDetail[] = [{ path: 'archive', message }]): never => {
  throw new MosaicError('InvalidArchive', `The site archive cannot be imported: ${message}. Nothing was imported.`, details);
};

/**
 * The archive's entries by name, once every check has passed: gzip and tar intact, a manifest of
 * this format and version, the whole digest, and every entry's size and SHA-256 — every mismatch
 * listed. A newer or unknown version is `ArchiveVersionUnsupported`; anything else `InvalidArchive`.
 */
export function unpackArchive(bytes: Uint8Array): { manifest: Manifest; files: Map<string, Buffer> } {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes);
  } catch (error) {
    return refuse(`it is not a complete gzip file (${(error as Error).message}); it may be truncated`);
  }
  let entries: TarEntry[];
  try {
    entries = readTar(tar);
  } catch (error) {
    if (error instanceof TarError) return refuse(error.message);
    throw error;
  }
  const [first, ...rest] = entries;
  if (first?.path !== MANIFEST) return refuse(`its first entry is not ${MANIFEST}`);
  let raw: unknown;
  try {
    raw = JSON.parse(first.data.toString('utf8'));
  } catch {
    return refuse(`${MANIFEST} is not valid JSON (it was altered or damaged)`);
  }
  const head = raw as { format?: unknown; version?: unknown };
  if (head?.format !== ARCHIVE_FORMAT) return refuse(`it is not a Mosaic site archive (format ${JSON.stringify(head?.format)})`);
  if (head.version !== ARCHIVE_VERSION) {
    throw new MosaicError(
      'ArchiveVersionUnsupported',
      `The site archive is format version ${JSON.stringify(head.version)}; this installation reads version ${ARCHIVE_VERSION} only. Nothing was imported.`,
      [{ path: `${MANIFEST}.version`, message: `is ${JSON.stringify(head.version)}, expected ${ARCHIVE_VERSION}` }],
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return refuse(`${MANIFEST} is not valid`, parsed.error.issues.map((i) => ({ path: `${MANIFEST}.${i.path.join('.')}`, message: i.message })));
  const manifest = parsed.data;
  if (wholeDigest(manifest.entries) !== manifest.sha256) return refuse(`the checksum of ${MANIFEST} does not match its entries (it was altered)`, [{ path: `${MANIFEST}.sha256`, message: 'does not match the listed entries' }]);

  const files = new Map(rest.map((e) => [e.path, e.data]));
  const problems: ErrorDetail[] = [];
  for (const entry of manifest.entries) {
    const data = files.get(entry.path);
    if (!data) problems.push({ path: entry.path, message: 'is listed in the manifest but missing' });
    else if (data.length !== entry.size) problems.push({ path: entry.path, message: `has ${data.length} bytes, the manifest says ${entry.size}` });
    else if (sha256(data) !== entry.sha256) problems.push({ path: entry.path, message: 'does not match its SHA-256 in the manifest (it was altered or damaged)' });
  }
  const listed = new Set(manifest.entries.map((e) => e.path));
  for (const path of files.keys()) if (!listed.has(path)) problems.push({ path, message: 'is not listed in the manifest' });
  if (problems.length) refuse(`${problems.length} entr${problems.length === 1 ? 'y fails' : 'ies fail'} the checksums`, problems);
  return { manifest, files };
}
