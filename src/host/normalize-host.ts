import { domainToASCII } from 'node:url';

export type HostResult = { ok: true; host: string } | { ok: false; reason: string };

const MAX_HOST = 253;
const MAX_LABEL = 63;
// Longer raw values are rejected before any Unicode work is done on them.
const MAX_RAW = 1024;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const PORT = /^[0-9]{1,5}$/;
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;
const FORBIDDEN = /[/\\?#%"'<>`{}|^[\]]/;

/**
 * Turns a raw `Host`-style value into a lower-case ASCII DNS name: strips a port (1–65535) and
 * one trailing dot, converts IDN labels to punycode, and rejects anything else with a reason —
 * including IP literals, which never name a site. Never throws.
 */
export function normalizeHost(raw: string | null | undefined): HostResult {
  if (typeof raw !== 'string') return fail('missing host');
  if (raw.length === 0) return fail('empty host');
  if (raw.length > MAX_RAW) return fail('host too long');
  if (raw.trim().length === 0) return fail('blank host');
  if (raw.includes(',')) return fail('multiple hosts');
  if (raw.includes('@')) return fail('userinfo is not allowed');
  if (WHITESPACE_OR_CONTROL.test(raw)) return fail('whitespace or control characters in host');
  if (raw.startsWith('[')) return fail('IP literals do not name a site');
  if (FORBIDDEN.test(raw)) return fail('invalid characters in host');

  let name = raw;
  const colon = raw.lastIndexOf(':');
  if (colon !== -1) {
    const port = raw.slice(colon + 1);
    if (!PORT.test(port) || Number(port) < 1 || Number(port) > 65535) return fail('invalid port');
    name = raw.slice(0, colon);
    if (name.includes(':')) return fail('invalid port');
  }
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name.length === 0) return fail('empty host');

  const ascii = domainToASCII(name.toLowerCase());
  if (ascii.length === 0) return fail('not a valid domain name');
  if (ascii.length > MAX_HOST) return fail('host too long');
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length === 0) return fail('empty label');
    if (label.length > MAX_LABEL) return fail('label too long');
    if (!LABEL.test(label)) return fail('invalid label');
  }
  // domainToASCII already rewrote IPv4 shorthands (`127.1`, `0x7f.1`) to dotted decimal.
  if (labels.every((label) => /^[0-9]+$/.test(label))) return fail('IP literals do not name a site');
  return { ok: true, host: ascii };
}

const fail = (reason: string): HostResult => ({ ok: false, reason });
