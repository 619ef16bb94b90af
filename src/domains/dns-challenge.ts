import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';

/** Where a tenant proves it controls a hostname: a TXT record under this name holds the token. */
export const challengeName = (hostname: string): string => `_mosaic-challenge.${hostname}`;

/** 32 url-safe characters: unguessable, and fits any DNS TXT string. */
export const newChallengeToken = (): string => randomBytes(24).toString('base64url');

/** The slice of DNS a challenge needs: the TXT strings at one name (each record's chunks joined). */
export interface DnsLookup {
  txt(name: string): Promise<string[]>;
}

/** `lookupFailed`: the resolver did not answer (or answered with an error), so nothing is known. */
export type ChallengeResult = { ok: true } | { ok: false; reason: string; lookupFailed: boolean };

/**
 * A resolver asking `servers` (`ip` or `ip:port`; the system's when empty). Every wait is bounded:
 * a dead resolver costs a check seconds, not minutes.
 */
export function createDnsLookup(servers: readonly string[], options: { timeoutMs?: number; tries?: number } = {}): DnsLookup {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
  if (servers.length) resolver.setServers([...servers]);
  return {
    async txt(name) {
      const records = await resolver.resolveTxt(name);
      return records.map((chunks) => chunks.join(''));
    },
  };
}

const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

/** Looks for the token at the hostname's challenge name; never throws (a failed lookup is a reason). */
export async function checkChallenge(dns: DnsLookup, hostname: string, token: string): Promise<ChallengeResult> {
  const name = challengeName(hostname);
  try {
    const values = await dns.txt(name);
    if (values.includes(token)) return { ok: true };
    return { ok: false, reason: values.length ? `the TXT record at ${name} does not hold the expected token` : `no TXT record at ${name}`, lookupFailed: false };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (ABSENT.has(code)) return { ok: false, reason: `no TXT record at ${name}`, lookupFailed: false };
    return { ok: false, reason: `the DNS lookup of ${name} failed (${code || (error instanceof Error ? error.message : String(error))})`, lookupFailed: true };
  }
}
