import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

const PG = 'postgres://mosaic_app@db.internal:5432/mosaic';
const ADMIN = 'postgres://owner@db.internal:5432/mosaic';

const problems = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
};
const warnings = (env: Record<string, string>) => loadConfig(env).warnings;

describe('configuration that contradicts itself is refused', () => {
  test('an admin database URL without an app database URL (seed would fill the embedded database)', () => {
    expect(problems({ ADMIN_DATABASE_URL: ADMIN })).toMatch(/ADMIN_DATABASE_URL is set but DATABASE_URL is not/);
    expect(problems({ ADMIN_DATABASE_URL: ADMIN, DATABASE_URL: PG })).toBe('');
  });

  test('an app password with the embedded database', () => {
    expect(problems({ APP_DATABASE_PASSWORD: 'secret' })).toMatch(/APP_DATABASE_PASSWORD is set but DATABASE_URL is not/);
  });

  test('admin and app URLs naming different databases', () => {
    expect(problems({ DATABASE_URL: PG, ADMIN_DATABASE_URL: 'postgres://owner@db.internal:5432/other' })).toMatch(
      /ADMIN_DATABASE_URL names db.internal:5432\/other but DATABASE_URL names db.internal:5432\/mosaic/,
    );
    expect(problems({ DATABASE_URL: PG, ADMIN_DATABASE_URL: 'postgres://owner@elsewhere:5432/mosaic' })).toMatch(/names elsewhere:5432\/mosaic/);
    // Without a path the database is named after the user, as libpq does.
    expect(problems({ DATABASE_URL: 'postgres://mosaic_app@db', ADMIN_DATABASE_URL: 'postgres://owner@db' })).toMatch(/names db:5432\/owner/);
    expect(problems({ DATABASE_URL: 'postgresql://mosaic_app:pw@db.internal/mosaic', ADMIN_DATABASE_URL: ADMIN })).toBe('');
  });

  test('URLs of the wrong kind, a platform domain that is no domain, metrics on the server’s own port', () => {
    expect(problems({ DATABASE_URL: 'mysql://db/mosaic' })).toMatch(/DATABASE_URL must be a postgres:\/\//);
    expect(problems({ REDIS_URL: 'http://cache:6379' })).toMatch(/REDIS_URL must be a redis:\/\//);
    expect(problems({ PORT: '8080', METRICS_PORT: '8080' })).toMatch(/METRICS_PORT and PORT are both 8080/);
    expect(problems({ PORT: '0', METRICS_PORT: '0' })).toBe('');
    expect(problems({ PLATFORM_DOMAIN: 'sites.example.com:8080' })).toMatch(/PLATFORM_DOMAIN must be a domain name/);
    expect(problems({ PLATFORM_DOMAIN: 'https://sites.example.com' })).toMatch(/PLATFORM_DOMAIN must be a domain name/);
    expect(problems({ PLATFORM_DOMAIN: 'Sites.Example.com.' })).toBe('');
  });

  test('every problem is listed at once, with the schema’s own', () => {
    const message = problems({ ADMIN_DATABASE_URL: ADMIN, REDIS_URL: 'http://x', PORT: 'abc' });
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/ADMIN_DATABASE_URL is set/);
    expect(message).toMatch(/REDIS_URL must be/);
  });
});

describe('settings that have no effect are warned about', () => {
  test('Redis settings without Redis', () => {
    expect(warnings({ VERSION_CHECK_MS: '500', REDIS_PREFIX: 'x:', LOAD_LEASE_MS: '100' })).toEqual([
      'REDIS_PREFIX has no effect without REDIS_URL.',
      'VERSION_CHECK_MS has no effect without REDIS_URL.',
      'LOAD_LEASE_MS has no effect without REDIS_URL.',
    ]);
    expect(warnings({ VERSION_CHECK_MS: '500', REDIS_URL: 'redis://cache:6379' })).toEqual([]);
  });

  test('PostgreSQL settings with the embedded database, and PGLITE_DIR with PostgreSQL', () => {
    expect(warnings({ DATABASE_POOL_SIZE: '5' })).toEqual(['DATABASE_POOL_SIZE has no effect with the embedded database (DATABASE_URL is not set).']);
    expect(warnings({ DATABASE_URL: PG, PGLITE_DIR: '/data' })).toEqual(['PGLITE_DIR has no effect with DATABASE_URL set: the server and every command use PostgreSQL.']);
  });

  test('a long tenant TTL without Redis, page-cache bounds with the page cache off, the role escape hatch in production', () => {
    expect(warnings({ TENANT_TTL_SECONDS: '3600' })[0]).toMatch(/up to 3600 s later/);
    expect(warnings({ TENANT_TTL_SECONDS: '30' })).toEqual([]);
    expect(warnings({ TENANT_TTL_SECONDS: '3600', REDIS_URL: 'redis://cache:6379' })).toEqual([]);
    expect(warnings({ PAGE_CACHE: 'off', PAGE_TTL_SECONDS: '60' })).toEqual(['PAGE_TTL_SECONDS has no effect with PAGE_CACHE=off.']);
    expect(warnings({ ORIGIN_LIMITS: 'off', ORIGIN_BURST_SECONDS: '5' })).toEqual(['ORIGIN_BURST_SECONDS has no effect with ORIGIN_LIMITS=off.']);
    expect(warnings({ ORIGIN_BURST_SECONDS: '5' })).toEqual([]);
    expect(warnings({ DATABASE_URL: PG, ALLOW_PRIVILEGED_DB_ROLE: 'true' })[0]).toMatch(/ALLOW_PRIVILEGED_DB_ROLE is on in production/);
    expect(warnings({ DATABASE_URL: PG, ALLOW_PRIVILEGED_DB_ROLE: 'true', NODE_ENV: 'test' })).toEqual([]);
  });

  test('a plain configuration has no warnings', () => {
    expect(warnings({})).toEqual([]);
    expect(warnings({ DATABASE_URL: PG, ADMIN_DATABASE_URL: ADMIN, REDIS_URL: 'redis://cache:6379' })).toEqual([]);
  });
});

describe('accounts settings', () => {
  test('SMTP_URL is smtp:// or smtps://; MAIL_FROM without it is a warning', () => {
    expect(problems({ SMTP_URL: 'http://mail.example.com' })).toMatch(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(problems({ SMTP_URL: 'smtps://user:pass@mail.example.com:465' })).toBe('');
    expect(warnings({ MAIL_FROM: 'Sites <sites@example.com>' })).toContain('MAIL_FROM has no effect without SMTP_URL: links are logged, not mailed.');
    expect(loadConfig({ ADMIN_HOST: 'admin.example.com' }).accounts.mailFrom).toBe('Mosaic <no-reply@admin.example.com>');
  });

  test('session lifetimes: idle hours within the absolute days', () => {
    expect(loadConfig({}).accounts).toMatchObject({ sessionIdleMs: 24 * 3_600_000, sessionMaxMs: 14 * 86_400_000 });
    expect(problems({ SESSION_IDLE_HOURS: '48', SESSION_MAX_DAYS: '1' })).toMatch(/SESSION_IDLE_HOURS \(48\) is longer than SESSION_MAX_DAYS \(1 days\)/);
    expect(problems({ SESSION_IDLE_HOURS: '0' })).toMatch(/SESSION_IDLE_HOURS/);
  });
});
