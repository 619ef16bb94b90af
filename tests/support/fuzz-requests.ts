import { KNOWN_METHODS } from '../../src/request/request-target.ts';

/** A seeded generator (mulberry32), so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzTenant {
  slug: string;
  host: string;
}

export interface FuzzRequest {
  /** The bytes sent, exactly. */
  bytes: Buffer;
  method: string;
  /** The tenant the Host line names (case, port and a trailing dot aside), if exactly one does. */
  hostTenant: FuzzTenant | null;
  /** Tenants the Host lines or the request target name: only these may appear in the answer. */
  named: FuzzTenant[];
  /** A short description for failure messages. */
  summary: string;
}

/** Random requests against two tenants: hosts, targets, methods, headers and bodies, valid or not. */
export function fuzzRequests(random: () => number, tenants: readonly [FuzzTenant, FuzzTenant]) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => random() < p;
  const word = () => int(36 ** 6).toString(36).padStart(6, '0');
  const bytesOf = (length: number, alphabet: string) => Array.from({ length }, () => alphabet[int(alphabet.length)]).join('');

  function host(own: FuzzTenant, other: FuzzTenant): { lines: string[]; hostTenant: FuzzTenant | null } {
    const exact = [own.host, own.host.toUpperCase(), `${own.host}.`, `${own.host}:4321`, `${own.host}:80`];
    const mangled = [
      `user@${own.host}`,
      `user:pw@${own.host}`,
      `${own.host}:99999`,
      `${own.host}:-1`,
      `${own.host}/evil`,
      `${own.host}\\evil`,
      `${own.host} ${other.host}`,
      `${own.host},${other.host}`,
      `${own.slug}.localhost`,
      `${own.host}.${other.host}`,
    ];
    const strange = [
      '',
      'bücher.test',
      'xn--bcher-kva.test',
      '127.0.0.1',
      '[::1]',
      '[::1',
      '..',
      '-bad-.test',
      '%41.test',
      `${'a'.repeat(64)}.test`,
      `${'a.'.repeat(140)}test`,
      `${word()}.localhost`,
      `${word()}.test`,
      'localhost',
      '\u0000.test',
      'ünïcödé.localhost',
    ];
    const roll = random();
    if (roll < 0.55) return { lines: [pick(exact)], hostTenant: own };
    if (roll < 0.75) return { lines: [pick(mangled)], hostTenant: null };
    if (roll < 0.9) return { lines: [pick(strange)], hostTenant: null };
    if (roll < 0.95) return { lines: [own.host, pick([own.host, other.host])], hostTenant: null };
    return { lines: [], hostTenant: null };
  }

  // Few distinct paths, so most answers can come from the page cache (where a mix-up would show).
  function target(own: FuzzTenant, other: FuzzTenant): string {
    if (chance(0.4)) return pick(['/', '/about', '/?utm_source=fuzz', '/about/']);
    return pick([
      `/missing-${int(20)}`,
      '/%2e%2e/%2e%2e/etc/passwd',
      '/../../../etc/passwd',
      '//',
      '/./about/..',
      `/${'a'.repeat(pick([1000, 5000, 9000]))}`,
      '/%00',
      '/%ff%fe',
      '/é/ü',
      '/a?b=%zz&c',
      '/?contact=sent',
      '/_mosaic/forms/contact',
      '/_mosaic/anything',
      '/_astro/../../package.json',
      '/_astro/%2e%2e/%2e%2e/package.json',
      `/brand/${own.slug}/logo.svg`,
      `/brand/${other.slug}/logo.svg`,
      '*',
      'noslash',
      `http://${other.host}/`,
      `http://${own.host}/about`,
      `https://${own.host}:443/`,
      '/\t/',
    ]);
  }

  function method(): string {
    const roll = random();
    if (roll < 0.5) return 'GET';
    if (roll < 0.6) return 'HEAD';
    if (roll < 0.75) return 'POST';
    return pick(['PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'BREW', 'get', 'PROPFIND', 'G-T']);
  }

  function headers(other: FuzzTenant): string[] {
    const choices = [
      `X-Forwarded-Host: ${other.host}`,
      'X-Forwarded-For: 203.0.113.9',
      'X-Forwarded-Proto: https',
      `Forwarded: for=203.0.113.9;host=${other.host};proto=https`,
      `Cookie: site=${other.slug}; session=${word()}`,
      `Referer: http://${other.host}/`,
      `If-None-Match: "${word()}"`,
      'If-None-Match: *',
      'Accept-Encoding: gzip, br',
      'Accept: */*',
      `X-Junk: ${'x'.repeat(int(24_000))}`,
      'Content-Type: text/html',
      'Content-Type: application/x-www-form-urlencoded',
      'Expect: 100-continue',
      'Upgrade: h2c',
      `X-${word()}: ${bytesOf(int(200), 'abc é\u00ff')}`,
    ];
    return Array.from({ length: int(5) }, () => pick(choices));
  }

  function body(other: FuzzTenant): { lines: string[]; payload: Buffer } {
    const roll = random();
    if (roll < 0.5) return { lines: [], payload: Buffer.alloc(0) };
    const size = chance(0.1) ? 40_000 + int(80_000) : int(4000);
    const payload = pick([
      () => Buffer.from(`name=${other.slug}&email=a%40example.com&message=${bytesOf(size, 'abc%20+=&')}&page=%2F`),
      () => Buffer.from(JSON.stringify({ tenant: other.slug, data: bytesOf(size, 'xyz') })),
      () => Buffer.from(Array.from({ length: size }, () => int(256))),
    ])();
    if (roll < 0.85) return { lines: [`Content-Length: ${payload.length}`], payload };
    if (roll < 0.95) {
      const chunked = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\n\r\n')]);
      return { lines: ['Transfer-Encoding: chunked'], payload: chunked };
    }
    return { lines: ['Transfer-Encoding: chunked', `Content-Length: ${payload.length}`], payload };
  }

  return (): FuzzRequest => {
    const [own, other] = chance(0.5) ? [tenants[0], tenants[1]] : [tenants[1], tenants[0]];
    const m = method();
    const t = target(own, other);
    const h = host(own, other);
    const b = body(other);
    const head = [`${m} ${t} HTTP/1.1`, ...h.lines.map((line) => `Host: ${line}`), ...headers(other), ...b.lines, 'Connection: close', '', ''].join('\r\n');
    const mentioned = [...h.lines, t].join(' ').toLowerCase();
    return {
      bytes: Buffer.concat([Buffer.from(head, 'latin1'), b.payload]),
      method: m,
      hostTenant: h.hostTenant,
      named: tenants.filter((tenant) => mentioned.includes(tenant.slug)),
      summary: `${m} ${t.slice(0, 80)} Host: ${h.lines.join(' | ').slice(0, 120)} (${b.payload.length} body bytes)`,
    };
  };
}

/** True when a server error is the designed answer: 501 to a method the front does not know. */
export const isDesignedServerError = (status: number, method: string): boolean => status === 501 && !KNOWN_METHODS.has(method);
