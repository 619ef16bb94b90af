import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createPurposeKeys } from '../../src/auth/purpose-keys.ts';
import { PREVIEW_TOKEN_TTL_MS, readPreviewToken, signPreviewToken, type PreviewClaim } from '../../src/preview/preview-token.ts';

const keys = createPurposeKeys(Buffer.from('a-secret-key-of-at-least-thirty-two-bytes'));
const now = new Date('2026-11-25T10:00:00Z');
const claim: PreviewClaim = { tenantId: randomUUID(), pageId: randomUUID(), draftRevision: 7, expiresAt: now.getTime() + PREVIEW_TOKEN_TTL_MS };

describe('preview tokens', () => {
  test('a signed token reads back as the claim it names, until it expires', () => {
    const token = signPreviewToken(keys, claim);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(readPreviewToken(keys, token, now)).toEqual({ ok: true, claim });
    expect(readPreviewToken(keys, token, new Date(claim.expiresAt))).toEqual({ ok: false, reason: 'expired' });
  });

  test('another secret key, another purpose or any changed claim is refused as forged', () => {
    const token = signPreviewToken(keys, claim);
    const otherKeys = createPurposeKeys(Buffer.from('another-secret-key-of-thirty-two-bytes!!'));
    expect(readPreviewToken(otherKeys, token, now)).toEqual({ ok: false, reason: 'forged' });

    const [, signature] = token.split('.');
    const payload = `p1:${claim.tenantId}:${claim.pageId}:${claim.draftRevision}:${claim.expiresAt}`;
    const csrfSigned = `${Buffer.from(payload).toString('base64url')}.${keys.sign('csrf', payload)}`;
    expect(readPreviewToken(keys, csrfSigned, now)).toEqual({ ok: false, reason: 'forged' });

    for (const changed of [
      { ...claim, draftRevision: 8 },
      { ...claim, tenantId: randomUUID() },
      { ...claim, pageId: randomUUID() },
      { ...claim, expiresAt: claim.expiresAt + 3_600_000 },
    ]) {
      const forged = `${Buffer.from(`p1:${changed.tenantId}:${changed.pageId}:${changed.draftRevision}:${changed.expiresAt}`).toString('base64url')}.${signature}`;
      expect(readPreviewToken(keys, forged, now)).toEqual({ ok: false, reason: 'forged' });
    }
  });

  test('anything that is not a token is malformed, never an exception', () => {
    const token = signPreviewToken(keys, claim);
    for (const junk of ['', '.', 'abc', `${token}x`, token.replace('.', ''), `${'a'.repeat(300)}.${'b'.repeat(43)}`, `${Buffer.from('p1:x:y:1:2').toString('base64url')}.${'b'.repeat(43)}`, '../../etc/passwd']) {
      expect(readPreviewToken(keys, junk, now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
