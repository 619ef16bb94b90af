import { stringify } from 'csv-stringify/sync';
import type { SubmissionView } from './submission-store.ts';

const FIXED = ['id', 'created_at', 'form', 'page'];

/**
 * Messages as CSV (RFC 4180: CRLF line ends, fields with commas, quotes or line breaks quoted,
 * quotes doubled; a lone CR or LF is quoted too). A cell a spreadsheet would run as a formula — starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return — is prefixed with `'`, so an attacker's "message" cannot run
 * in the reader's spreadsheet. Columns: the fixed ones, then every field any message has.
 */
export function submissionsCsv(items: readonly SubmissionView[]): string {
  const fields = [...new Set(items.flatMap((item) => Object.keys(item.data)))].sort((a, b) => fieldOrder(a) - fieldOrder(b) || a.localeCompare(b));
  const rows = items.map((item) => [item.id, item.createdAt, item.form, item.page, ...fields.map((f) => item.data[f] ?? '')]);
  return stringify([[...FIXED, ...fields], ...rows], { record_delimiter: 'windows', escape_formulas: true, quoted_match: /[\r\n]/ });
}

// The contact form's fields first, in the order a visitor fills them in.
const KNOWN = ['name', 'email', 'message'];
const fieldOrder = (field: string): number => (KNOWN.includes(field) ? KNOWN.indexOf(field) : KNOWN.length);
