/**
 * Every error Mosaic reports, with a stable name (never renamed) and an HTTP status where it has one.
 * Messages shown to visitors reveal nothing about other tenants or internals.
 */
export const errorCatalog = {
  BadHost: { status: 400, title: 'Bad request', message: 'This request did not name a valid site address.' },
  SiteNotFound: { status: 404, title: 'Site not found', message: 'There is no site at this address.' },
  SiteSuspended: {
    status: 503,
    title: 'Site temporarily unavailable',
    message: 'This site is temporarily unavailable. Please try again later.',
  },
  SiteGone: { status: 410, title: 'Site closed', message: 'This site has closed.' },
  PageNotFound: { status: 404, title: 'Page not found', message: 'The page you asked for does not exist.' },
  InvalidComposition: { status: 422, title: 'Invalid page', message: 'The page composition is not valid.' },
  InvalidForm: { status: 400, title: 'Invalid form', message: 'The form could not be accepted.' },
  PayloadTooLarge: { status: 413, title: 'Too large', message: 'The request body is too large.' },
  UnknownTenant: { status: 404, title: 'Unknown tenant', message: 'No tenant has that slug.' },
  UnknownPageVersion: { status: 404, title: 'Unknown version', message: 'That page has no such version.' },
  InvalidInput: { status: 422, title: 'Invalid input', message: 'The request is not valid.' },
  Unauthorized: { status: 401, title: 'Sign-in required', message: 'Sign in or send a valid API key.' },
  Forbidden: { status: 403, title: 'Not allowed', message: 'Your role does not allow this.' },
  NotFound: { status: 404, title: 'Not found', message: 'There is nothing here, or you may not see it.' },
  TenantReadOnly: { status: 403, title: 'Site is read-only', message: 'This site is suspended or cancelled; it can be read but not changed.' },
  PreconditionFailed: {
    status: 412,
    title: 'Changed by someone else',
    message: 'This was changed since you read it; the current version is attached.',
  },
  Conflict: { status: 409, title: 'Conflict', message: 'That conflicts with the current state.' },
  IdempotencyKeyReused: {
    status: 422,
    title: 'Idempotency key reused',
    message: 'This Idempotency-Key was already used for a different request; send a new key for a new request.',
  },
  ThemeContrast: {
    status: 422,
    title: 'Text contrast too low',
    message: 'Some text would not be readable: its contrast with its background is below WCAG AA (4.5:1).',
  },
  InvalidTenantFile: { status: null, title: 'Invalid tenant file', message: 'A tenant file is not valid.' },
  DomainUnavailable: { status: 409, title: 'Domain not available', message: 'That domain cannot be used by this site.' },
  ServiceUnavailable: {
    status: 503,
    title: 'Temporarily unavailable',
    message: 'This page cannot be shown right now. Please try again in a moment.',
  },
  Overloaded: { status: 503, title: 'Busy', message: 'This site is very busy right now. Please try again in a moment.' },
  BadRequest: { status: 400, title: 'Bad request', message: 'The request was malformed.' },
  RequestTimeout: { status: 408, title: 'Request timeout', message: 'The request took too long to arrive.' },
  ExpectationFailed: { status: 417, title: 'Expectation failed', message: 'The server cannot meet the request’s Expect header.' },
  HeadersTooLarge: { status: 431, title: 'Headers too large', message: 'The request headers are too large.' },
  MethodNotAllowed: { status: 405, title: 'Method not allowed', message: 'This address does not accept that method.' },
  NotImplemented: { status: 501, title: 'Not implemented', message: 'The server does not support that method.' },
  CrossSiteForm: { status: 403, title: 'Form refused', message: 'Forms are accepted from this site only.' },
  TooManySubmissions: { status: 429, title: 'Too many messages', message: 'Too many messages; please try again later.' },
  FormQuotaReached: { status: 429, title: 'Messages paused', message: 'This site cannot take more messages today. Please try again tomorrow.' },
  InvalidCredentials: { status: 401, title: 'Sign-in failed', message: 'The email or the password is not correct.' },
  SiteRateLimited: {
    status: 429,
    title: 'Too many requests',
    message: 'This site is getting more requests than it can answer right now. Please try again in a moment.',
  },
  RateLimited: { status: 429, title: 'Too many attempts', message: 'Too many attempts. Please wait and try again.' },
  CrossSiteRequest: {
    status: 403,
    title: 'Cross-site request refused',
    message: 'Changes made with a signed-in browser must come from the admin itself, with the session’s CSRF token.',
  },
  UnsupportedMediaType: { status: 415, title: 'Unsupported media type', message: 'Send this request body as application/json.' },
  LinkInvalid: { status: 404, title: 'Link not valid', message: 'This link is not valid. Ask for a new one.' },
  LinkExpired: { status: 410, title: 'Link expired', message: 'This link has expired. Ask for a new one.' },
  LinkUsed: { status: 410, title: 'Link already used', message: 'This link has already been used.' },
  LastOwner: { status: 409, title: 'Last owner', message: 'A site needs at least one owner: make someone else owner first.' },
  AlreadyMember: { status: 409, title: 'Already a member', message: 'This person is already a member of the site.' },
  EmailTaken: { status: 409, title: 'Email in use', message: 'An account with this email already exists.' },
  MailUnavailable: { status: 503, title: 'Mail not sent', message: 'The email could not be sent; nothing was changed. Please try again later.' },
  PlanLimitReached: { status: 402, title: 'Plan limit reached', message: "This site's plan does not allow more of this." },
  PlanFeatureMissing: { status: 403, title: 'Not in this plan', message: "This site's plan does not include this feature." },
  InvalidArchive: {
    status: 422,
    title: 'Invalid site archive',
    message: 'The site archive is damaged, altered or not a Mosaic site archive; nothing was imported.',
  },
  ArchiveVersionUnsupported: {
    status: 422,
    title: 'Archive version not supported',
    message: 'The site archive was made in a format version this installation cannot read; nothing was imported.',
  },
  Internal: { status: 500, title: 'Something went wrong', message: 'Something went wrong on our side.' },
} as const;

export type ErrorName = keyof typeof errorCatalog;

export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * An error from the catalog; `details` lists every problem when there are several, and
 * `extensions` carries JSON a client needs to recover or act on (a problem document's extension
 * members: the current draft with a `PreconditionFailed`, `retryAfterSeconds` with a 429).
 */
export class MosaicError extends Error {
  override readonly name = 'MosaicError';
  readonly code: ErrorName;
  readonly status: number | null;
  readonly details: readonly ErrorDetail[];
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(code: ErrorName, message?: string, details: readonly ErrorDetail[] = [], extensions: Record<string, unknown> = {}) {
    const entry = errorCatalog[code];
    const lines = details.map((d) => `  ${d.path}: ${d.message}`);
    super([message ?? entry.message, ...lines].join('\n'));
    this.code = code;
    this.status = entry.status;
    this.details = details;
    this.extensions = extensions;
  }
}

/** Works across module copies (the server and the Astro bundle each load their own). */
export function isMosaicError(error: unknown): error is MosaicError {
  return error instanceof Error && error.name === 'MosaicError' && 'code' in error;
}
