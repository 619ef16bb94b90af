import { stringify } from 'csv-stringify/sync';
import type { ErrorDetail } from '../errors/catalog.ts';
import type { OnboardResult } from '../operations/tenants/onboard-tenant.ts';
import { APEX_NOTE } from './dns-records.ts';
import { formatTable } from './output.ts';

export type RowOutcome = OnboardResult['outcome'] | 'invalid' | 'conflict' | 'failed';

/** What happened to one line of the file. */
export interface RowReport {
  line: number;
  slug: string;
  outcome: RowOutcome;
  /** What was made (or found, or would be made); null for a row that was refused. */
  site: OnboardResult | null;
  errors: ErrorDetail[];
}

export const OUTCOMES: readonly RowOutcome[] = ['created', 'existed', 'valid', 'invalid', 'conflict', 'failed'];
const WORDS: Record<RowOutcome, string> = {
  created: 'created',
  existed: 'already existed',
  valid: 'valid',
  invalid: 'invalid',
  conflict: 'conflict',
  failed: 'failed',
};

export const isBad = (row: RowReport) => row.outcome === 'invalid' || row.outcome === 'conflict' || row.outcome === 'failed';

export function totals(rows: readonly RowReport[]): Record<RowOutcome, number> & { rows: number } {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, rows.filter((r) => r.outcome === o).length])) as Record<RowOutcome, number>;
  return { ...counts, rows: rows.length };
}

/** One line per DNS record to create (TXT challenge, CNAME target), per site. */
function recordRows(rows: readonly RowReport[]) {
  return rows.flatMap((row) => (row.site?.domains ?? []).flatMap((d) => d.records.map((r) => ({ line: row.line, slug: row.slug, type: r.type, name: r.name, value: r.value }))));
}

/** The human report: every row with its outcome and problems, the DNS records to create, the totals. */
export function reportText(rows: readonly RowReport[], dryRun: boolean): string {
  const table = formatTable(
    rows.map((row) => ({
      line: row.line,
      slug: row.slug || '-',
      outcome: WORDS[row.outcome],
      detail: row.errors.length ? row.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : detailOf(row.site),
    })),
    ['line', 'slug', 'outcome', 'detail'],
  );
  const parts = [table];
  const records = recordRows(rows);
  if (records.length) parts.push('', 'DNS records to create (then `mosaic domain verify <slug> <hostname>`):', formatTable(records, ['slug', 'type', 'name', 'value']), APEX_NOTE);
  const links = rows.filter((r) => r.site?.invitation?.link);
  if (links.length) {
    parts.push('', 'Owner invitations (no mail server is configured: send these links yourself):');
    parts.push(formatTable(links.map((r) => ({ slug: r.slug, email: r.site!.invitation!.email, link: r.site!.invitation!.link })), ['slug', 'email', 'link']));
  }
  const t = totals(rows);
  const counted = OUTCOMES.filter((o) => t[o] > 0).map((o) => `${t[o]} ${WORDS[o]}`);
  parts.push('', `${dryRun ? 'Dry run, nothing changed: ' : ''}${t.rows} row${t.rows === 1 ? '' : 's'}: ${counted.join(', ') || 'none'}.`);
  return parts.join('\n');
}

function detailOf(site: OnboardResult | null): string {
  if (!site) return '';
  const bits = [`${site.plan}${site.blueprint ? ` from ${site.blueprint}` : ''}`, `${site.pages.length} page${site.pages.length === 1 ? '' : 's'}`];
  if (site.domains.length) bits.push(site.domains.map((d) => d.hostname).join(' '));
  if (site.invitation) bits.push(`owner ${site.invitation.email} invited`);
  return bits.join(', ');
}

/** `--report <file>`: JSON for `.json`, else CSV with one line per DNS record (or per row without one). */
export function reportFile(rows: readonly RowReport[], fileName: string): string {
  if (fileName.toLowerCase().endsWith('.json')) return JSON.stringify({ rows, totals: totals(rows) }, null, 2);
  const lines = rows.flatMap((row) => {
    const base = {
      line: row.line,
      slug: row.slug,
      outcome: row.outcome,
      tenant_id: row.site?.tenantId ?? '',
      owner_email: row.site?.invitation?.email ?? '',
      invitation_link: row.site?.invitation?.link ?? '',
      problems: row.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    };
    const records = (row.site?.domains ?? []).flatMap((d) => d.records.map((r) => ({ hostname: d.hostname, record_type: r.type, record_name: r.name, record_value: r.value })));
    const empty = { hostname: '', record_type: '', record_name: '', record_value: '' };
    return (records.length ? records : [empty]).map((r) => ({ ...base, ...r }));
  });
  return stringify(lines, {
    header: true,
    columns: ['line', 'slug', 'outcome', 'tenant_id', 'hostname', 'record_type', 'record_name', 'record_value', 'owner_email', 'invitation_link', 'problems'],
  });
}
