import { parse } from 'csv-parse/sync';
import type { ErrorDetail } from '../errors/catalog.ts';
import { onboardRowInput, type OnboardRow } from '../operations/tenants/onboard-tenant.ts';

/** The columns `mosaic onboard` reads; `slug` and `name` are required, the others may be left out or blank. */
export const ONBOARD_COLUMNS = ['slug', 'name', 'blueprint', 'plan', 'status', 'domains', 'owner_email', 'theme_preset', 'theme_primary', 'theme_accent', 'theme_overrides'] as const;

export interface CsvRow {
  /** The file's line number the row ends on (the header is line 1). */
  line: number;
  slug: string;
  /** The row as the operation takes it, or null when it is already known to be bad. */
  input: OnboardRow | null;
  errors: ErrorDetail[];
}

/** A file the command cannot read at all (not CSV, missing columns): a usage error, nothing done. */
export class CsvFileError extends Error {}

const blank = (value: string | undefined) => (value === undefined || value.trim() === '' ? null : value.trim());

/** One CSV record → the operation's input: domains split on spaces, `;` or `,`; theme columns merged. */
function toInput(record: Record<string, string>, errors: ErrorDetail[]): OnboardRow {
  const overrides: Record<string, unknown> = {};
  const json = blank(record.theme_overrides);
  if (json) {
    try {
      const parsed: unknown = JSON.parse(json);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      Object.assign(overrides, parsed);
    } catch {
      errors.push({ path: 'theme_overrides', message: 'must be a JSON object, e.g. {"radius":"4px"}' });
    }
  }
  const colors: Record<string, string> = { ...((overrides.colors as Record<string, string> | undefined) ?? {}) };
  if (blank(record.theme_primary)) colors.primary = blank(record.theme_primary)!;
  if (blank(record.theme_accent)) colors.accent = blank(record.theme_accent)!;
  if (Object.keys(colors).length) overrides.colors = colors;
  return {
    slug: record.slug?.trim() ?? '',
    name: record.name?.trim() ?? '',
    blueprint: blank(record.blueprint),
    plan: blank(record.plan) as OnboardRow['plan'],
    status: (blank(record.status) ?? 'trial') as OnboardRow['status'],
    domains: (record.domains ?? '').split(/[\s;,]+/).filter(Boolean),
    ownerEmail: blank(record.owner_email),
    theme: { preset: blank(record.theme_preset), overrides },
  };
}

/**
 * Reads the file and checks what can be checked without the platform: each row's fields, and
 * slugs or hostnames that appear twice in the file (the later row is refused, naming the first).
 */
export function readOnboardCsv(text: string): CsvRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, info: true, bom: true, relax_column_count: false });
  } catch (error) {
    throw new CsvFileError(`The file is not valid CSV: ${(error as Error).message}`);
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const unknown = header.filter((h) => !(ONBOARD_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw new CsvFileError(`Unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. The columns are ${ONBOARD_COLUMNS.join(', ')}.`);
  if (records.length && (!header.includes('slug') || !header.includes('name'))) throw new CsvFileError('The file needs at least the columns slug and name.');

  const slugs = new Map<string, number>();
  const hostnames = new Map<string, number>();
  return records.map(({ record, info }) => {
    const line = info.lines;
    const errors: ErrorDetail[] = [];
    const raw = toInput(record, errors);
    const parsed = onboardRowInput.safeParse(raw);
    if (!parsed.success) for (const issue of parsed.error.issues) errors.push({ path: issue.path.join('.') || 'row', message: issue.message });
    const slug = raw.slug;
    const firstSlug = slugs.get(slug);
    if (firstSlug !== undefined) errors.push({ path: 'slug', message: `"${slug}" is also on line ${firstSlug}` });
    else if (slug) slugs.set(slug, line);
    for (const hostname of parsed.success ? parsed.data.domains : []) {
      const first = hostnames.get(hostname);
      if (first !== undefined && first !== line) errors.push({ path: 'domains', message: `"${hostname}" is also on line ${first}` });
      else hostnames.set(hostname, line);
    }
    return { line, slug, input: errors.length ? null : raw, errors };
  });
}
