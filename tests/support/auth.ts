import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { catalog } from '../../registry/catalog.ts';
import { createAuth, type Auth } from '../../src/auth/create-auth.ts';
import type { ThrottleLimits } from '../../src/auth/sign-in-throttle.ts';
import type { MosaicConfig } from '../../src/config/config.ts';
import type { Mailer } from '../../src/mail/mailer.ts';
import type { SiteChange } from '../../src/publishing/site-version.ts';
import { openTestDatabases } from './databases.ts';

/** A clock tests move by hand. */
export function testClock(start = '2026-11-25T10:00:00Z') {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Log lines as objects, with their message under `msg`. */
export function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const log = (obj: object, msg: string) => void lines.push({ ...obj, msg });
  return { lines, logger: { info: log, warn: log } };
}

export interface TestAuthOptions {
  clock?: () => Date;
  mailer?: Mailer | null;
  redis?: Redis | null;
  redisPrefix?: string;
  limits?: ThrottleLimits;
  smtp?: boolean;
  adminHost?: string;
}

/** `createAuth` on the suite's database as the app role, with a 24 h idle / 14 day session policy. */
export function createTestAuth(dbs: ReturnType<typeof openTestDatabases>, options: TestAuthOptions = {}) {
  const { lines, logger } = collectingLogger();
  const notices: SiteChange[] = [];
  const config: Pick<MosaicConfig, 'accounts' | 'adminHost' | 'publicScheme' | 'port'> = {
    adminHost: options.adminHost ?? 'admin.example.test',
    publicScheme: 'https',
    port: 4321,
    accounts: { secretKey: null, smtpUrl: null, mailFrom: 'Mosaic <no-reply@example.test>', sessionIdleMs: DAY, sessionMaxMs: 14 * DAY },
  };
  const auth: Auth = createAuth({
    config,
    db: dbs.app,
    secretKey: randomBytes(32),
    notify: async (change) => void notices.push(change),
    registry: catalog,
    logger,
    redis: options.redis ?? null,
    redisPrefix: options.redisPrefix,
    clock: options.clock,
    limits: options.limits,
    mailer: options.mailer ?? null,
  });
  return { auth, logs: lines, notices };
}
