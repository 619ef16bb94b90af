import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { configConflicts } from './config-rules.ts';
import { normalizeHost } from '../host/normalize-host.ts';
import { SecretValue } from './secret-value.ts';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .default('')
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4321),
  DATABASE_URL: z.url().optional(),
  ADMIN_DATABASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  REDIS_URL: z.url().optional(),
  REDIS_PREFIX: z.string().regex(/^[a-z0-9:_-]{1,40}$/).default('mosaic:'),
  REDIS_CLUSTER: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  PLATFORM_DOMAIN: z.string().min(1).default('localhost'),
  PUBLIC_SCHEME: z.enum(['http', 'https']).default('https'),
  // `false`, a hop count (`true` = 1), or a comma-separated list of addresses / CIDR ranges.
  TRUST_PROXY: z.string().default('false'),
  ADMIN_HOST: z.string().min(1).default('admin.localhost'),
  CACHE_MAX_ENTRIES: z.coerce.number().int().min(100).default(50_000),
  CACHE_MAX_BYTES: z.coerce.number().int().min(1024 * 1024).default(64 * 1024 * 1024),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(300),
  TENANT_TTL_SECONDS: z.coerce.number().int().min(1).optional(),
  NEGATIVE_TTL_SECONDS: z.coerce.number().int().min(1).default(15),
  CACHE_STALE_SECONDS: z.coerce.number().int().min(0).default(600),
  LOAD_LEASE_MS: z.coerce.number().int().min(50).default(2000),
  VERSION_CHECK_MS: z.coerce.number().int().min(0).default(1000),
  PAGE_CACHE: z.enum(['on', 'off']).default('on'),
  PAGE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(10).default(20_000),
  PAGE_CACHE_MAX_BYTES: z.coerce.number().int().min(1024 * 1024).default(128 * 1024 * 1024),
  // Off by default: on the demo pages reusing sections measured no faster than rendering them (docs/benchmarks.md).
  FRAGMENT_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(0),
  PAGE_TTL_SECONDS: z.coerce.number().int().min(1).default(300),
  PAGE_WARM_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(4),
  CDN_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(60),
  CDN_STALE_SECONDS: z.coerce.number().int().min(0).default(300),
  INTERNAL_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // The internal listener's former name, still accepted.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  INSTANCE_ID: z.string().min(1).optional(),
  ALLOW_PRIVILEGED_DB_ROLE: flag,
  // Failing and slow services (see "When something fails" in the README).
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(50).default(2000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).default(2000),
  ROUTING_POOL_SIZE: z.coerce.number().int().min(1).max(20).default(2),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(200),
  REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).default(1000),
  REDIS_RETRY_AFTER_MS: z.coerce.number().int().min(50).default(1000),
  RENDER_DEADLINE_MS: z.coerce.number().int().min(100).default(5000),
  // Two per process: a process renders on one JavaScript thread, so two in flight let one compute
  // while the other waits on its data; more only interleave renders so they all finish late
  // (render path p99 ÷ p50 about 2 at 2, 5 to 12 at 4 and 32: docs/benchmarks.md).
  RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(2),
  RENDER_QUEUE: z.coerce.number().int().min(0).max(10_000).default(128),
  PRERENDER_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(2),
  RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  OUTBOX_POLL_MS: z.coerce.number().int().min(0).default(500),
  JOB_POLL_MS: z.coerce.number().int().min(0).default(1000),
  // Custom domains: where DNS challenges are looked up (comma-separated `ip` or `ip:port`; default: the system's).
  DNS_RESOLVERS: z.string().optional(),
  DELETED_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  // Accounts and sign-in (see "Accounts and sign-in" in the README).
  SECRET_KEY: z
    .string()
    .refine((key) => Buffer.byteLength(key, 'utf8') >= 32, 'must be at least 32 bytes (e.g. the output of `openssl rand -base64 48`)')
    .optional(),
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).max(200).optional(),
  SESSION_IDLE_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(24),
  SESSION_MAX_DAYS: z.coerce.number().min(0.1).max(365).default(14),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  // Per-tenant origin work (renders, form posts, API calls) at the plan's originRequestsPerSecond.
  ORIGIN_LIMITS: z.enum(['on', 'off']).default('on'),
  ORIGIN_BURST_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
});

/** Limits every app connection carries, so a slow database cannot hold a request for long. */
export interface DatabaseTimeouts {
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
  /** Longest wait for a pooled connection (queued behind others, or a new one). */
  connectMs: number;
}
/** Which peers may speak for the client in `X-Forwarded-*` headers. */
export type ProxyTrust = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'ranges'; ranges: string[] };

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; adminUrl: string | null; poolSize: number; routingPoolSize: number; timeouts: DatabaseTimeouts }
  | { kind: 'pglite'; dir: string };

/** The fully resolved configuration; built once at start-up and passed explicitly. */
export interface MosaicConfig {
  mode: 'development' | 'production' | 'test';
  host: string;
  port: number;
  database: DatabaseConfig;
  redis: RedisConfig | null;
  platformDomain: string;
  publicScheme: 'http' | 'https';
  trustProxy: ProxyTrust;
  /** The host the admin answers on; never a tenant's. */
  adminHost: string;
  /** Development-only `?tenant=` / `X-Mosaic-Tenant` override. */
  allowTenantOverride: boolean;
  cache: {
    maxEntries: number;
    maxBytes: number;
    ttlMs: number;
    tenantTtlMs: number;
    negativeTtlMs: number;
    /** Stale-while-revalidate window of the data cache. */
    staleMs: number;
    /** Cluster-wide load lease (Redis only). */
    leaseMs: number;
    /** How often an instance reads the change log in Redis, bounding a lost invalidation message. */
    versionCheckMs: number;
  };
  pageCache: {
    enabled: boolean;
    maxEntries: number;
    maxBytes: number;
    ttlMs: number;
    /** After a change, pages fetched from Redis into memory at once per process (before anyone asks); 0 = never. */
    warmConcurrency: number;
    /** What CDNs are told (s-maxage, stale-while-revalidate). */
    cdnMaxAgeSeconds: number;
    cdnStaleSeconds: number;
  };
  /** Budget of rendered sections kept per process (`src/render/section-fragments.ts`); 0 keeps none. */
  fragmentCacheBytes: number;
  /** Renders (page-cache misses) in flight and waiting, and how long one may take. */
  render: { deadlineMs: number; concurrency: number; queue: number };
  /** Pages rendered after a change before anyone asks for them, at most this many at once per process; 0 = never. */
  prerenderConcurrency: number;
  /** `Retry-After` of a 503 when a dependency is down or the server sheds load. */
  retryAfterSeconds: number;
  /** How often each server delivers change notices left behind by a process that died; 0 = never. */
  outboxPollMs: number;
  /** The internal listener (metrics, health); never reachable through a tenant's host. */
  internalPort: number | null;
  shutdown: {
    /** After SIGTERM, how long `/readyz` answers 503 while requests are still taken. */
    delayMs: number;
    /** The longest wait for requests in flight before connections are cut. */
    timeoutMs: number;
  };
  /** How often each server runs due jobs (scheduled publishes); 0 = never. */
  jobPollMs: number;
  /** Resolvers for domain challenges (`ip` or `ip:port`); empty: the system's. */
  dnsResolvers: readonly string[];
  /** How long a deleted site is kept, restorable, before the job runner purges it. */
  deletedRetentionDays: number;
  logLevel: string;
  instanceId: string;
  allowPrivilegedDbRole: boolean;
  accounts: {
    /** Derives every signing key (HKDF by purpose); null: see `resolveSecretKey`. Never logged. */
    secretKey: SecretValue | null;
    /** Invitations and password resets are mailed through it; without it they are logged. */
    smtpUrl: SecretValue | null;
    mailFrom: string;
    /** A session unused this long ends (sliding). */
    sessionIdleMs: number;
    /** A session ends this long after sign-in, however much it is used. */
    sessionMaxMs: number;
  };
  /** Admin API calls per minute allowed to one API key, one person, or one anonymous client address. */
  apiRateLimitPerMinute: number;
  /** Each tenant's origin work at its plan's rate; `burstSeconds` worth of the rate may be spent at once. */
  originLimits: { enabled: boolean; burstSeconds: number };
  /** Settings that have no effect in this combination; logged once at start-up. */
  warnings: readonly string[];
}

export interface RedisConfig {
  url: string;
  /** `url` is one node of a Redis Cluster; the client discovers the others and routes by slot. */
  cluster: boolean;
  prefix: string;
  /** Longest a request waits for one Redis command before treating it as a miss. */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** After Redis fails, how long it is skipped before one command tries it again. */
  retryAfterMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; every problem is listed in one error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): MosaicConfig {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  const conflicts = configConflicts(present);
  const lines = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...conflicts.errors,
  ];
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  const e = parsed.data;
  const platformDomain = e.PLATFORM_DOMAIN.toLowerCase().replace(/\.$/, '');
  const trustProxy = parseProxyTrust(e.TRUST_PROXY, lines);
  const adminHost = parseAdminHost(e.ADMIN_HOST, platformDomain, lines);
  const dnsResolvers = parseResolvers(e.DNS_RESOLVERS, lines);
  if (e.INTERNAL_PORT !== undefined && e.METRICS_PORT !== undefined && e.INTERNAL_PORT !== e.METRICS_PORT) {
    lines.push('INTERNAL_PORT: METRICS_PORT (its former name) is also set, to another port; set only INTERNAL_PORT');
  }
  if (lines.length) throw new ConfigError(`Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  return {
    mode: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          adminUrl: e.ADMIN_DATABASE_URL ?? null,
          poolSize: e.DATABASE_POOL_SIZE,
          routingPoolSize: e.ROUTING_POOL_SIZE,
          timeouts: {
            statementMs: e.DB_STATEMENT_TIMEOUT_MS,
            lockMs: e.DB_LOCK_TIMEOUT_MS,
            idleInTransactionMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
            connectMs: e.DB_CONNECT_TIMEOUT_MS,
          },
        }
      : { kind: 'pglite', dir: e.PGLITE_DIR },
    redis: e.REDIS_URL
      ? {
          url: e.REDIS_URL,
          cluster: e.REDIS_CLUSTER,
          prefix: e.REDIS_PREFIX,
          commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
          connectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS,
          retryAfterMs: e.REDIS_RETRY_AFTER_MS,
        }
      : null,
    platformDomain,
    publicScheme: e.PUBLIC_SCHEME,
    trustProxy,
    adminHost,
    allowTenantOverride: e.NODE_ENV === 'development',
    cache: {
      maxEntries: e.CACHE_MAX_ENTRIES,
      maxBytes: e.CACHE_MAX_BYTES,
      ttlMs: e.CACHE_TTL_SECONDS * 1000,
      // With Redis, the change log bounds a missed invalidation, so tenant records may live as long as
      // the rest; without it, a publish from another process is seen when the record expires.
      tenantTtlMs: (e.TENANT_TTL_SECONDS ?? (e.REDIS_URL ? e.CACHE_TTL_SECONDS : 30)) * 1000,
      negativeTtlMs: e.NEGATIVE_TTL_SECONDS * 1000,
      staleMs: e.CACHE_STALE_SECONDS * 1000,
      leaseMs: e.LOAD_LEASE_MS,
      versionCheckMs: e.VERSION_CHECK_MS,
    },
    pageCache: {
      enabled: e.PAGE_CACHE === 'on',
      maxEntries: e.PAGE_CACHE_MAX_ENTRIES,
      maxBytes: e.PAGE_CACHE_MAX_BYTES,
      ttlMs: e.PAGE_TTL_SECONDS * 1000,
      warmConcurrency: e.PAGE_WARM_CONCURRENCY,
      cdnMaxAgeSeconds: e.CDN_MAX_AGE_SECONDS,
      cdnStaleSeconds: e.CDN_STALE_SECONDS,
    },
    fragmentCacheBytes: e.FRAGMENT_CACHE_MB * 1024 * 1024,
    render: { deadlineMs: e.RENDER_DEADLINE_MS, concurrency: e.RENDER_CONCURRENCY, queue: e.RENDER_QUEUE },
    prerenderConcurrency: e.PRERENDER_CONCURRENCY,
    retryAfterSeconds: e.RETRY_AFTER_SECONDS,
    outboxPollMs: e.OUTBOX_POLL_MS,
    internalPort: e.INTERNAL_PORT ?? e.METRICS_PORT ?? null,
    shutdown: { delayMs: e.SHUTDOWN_DELAY_MS, timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    jobPollMs: e.JOB_POLL_MS,
    dnsResolvers,
    deletedRetentionDays: e.DELETED_RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
    instanceId: e.INSTANCE_ID ?? `${process.pid}`,
    allowPrivilegedDbRole: e.ALLOW_PRIVILEGED_DB_ROLE,
    accounts: {
      secretKey: e.SECRET_KEY ? new SecretValue(e.SECRET_KEY) : null,
      smtpUrl: e.SMTP_URL ? new SecretValue(e.SMTP_URL) : null,
      mailFrom: e.MAIL_FROM ?? `Mosaic <no-reply@${adminHost}>`,
      sessionIdleMs: Math.round(e.SESSION_IDLE_HOURS * 3_600_000),
      sessionMaxMs: Math.round(e.SESSION_MAX_DAYS * 86_400_000),
    },
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    originLimits: { enabled: e.ORIGIN_LIMITS === 'on', burstSeconds: e.ORIGIN_BURST_SECONDS },
    warnings: conflicts.warnings,
  };
}

function parseProxyTrust(value: string, problems: string[]): ProxyTrust {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === '0' || v === 'no') return { kind: 'none' };
  // The old boolean meant "the peer is a proxy": one hop.
  if (v === 'true' || v === 'yes') return { kind: 'hops', hops: 1 };
  if (/^[0-9]+$/.test(v)) return { kind: 'hops', hops: Number(v) };
  const ranges = v.split(',').map((r) => r.trim()).filter(Boolean);
  try {
    proxyaddr.compile(ranges);
    return { kind: 'ranges', ranges };
  } catch (error) {
    problems.push(`TRUST_PROXY: expected false, a hop count or addresses/CIDR ranges (${error instanceof Error ? error.message : String(error)})`);
    return { kind: 'none' };
  }
}

/** `1.1.1.1, 127.0.0.1:5353, [::1]:53`: addresses only, so a lookup never needs a lookup. */
function parseResolvers(value: string | undefined, problems: string[]): string[] {
  if (!value) return [];
  const servers = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const server of servers) {
    const match = /^(?:\[([0-9a-f:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/i.exec(server) ?? (isIP(server) === 6 ? [server, server] : null);
    const address = match ? (match[1] ?? match[2] ?? '') : '';
    const port = match?.[3] === undefined ? 53 : Number(match[3]);
    if (!match || isIP(address) === 0 || port < 1 || port > 65535) problems.push(`DNS_RESOLVERS: "${server}" is not an IP address with an optional port`);
  }
  return servers;
}

function parseAdminHost(value: string, platformDomain: string, problems: string[]): string {
  const host = normalizeHost(value);
  if (!host.ok || host.host !== value.toLowerCase().replace(/\.$/, '')) {
    problems.push(`ADMIN_HOST: must be a plain host name without port or path (${host.ok ? 'has a port' : host.reason})`);
    return value;
  }
  if (host.host === platformDomain) problems.push('ADMIN_HOST: must differ from PLATFORM_DOMAIN');
  return host.host;
}
