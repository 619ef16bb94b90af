import { MEDIA_FILE_LIMIT } from '../media/media-formats.ts';
import { API_BODY_LIMIT } from './api-requests.ts';

/** An image upload: the largest file, base64-encoded (a third larger), and room for its alt text and name. */
export const UPLOAD_BODY_LIMIT = Math.ceil(MEDIA_FILE_LIMIT / 3) * 4 + 16 * 1024;

/**
 * A whole site's archive (`POST /platform/tenants/import`, platform staff only): images are most
 * of it, and a plan's media storage is far below this. Read one at a time.
 */
export const ARCHIVE_BODY_LIMIT = 512 * 1024 * 1024;

// The calls that carry a file; every other call keeps the small limit.
const UPLOADS = [/^\/api\/v1\/tenants\/[^/]+\/media$/];
const ARCHIVES = [/^\/api\/v1\/platform\/tenants\/import$/];

/**
 * How large a body this call may send, and its lane: uploads and archives are read fewer at a
 * time than ordinary calls.
 */
export function bodyLimitFor(method: string, pathname: string): { limit: number; upload: boolean; archive: boolean } {
  const archive = method === 'POST' && ARCHIVES.some((pattern) => pattern.test(pathname));
  const upload = method === 'POST' && UPLOADS.some((pattern) => pattern.test(pathname));
  return { limit: archive ? ARCHIVE_BODY_LIMIT : upload ? UPLOAD_BODY_LIMIT : API_BODY_LIMIT, upload, archive };
}
