/**
 * A minimal POSIX ustar reader and writer: regular files only, names under 100 bytes, every
 * header's checksum checked. Enough for archives Mosaic writes itself (`tar tzf` lists them), and
 * strict on reading: anything else is a `TarError` naming what is wrong.
 */

const BLOCK = 512;

export interface TarEntry {
  path: string;
  data: Buffer;
}

export class TarError extends Error {
  override readonly name = 'TarError';
}

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, 'ascii');
}

const octal = (value: number, digits: number) => value.toString(8).padStart(digits, '0');

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

function header(path: string, size: number): Buffer {
  if (Buffer.byteLength(path) >= 100 || !/^[\x21-\x7e]+$/.test(path)) throw new TarError(`entry name "${path}" is not a short ASCII name`);
  const block = Buffer.alloc(BLOCK);
  field(block, 0, 100, path);
  field(block, 100, 8, '0000644\0');
  field(block, 108, 8, '0000000\0');
  field(block, 116, 8, '0000000\0');
  field(block, 124, 12, `${octal(size, 11)}\0`);
  // A fixed time, so the same site gives the same bytes.
  field(block, 136, 12, `${octal(0, 11)}\0`);
  block[156] = 0x30; // '0': a regular file
  field(block, 257, 8, 'ustar\u000000');
  field(block, 148, 8, `${octal(checksum(block), 6)}\0 `);
  return block;
}

/** The entries, in order, as one tar file. */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry.path, entry.data.length), entry.data);
    const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

const text = (block: Buffer, offset: number, length: number) => {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('ascii');
};

function readOctal(block: Buffer, offset: number, length: number, what: string): number {
  const digits = text(block, offset, length).trim();
  if (!/^[0-7]+$/.test(digits)) throw new TarError(`a header's ${what} is not a number`);
  return Number.parseInt(digits, 8);
}

/** Every entry of a tar file; refuses a damaged header, a truncated file, links and duplicates. */
export function readTar(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  const seen = new Set<string>();
  let at = 0;
  for (;;) {
    if (at + BLOCK > tar.length) throw new TarError('the archive ends early (truncated)');
    const block = tar.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) {
      if (at + 2 * BLOCK > tar.length) throw new TarError('the archive ends early (truncated)');
      return entries;
    }
    if (readOctal(block, 148, 8, 'checksum') !== checksum(block)) throw new TarError(`the header at byte ${at} is damaged (checksum)`);
    if (text(block, 257, 6) !== 'ustar') throw new TarError(`the header at byte ${at} is not a ustar header`);
    const type = block[156];
    const path = text(block, 0, 100);
    if (type !== 0x30 && type !== 0) throw new TarError(`entry "${path}" is not a regular file`);
    if (seen.has(path)) throw new TarError(`entry "${path}" appears twice`);
    seen.add(path);
    const size = readOctal(block, 124, 12, 'size');
    const start = at + BLOCK;
    if (start + size > tar.length) throw new TarError(`entry "${path}" is cut short (truncated)`);
    entries.push({ path, data: Buffer.from(tar.subarray(start, start + size)) });
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
}
