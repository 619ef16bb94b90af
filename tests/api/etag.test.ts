import { describe, expect, test } from 'vitest';
import { currentTag, expectedRevision, ifMatchRevision, revisionTag } from '../../src/api/etag.ts';
import { MosaicError } from '../../src/errors/catalog.ts';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as MosaicError;
  }
  throw new Error('not refused');
};

describe('ETags and If-Match', () => {
  test('a tag names one revision of one kind, and reads back', () => {
    expect(revisionTag('draft', 12)).toBe('"draft-12"');
    expect(ifMatchRevision('draft', '"draft-12"')).toBe(12);
    expect(ifMatchRevision('theme', ' "theme-0" ')).toBe(0);
  });

  test('no header, or *, sets no precondition', () => {
    for (const header of [undefined, null, '', '*']) expect(ifMatchRevision('draft', header)).toBeNull();
  });

  test('anything but one strong tag of the right kind is a clear 422 naming If-Match', () => {
    for (const header of ['"theme-3"', 'W/"draft-3"', '"draft-3", "draft-4"', 'draft-3', '"draft-x"', '"draft-99999999999"']) {
      const error = refusal(() => ifMatchRevision('draft', header));
      expect(error.code).toBe('InvalidInput');
      expect(error.details[0]?.path).toBe('If-Match');
    }
  });

  test('the expected revision comes from If-Match or the body, and both must agree', () => {
    expect(expectedRevision('draft', '"draft-4"', undefined)).toBe(4);
    expect(expectedRevision('draft', null, 4)).toBe(4);
    expect(expectedRevision('draft', '"draft-4"', 4)).toBe(4);
    expect(expectedRevision('draft', null, undefined)).toBeUndefined();
    expect(refusal(() => expectedRevision('draft', '"draft-4"', 5)).details[0]?.path).toBe('expectedRevision');
  });

  test('a 412 carries the ETag of the current revision', () => {
    const stale = new MosaicError('PreconditionFailed', undefined, [], { current: { revision: 9, draft: {} } });
    expect(currentTag('draft', stale)).toBe('"draft-9"');
    expect(currentTag('draft', new MosaicError('Conflict'))).toBeNull();
    expect(currentTag('draft', new Error('x'))).toBeNull();
  });
});
