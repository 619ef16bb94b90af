import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { joinScope, setScope, withScope, type DatabaseScope } from '../db/scope.ts';
import { MosaicError } from '../errors/catalog.ts';
import { recordChange } from '../publishing/change-outbox.ts';
import { bumpSiteVersion, type SiteChange } from '../publishing/site-version.ts';
import { actorUserId, isPlatformActor, type Actor } from './actor.ts';
import { retryingConflicts } from './conflict-retry.ts';
import { appendAudit } from './audit-trail.ts';
import type { OperationContext, OperationSpec, OperationTx, TenantInContext } from './operation.ts';
import { can, type Action, type Role } from './permissions.ts';
import { formatIssuePath, issueMessage } from '../validation/issue-path.ts';
import { unstorableTextIssues } from '../validation/storable-text.ts';

/** Names the tenant of a tenant-scoped call: by id (internal callers) or slug (the API, the CLI). */
export type TenantSelector = { id: string } | { slug: string };

export interface OperationCall {
  tenant?: TenantSelector;
  input?: unknown;
}

/**
 * Runs the operation inside a transaction the caller holds (the seeder writes every tenant or
 * none) instead of its own. Permission checks are the same. Nothing is announced: the site
 * changes are appended to `pendingChanges`, for the caller to announce once its transaction commits.
 */
export interface JoinedTransaction {
  trx: Transaction<Database>;
  pendingChanges: SiteChange[];
}

/**
 * Runs one operation: validates the input (every problem listed), checks the actor's permission
 * before anything else, runs the body in one transaction in the right row-level-security scope,
 * requires an audit record from every change, and announces site changes after the commit.
 * Another tenant's resources are `NotFound`, never `Forbidden`, so existence is not revealed.
 */
export async function execute<S extends z.ZodType, O>(
  context: OperationContext,
  op: OperationSpec<S, O>,
  call: OperationCall = {},
  joined?: JoinedTransaction,
): Promise<O> {
  const input = parseInput(op.input, call.input ?? {});
  const changes: SiteChange[] = [];
  const attempt = () => inScope(context, op, call.tenant ?? null, joined?.trx ?? null, async (trx, tenant, role) => {
    let audits = 0;
    let unchanged = false;
    const tx: OperationTx = {
      trx,
      actor: context.actor,
      tenant,
      role,
      now: context.clock(),
      context,
      require(action) {
        if (!role || !can(role, action)) throw new MosaicError('Forbidden');
      },
      noChange() {
        unchanged = true;
      },
      async audit(entry) {
        const tenantId = entry.tenantId ?? tenant?.id ?? null;
        // A platform operation writing to one tenant's trail enters that tenant for the insert.
        if (tenantId && tenantId !== tenant?.id) await setScope(trx, { tenantId, userId: actorUserId(context.actor), platform: op.scope === 'platform' });
        await appendAudit(trx, { ...entry, action: op.name, actor: context.actor, clientAddress: context.clientAddress, tenantId });
        if (tenantId && tenantId !== tenant?.id) await setScope(trx, scopeOf(op, context.actor, tenant?.id ?? null));
        audits += 1;
      },
      async siteChanged(reason, options = {}) {
        const tenantId = options.tenantId ?? tenant?.id;
        if (!tenantId) throw new Error(`Operation ${op.name} announced a site change without a tenant.`);
        const siteVersion = await bumpSiteVersion(trx, tenantId);
        // The notice commits with the change (outbox); it is delivered after the commit, or by a
        // server's dispatcher if this process dies first.
        changes.push(await recordChange(trx, { tenantId, siteVersion, reason, hostnames: options.hostnames, paths: options.paths }));
        return siteVersion;
      },
    };
    const output = await op.run(tx, input);
    if (op.mutates && audits === 0 && !unchanged) throw new Error(`Operation ${op.name} changed data without an audit record.`);
    return output;
  });
  // A transaction of its own that lost a deadlock or a serialization race runs again from the
  // start; inside a caller's transaction the caller decides, as its earlier work is lost too.
  const result = joined
    ? await attempt()
    : await retryingConflicts(attempt, (error, n) => {
        changes.length = 0;
        context.logger.warn({ operation: op.name, attempt: n, code: (error as { code?: string }).code }, 'operation lost a concurrency conflict; running it again');
      });
  if (joined) {
    joined.pendingChanges.push(...changes);
    return result;
  }
  await announceChanges(context, changes);
  return result;
}

/** Tells every instance about committed site changes; a failed notice is logged (the outbox delivers it later). */
export async function announceChanges(context: Pick<OperationContext, 'notify' | 'logger'>, changes: readonly SiteChange[]): Promise<void> {
  for (const change of changes) {
    await context.notify(change).catch((error: unknown) =>
      context.logger.warn({ err: error instanceof Error ? error.message : String(error), tenant: change.tenantId }, 'site change notice failed'),
    );
  }
}

type Body<O> = (trx: Transaction<Database>, tenant: TenantInContext | null, role: Role | null) => Promise<O>;

async function inScope<O>(
  context: OperationContext,
  op: OperationSpec<z.ZodType, unknown>,
  selector: TenantSelector | null,
  outer: Transaction<Database> | null,
  body: Body<O>,
): Promise<O> {
  const { actor } = context;
  const within = <T>(scope: DatabaseScope, work: (trx: Transaction<Database>) => Promise<T>) =>
    outer ? joinScope(outer, scope, work) : withScope(context.db, scope, work);
  switch (op.scope) {
    case 'self':
      return within(scopeOf(op, actor, null), (trx) => body(trx, null, null));
    case 'platform': {
      const action = requiredAction(op);
      if (!isPlatformActor(actor) || !can('platform-admin', action)) throw new MosaicError('Forbidden');
      return within(scopeOf(op, actor, null), (trx) => body(trx, null, 'platform-admin'));
    }
    case 'tenant': {
      const action = requiredAction(op);
      if (!selector) throw new Error(`Operation ${op.name} needs a tenant.`);
      // Inside the caller's transaction, a tenant it has just created is visible only there.
      const tenantId = 'id' in selector ? selector.id : await tenantIdForSlug(outer ?? context.db, selector.slug);
      if (!tenantId) throw new MosaicError('NotFound');
      return within(scopeOf(op, actor, tenantId), async (trx) => {
        const tenant = await trx
          .selectFrom('tenants')
          .select(['id', 'slug', 'status', 'plan', 'deleted_at'])
          .where('id', '=', tenantId)
          .executeTakeFirst();
        if (!tenant) throw new MosaicError('NotFound');
        const role = await roleOn(trx, actor, tenant.id);
        if (!role) throw new MosaicError('NotFound');
        // A deleted site is gone for its members until a platform admin restores it.
        if (tenant.deleted_at && role !== 'platform-admin') throw new MosaicError('NotFound');
        if (!can(role, action)) throw new MosaicError('Forbidden');
        if (op.mutates && role !== 'platform-admin' && (tenant.status === 'suspended' || tenant.status === 'cancelled')) {
          throw new MosaicError('TenantReadOnly');
        }
        // Every change to a site takes the site's row first, then whatever rows it writes: one
        // lock order for all writers, so two of them wait for each other instead of deadlocking
        // (a publish ends by bumping the site version on this row; plan checks count under it).
        if (op.mutates) await trx.selectFrom('tenants').select('id').where('id', '=', tenant.id).forNoKeyUpdate().execute();
        return body(trx, { id: tenant.id, slug: tenant.slug, status: tenant.status, plan: tenant.plan }, role);
      });
    }
  }
}

function scopeOf(op: OperationSpec<z.ZodType, unknown>, actor: Actor, tenantId: string | null) {
  return { tenantId, userId: actorUserId(actor), platform: op.scope === 'platform' };
}

function requiredAction(op: OperationSpec<z.ZodType, unknown>): Action {
  if (!op.action) throw new Error(`Operation ${op.name} (${op.scope} scope) names no permission.`);
  return op.action;
}

/** The actor's role on one tenant, read inside that tenant's context; null when they have none. */
async function roleOn(trx: Transaction<Database>, actor: Actor, tenantId: string): Promise<Role | null> {
  switch (actor.kind) {
    case 'system':
    case 'cli':
      return 'platform-admin';
    case 'api-key':
      if (actor.grant.scope === 'platform') return 'platform-admin';
      return actor.grant.tenantId === tenantId ? actor.grant.role : null;
    case 'user': {
      if (actor.platformAdmin) return 'platform-admin';
      const membership = await trx
        .selectFrom('memberships')
        .select('role')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', actor.userId)
        .executeTakeFirst();
      return membership?.role ?? null;
    }
  }
}

/** Slugs resolve through the routing function, the one door that works before a tenant is known. */
export async function tenantIdForSlug(db: Kysely<Database>, slug: string): Promise<string | null> {
  const { rows } = await sql<{ tenant_id: string }>`SELECT tenant_id FROM mosaic_resolve_host(NULL, ${slug})`.execute(db);
  return rows[0]?.tenant_id ?? null;
}

/** Every problem at once: text PostgreSQL cannot store anywhere in the input, then the schema's. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const unstorable = unstorableTextIssues(raw);
  const parsed = schema.safeParse(raw);
  if (parsed.success && unstorable.length === 0) return parsed.data;
  const details = [
    ...unstorable,
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path) || '(root)', message: issueMessage(issue) }))),
  ];
  throw new MosaicError('InvalidInput', undefined, details);
}
