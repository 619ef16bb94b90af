import { domainToASCII } from 'node:url';

export type HostResult = { ok: true; host: string } | { ok: false; reason: string };

const MAX_HOST = 253;
const MAX_LABEL = 63;
const MAX_RAW = 1024;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const PORT = /^[0-9]{1,5}$/;

/**
 * Lower-cases, strips the port and one trailing dot, converts IDN to punycode, and rejects
 * anything that is not a plain DNS name. Never throws.
 */
export function normalizeHost(raw: string | null | undefined): HostResult {
  if (typeof raw !== 'string') return fail('missing host');
  if (raw.length === 0 || raw.length > MAX_RAW) return fail(raw.length ? 'host too long' : 'empty host');
  if (/[\s\u0000-\u001f\u007f,/\\@?#%"'<>`{}|^[\]]/.test(raw.replace(/^\[[0-9a-fA-F:.]+\](:\d+)?$/, ''))) {
    return fail('invalid characters in host');
  }
  if (raw.startsWith('[')) return fail('IP literals do not name a site');

  const colon = raw.lastIndexOf(':');
  let name = raw;
  if (colon !== -1) {
    const port = raw.slice(colon + 1);
    if (!PORT.test(port) || Number(port) < 1 || Number(port) > 65535) return fail('invalid port');
    name = raw.slice(0, colon);
    if (name.includes(':')) return fail('invalid characters in host');
  }
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.length === 0) return fail('empty host');

  const ascii = domainToASCII(name.toLowerCase());
  if (!ascii) return fail('not a valid domain name');
  if (ascii.length > MAX_HOST) return fail('host too long');
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length === 0) return fail('empty label');
    if (label.length > MAX_LABEL) return fail('label too long');
    if (!LABEL.test(label)) return fail('invalid label');
  }
  if (labels.every((l) => /^[0-9]+$/.test(l))) return fail('IP literals do not name a site');
  return { ok: true, host: ascii };
}

const fail = (reason: string): HostResult => ({ ok: false, reason });
