import { z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { isConcurrencyConflict, isDatabaseUnavailable } from '../db/database-errors.ts';
import { errorCatalog, isMosaicError, MosaicError, type ErrorName } from '../errors/catalog.ts';
import { formatIssuePath, issueMessage } from '../validation/issue-path.ts';

/** RFC 9457 problem details, as every API error is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The catalog's permanent name of the error. */
  code: ErrorName;
  /** Every failing path, when the input had several problems. */
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The problem document, for the OpenAPI description of every error response. */
export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:mosaic:problem:InvalidInput' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .loose()
  .openapi('Problem');

// Statuses Hono itself raises (malformed JSON, wrong media type, body limits) in catalog terms.
const HTTP_STATUS_ERRORS: Readonly<Record<number, ErrorName>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
};

/** Told to API clients when the database cannot answer now, unless the server says otherwise. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * The one mapping of errors to problem documents: catalog errors by name; the database down, slow
 * or a write that kept losing a race `ServiceUnavailable` with `Retry-After` (the client should
 * try again, not report a bug); everything else `Internal`.
 */
export function problemFor(error: unknown, retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS): Problem {
  if (isMosaicError(error)) return fromCatalog(error);
  if (isDatabaseUnavailable(error) || isConcurrencyConflict(error)) {
    return fromCatalog(new MosaicError('ServiceUnavailable', 'The service cannot answer right now. Try again in a moment.', [], { retryAfterSeconds }));
  }
  if (error instanceof HTTPException) {
    const name = HTTP_STATUS_ERRORS[error.status] ?? 'BadRequest';
    // Hono's own messages ("Malformed JSON in request body") are safe to show and say what went wrong.
    return fromCatalog(new MosaicError(name, error.message || undefined));
  }
  return fromCatalog(new MosaicError('Internal'));
}

/** Zod issues as one `InvalidInput` problem listing every failing path; `prefix` names the request part. */
export function invalidInput(issues: readonly z.core.$ZodIssue[], prefix: string | null = null): MosaicError {
  const details = issues.map((issue) => {
    const path = formatIssuePath(issue.path);
    return { path: [prefix, path].filter(Boolean).join('.') || '(root)', message: issueMessage(issue) };
  });
  return new MosaicError('InvalidInput', undefined, details);
}

function fromCatalog(error: MosaicError): Problem {
  const entry = errorCatalog[error.code];
  const status = entry.status ?? 500;
  const detail = error.details.length ? entry.message : error.message;
  return {
    ...error.extensions,
    type: `urn:mosaic:problem:${error.code}`,
    title: entry.title,
    status,
    detail,
    code: error.code,
    ...(error.details.length ? { errors: error.details.map((d) => ({ path: d.path, message: d.message })) } : {}),
  };
}

/** The response for a problem; a 429 or 503 says when to come back (`Retry-After`), a 412 what is current (`ETag`). */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  const retryAfter = problem.retryAfterSeconds;
  const extra: Record<string, string> = typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : {};
  // A 412 names the current revision, so the client can merge and retry with it.
  if (typeof problem.etag === 'string') extra.ETag = problem.etag;
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': PROBLEM_MEDIA_TYPE, ...extra, ...headers },
  });
}
