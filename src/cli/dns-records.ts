import type { DnsRecord } from '../operations/domains/domain-schemas.ts';
import { formatTable } from './output.ts';

/** The records a domain needs, as a table to copy into a DNS provider's form. */
export function dnsRecordsText(records: readonly DnsRecord[]): string {
  return formatTable(
    records.map((r) => ({ type: r.type, name: r.name, value: r.value })),
    ['type', 'name', 'value'],
  );
}

/** An apex name (`example.com`) cannot hold a CNAME; said once wherever records are printed. */
export const APEX_NOTE = 'A zone apex cannot hold a CNAME: give it A/AAAA records with the platform domain’s addresses (or the DNS provider’s ALIAS) instead.';
