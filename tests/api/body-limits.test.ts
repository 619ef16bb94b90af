import { describe, expect, test } from 'vitest';
import { API_BODY_LIMIT } from '../../src/api/api-requests.ts';
import { ARCHIVE_BODY_LIMIT, bodyLimitFor, UPLOAD_BODY_LIMIT } from '../../src/api/body-limits.ts';

describe('body limits per call', () => {
  test('only the site-archive import takes an archive-sized body, read in its own lane', () => {
    expect(bodyLimitFor('POST', '/api/v1/platform/tenants/import')).toEqual({ limit: ARCHIVE_BODY_LIMIT, upload: false, archive: true });
    expect(bodyLimitFor('POST', '/api/v1/tenants/bakery/media')).toEqual({ limit: UPLOAD_BODY_LIMIT, upload: true, archive: false });
    for (const [method, path] of [
      ['PUT', '/api/v1/platform/tenants/import'],
      ['POST', '/api/v1/platform/tenants/import/more'],
      ['POST', '/api/v1/platform/tenants'],
      ['POST', '/api/v1/platform/tenants/bakery/suspend'],
    ] as const) {
      expect(bodyLimitFor(method, path), `${method} ${path}`).toEqual({ limit: API_BODY_LIMIT, upload: false, archive: false });
    }
    expect(ARCHIVE_BODY_LIMIT).toBeGreaterThan(UPLOAD_BODY_LIMIT);
  });
});
