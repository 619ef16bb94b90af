import type { Kysely } from 'kysely';
import type { Catalog } from '../../registry/catalog.ts';
import type { Database } from '../db/schema.ts';
import type { DnsLookup } from '../domains/dns-challenge.ts';
import type { AccountMail } from '../mail/account-mail.ts';
import type { Actor } from '../operations/actor.ts';
import type { OperationContext } from '../operations/operation.ts';
import type { SiteChangeNotifier } from '../publishing/site-version.ts';
import type { PurposeKeys } from './purpose-keys.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

/** Session lifetimes: idle (sliding) and absolute. */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

/** What the sign-in, session and link flows need; built once per process (`createAuth`). */
export interface AuthDeps {
  /** The app role's connection. */
  db: Kysely<Database>;
  clock: () => Date;
  notify: SiteChangeNotifier;
  registry: Catalog;
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  mail: AccountMail;
  keys: PurposeKeys;
  throttle: SignInThrottle;
  sessions: SessionPolicy;
  /** `PLATFORM_DOMAIN`, for operations that take domains (provisioning). */
  platformDomain?: string;
  /** The configured resolvers, for domain verification (`DNS_RESOLVERS`). */
  dns?: DnsLookup;
}

/** Who is calling, as the front saw them. */
export interface ClientInfo {
  /** The client's address (trusted hops only); null off the network. */
  address: string | null;
  userAgent: string | null;
}

/** The operation context for one actor: the one builder every caller in a process uses (HTTP, scripts). */
export function operationContext(deps: AuthDeps, actor: Actor, clientAddress: string | null): OperationContext {
  return {
    db: deps.db,
    actor,
    clock: deps.clock,
    notify: deps.notify,
    registry: deps.registry,
    logger: deps.logger,
    clientAddress,
    mail: deps.mail,
    platformDomain: deps.platformDomain,
    dns: deps.dns,
  };
}
