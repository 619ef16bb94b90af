import { brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { brotliWindowBits, compressPage } from '../../src/page-cache/page-compression.ts';

const pageOf = (bytes: number) => {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < bytes; i++) {
    lines.push(`<p class="s${i % 13}">section ${i} — é ✓ ${(i * 7919) % 1000}</p>\n`);
    length += Buffer.byteLength(lines[i]!);
  }
  return Buffer.from(lines.join(''));
};

describe('page compression', () => {
  test('brotli’s window fits the page, within what brotli allows', () => {
    expect(brotliWindowBits(1024)).toBe(10);
    expect(brotliWindowBits(1025)).toBe(11);
    expect(brotliWindowBits(31_000)).toBe(15);
    expect(brotliWindowBits(65_536)).toBe(16);
    expect(brotliWindowBits(10)).toBe(constants.BROTLI_MIN_WINDOW_BITS);
    expect(brotliWindowBits(1e9)).toBe(constants.BROTLI_MAX_WINDOW_BITS);
    for (const length of [1000, 5000, 70_000, 3_000_000]) expect(2 ** brotliWindowBits(length)).toBeGreaterThanOrEqual(Math.min(length, 2 ** 24));
  });

  test('pages of every size come back whole from both forms, and smaller', async () => {
    for (const size of [1024, 20_000, 300_000]) {
      const page = pageOf(size);
      const forms = (await compressPage(page))!;
      expect(brotliDecompressSync(forms.br).equals(page)).toBe(true);
      expect(gunzipSync(forms.gzip).equals(page)).toBe(true);
      expect(forms.br.length).toBeLessThan(page.length * 0.3);
    }
  });
});
