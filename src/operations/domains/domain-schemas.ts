import { z } from 'zod';
import { normalizeHost } from '../../host/normalize-host.ts';

/** A hostname as a site claims it: normalized (lower case, punycode, no port or trailing dot), with a dot. */
export const hostnameSchema = z
  .string()
  .max(300)
  .transform((raw, ctx) => {
    const host = normalizeHost(raw);
    if (!host.ok) {
      ctx.addIssue({ code: 'custom', message: `not a valid hostname: ${host.reason}` });
      return z.NEVER;
    }
    if (!host.host.includes('.')) {
      ctx.addIssue({ code: 'custom', message: 'a custom domain needs at least two labels, e.g. "www.example.com"' });
      return z.NEVER;
    }
    return host.host;
  });

export const domainInput = z.strictObject({ hostname: hostnameSchema });

/** A DNS record the site's owner creates at their DNS provider. */
export interface DnsRecord {
  type: 'TXT' | 'CNAME';
  name: string;
  value: string;
}

export interface DomainView {
  hostname: string;
  primary: boolean;
  verified: boolean;
  verifiedAt: string | null;
  checkedAt: string | null;
  /** A verified domain whose challenge record has gone since this time; it still routes. */
  brokenSince: string | null;
  lastCheckError: string | null;
  /**
   * What to create: the TXT challenge (kept while the domain is in use: it is re-checked) and the
   * CNAME to the site's platform address. An apex name, which cannot hold a CNAME, takes A/AAAA
   * records with the platform domain's addresses (or the DNS provider's ALIAS) instead.
   */
  records: DnsRecord[];
}
