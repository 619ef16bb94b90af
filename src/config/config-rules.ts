import { normalizeHost } from '../host/normalize-host.ts';

/**
 * Settings that contradict each other. An error is a combination that would make Mosaic do
 * something other than what the operator meant (write to another database than the one named);
 * a warning is a setting that has no effect in this combination.
 */
export function configConflicts(env: Readonly<Record<string, string | undefined>>): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const has = (name: string) => env[name] !== undefined;
  const postgres = has('DATABASE_URL');
  const redis = has('REDIS_URL');

  if (has('ADMIN_DATABASE_URL') && !postgres) {
    errors.push(
      'ADMIN_DATABASE_URL is set but DATABASE_URL is not: without DATABASE_URL every command uses the embedded database, ' +
        'not the one ADMIN_DATABASE_URL names. Set DATABASE_URL to the app role (mosaic_app) on the same database.',
    );
  }
  if (has('APP_DATABASE_PASSWORD') && !postgres) {
    errors.push('APP_DATABASE_PASSWORD is set but DATABASE_URL is not: the embedded database has no passwords. Set DATABASE_URL, or unset APP_DATABASE_PASSWORD.');
  }
  for (const name of ['DATABASE_URL', 'ADMIN_DATABASE_URL']) {
    if (has(name) && !/^postgres(ql)?:\/\//.test(env[name] ?? '')) errors.push(`${name} must be a postgres:// or postgresql:// URL.`);
  }
  if (redis && !/^rediss?:\/\//.test(env.REDIS_URL ?? '')) errors.push('REDIS_URL must be a redis:// or rediss:// URL.');
  if (postgres && has('ADMIN_DATABASE_URL')) {
    const app = databaseOf(env.DATABASE_URL);
    const admin = databaseOf(env.ADMIN_DATABASE_URL);
    if (app && admin && app !== admin) {
      errors.push(`ADMIN_DATABASE_URL names ${admin} but DATABASE_URL names ${app}: migrations and seeding would change another database than the one the server reads.`);
    }
  }
  if (has('PLATFORM_DOMAIN')) {
    const platform = normalizeHost(env.PLATFORM_DOMAIN);
    if (!platform.ok || platform.host !== env.PLATFORM_DOMAIN?.toLowerCase().replace(/\.$/, '')) {
      errors.push(`PLATFORM_DOMAIN must be a domain name like sites.example.com (no port, scheme or path), not "${env.PLATFORM_DOMAIN}".`);
    }
  }
  if (has('SMTP_URL') && !/^smtps?:\/\//.test(env.SMTP_URL ?? '')) errors.push('SMTP_URL must be an smtp:// or smtps:// URL.');
  if (has('MAIL_FROM') && !has('SMTP_URL')) warnings.push('MAIL_FROM has no effect without SMTP_URL: links are logged, not mailed.');
  if (Number(env.SESSION_IDLE_HOURS ?? 24) > Number(env.SESSION_MAX_DAYS ?? 14) * 24) {
    errors.push(`SESSION_IDLE_HOURS (${env.SESSION_IDLE_HOURS ?? 24}) is longer than SESSION_MAX_DAYS (${env.SESSION_MAX_DAYS ?? 14} days): a session would never be idle long enough to end.`);
  }
  if (has('METRICS_PORT') && has('PORT') && env.METRICS_PORT === env.PORT && env.PORT !== '0') {
    errors.push(`METRICS_PORT and PORT are both ${env.PORT}: metrics need a port of their own.`);
  }

  const ignored = (name: string, reason: string) => {
    if (has(name)) warnings.push(`${name} has no effect ${reason}.`);
  };
  if (!redis) for (const name of ['REDIS_PREFIX', 'VERSION_CHECK_MS', 'LOAD_LEASE_MS']) ignored(name, 'without REDIS_URL');
  if (!redis && env.REDIS_CLUSTER === 'true') errors.push('REDIS_CLUSTER=true needs REDIS_URL: the address of one node of the cluster (the others are discovered from it).');
  if (!postgres) for (const name of ['DATABASE_POOL_SIZE', 'ALLOW_PRIVILEGED_DB_ROLE']) ignored(name, 'with the embedded database (DATABASE_URL is not set)');
  if (postgres) ignored('PGLITE_DIR', 'with DATABASE_URL set: the server and every command use PostgreSQL');
  if (env.ORIGIN_LIMITS === 'off') ignored('ORIGIN_BURST_SECONDS', 'with ORIGIN_LIMITS=off');
  if (env.PAGE_CACHE === 'off') for (const name of ['PAGE_CACHE_MAX_ENTRIES', 'PAGE_CACHE_MAX_BYTES', 'PAGE_TTL_SECONDS']) ignored(name, 'with PAGE_CACHE=off');
  if (!redis && Number(env.TENANT_TTL_SECONDS) > 60) {
    warnings.push(
      `TENANT_TTL_SECONDS=${env.TENANT_TTL_SECONDS} without REDIS_URL: a publish made by another process (the CLI, another instance) ` +
        `reaches this one only when a tenant record expires, up to ${env.TENANT_TTL_SECONDS} s later.`,
    );
  }
  if (postgres && /^(1|true|yes)$/.test(env.ALLOW_PRIVILEGED_DB_ROLE ?? '') && (env.NODE_ENV ?? 'production') === 'production') {
    warnings.push('ALLOW_PRIVILEGED_DB_ROLE is on in production: the server may run as a role that row-level security does not bind.');
  }
  return { errors, warnings };
}

/** `host:port/database` of a PostgreSQL URL, to tell whether two URLs name the same database. */
function databaseOf(url: string | undefined): string | null {
  if (!url || !URL.canParse(url)) return null;
  const parsed = new URL(url);
  // Connection details given as query parameters are not compared.
  if (['host', 'port', 'dbname'].some((name) => parsed.searchParams.has(name))) return null;
  // Like libpq, a URL without a database means the database named after the user.
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username);
  return `${parsed.hostname}:${parsed.port || '5432'}/${database}`;
}
