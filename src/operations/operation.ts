import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Catalog } from '../../registry/catalog.ts';
import type { Database, TenantPlan, TenantStatus } from '../db/schema.ts';
import type { DnsLookup } from '../domains/dns-challenge.ts';
import type { AccountMail } from '../mail/account-mail.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { MediaStore } from '../media/media-store.ts';
import type { SiteChangeNotifier } from '../publishing/site-version.ts';
import type { Actor } from './actor.ts';
import type { AuditEntry } from './audit-trail.ts';
import type { Action, Role } from './permissions.ts';

/**
 * Where an operation runs: in one tenant's row-level-security context, in the platform scope
 * (platform admins only), or as the signed-in user about themselves.
 */
export type OperationScope = 'tenant' | 'platform' | 'self';

/** What every operation is given. HTTP, the CLI, the seeder and the job runner each build one. */
export interface OperationContext {
  /** The app role's connection (the owner's for the CLI and the seeder). */
  db: Kysely<Database>;
  actor: Actor;
  clock: () => Date;
  /** Tells every instance about a site change, after the commit. */
  notify: SiteChangeNotifier;
  registry: Catalog;
  logger: { warn(obj: object, msg: string): void };
  /** The client's address as the front determined it (trusted hops only); null off the network. */
  clientAddress: string | null;
  /**
   * `PLATFORM_DOMAIN`: names under it belong to the platform. Operations that take domains
   * (provisioning) refuse to run without it.
   */
  platformDomain?: string;
  /** Invitation and password-reset links; operations that send one refuse to run without it. */
  mail?: AccountMail;
  /** Looks up domain challenges (DNS_RESOLVERS); operations that verify a domain refuse to run without it. */
  dns?: DnsLookup;
  /** Notices to a site's owners (a domain that stopped verifying); without it they are only logged. */
  mailer?: Mailer | null;
  /** Where images' bytes are kept; Postgres (`postgresMediaStore`) when not given. */
  mediaStore?: MediaStore;
  /** Told each step of long work (images exported or imported); the CLI draws it on stderr. */
  progress?: (step: { what: string; done: number; total: number }) => void;
}

/** The tenant an operation acts on, as read inside its transaction. */
export interface TenantInContext {
  id: string;
  slug: string;
  status: TenantStatus;
  plan: TenantPlan;
}

/** What an operation's body may use: its transaction, who acts, and how to audit and announce. */
export interface OperationTx {
  trx: Transaction<Database>;
  actor: Actor;
  /** Set in tenant scope. */
  tenant: TenantInContext | null;
  /** The actor's role on the tenant (tenant scope), or `platform-admin`; null for `self`. */
  role: Role | null;
  /** The clock, read once when the operation started. */
  now: Date;
  context: OperationContext;
  /** Refuses (403) unless the actor's role allows `action`: for checks that depend on the input. */
  require(action: Action): void;
  /**
   * Declares that this run changed nothing (revoking what is already revoked, setting a role it
   * already has), so it needs no audit record. Only for runs that wrote nothing.
   */
  noChange(): void;
  /** Appends to the tenant's trail (tenant scope) or the platform's; every change must write one. */
  audit(entry: AuditEntry & { tenantId?: string }): Promise<void>;
  /**
   * Marks the tenant's site as changed: bumps its site version and records the change notice in
   * this transaction; the notice reaches every instance after the commit. `hostnames` names every
   * host whose routing may have changed; `paths` names the only pages whose content changed (a
   * page's publish), so they are rendered before the change is announced — without it, every
   * page may have changed. Returns the new site version.
   */
  siteChanged(reason: string, options?: { tenantId?: string; hostnames?: readonly string[]; paths?: readonly string[] }): Promise<number>;
}

export interface OperationSpec<S extends z.ZodType, O> {
  /** Stable name, used as the audit action, e.g. `page.publish`. */
  name: string;
  scope: OperationScope;
  /** The permission it needs; `self` operations need none beyond a signed-in user. */
  action: Action | null;
  /** Reads change nothing and write no audit record; every other operation must write one. */
  mutates: boolean;
  input: S;
  run(tx: OperationTx, input: z.output<S>): Promise<O>;
}

/** Declares an operation; the runner (`execute`) does the rest. */
export function defineOperation<S extends z.ZodType, O>(spec: OperationSpec<S, O>): OperationSpec<S, O> {
  return spec;
}
