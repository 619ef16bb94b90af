import { MEDIA_FILE_LIMIT } from '../media/media-formats.ts';
import { API_BODY_LIMIT } from './api-requests.ts';

/** An image upload: the largest file, base64-encoded (a third larger), and room for its alt text and name. */
export const UPLOAD_BODY_LIMIT = Math.ceil(MEDIA_FILE_LIMIT / 3) * 4 + 16 * 1024;

// The calls that carry a file; every other call keeps the small limit.
const UPLOADS = [/^\/api\/v1\/tenants\/[^/]+\/media$/];

/** How large a body this call may send, and whether it counts as an upload (fewer are read at once). */
export function bodyLimitFor(method: string, pathname: string): { limit: number; upload: boolean } {
  const upload = method === 'POST' && UPLOADS.some((pattern) => pattern.test(pathname));
  return { limit: upload ? UPLOAD_BODY_LIMIT : API_BODY_LIMIT, upload };
}
