import { z } from 'zod';
import type { TenantStatus } from '../../db/schema.ts';
import { setScope } from '../../db/scope.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { tenantSlugSchema as slugSchema } from '../../tenants/tenant-file.ts';
import { actorUserId } from '../actor.ts';
import { defineOperation, type OperationTx } from '../operation.ts';

/** How long a new trial lasts when nobody sets its end. */
export const DEFAULT_TRIAL_DAYS = 14;

/** Where a site is in its life: its status, or deleted (kept, restorable, until purged). */
export type TenantPhase = TenantStatus | 'deleted';

export interface TenantLifecycleView {
  slug: string;
  phase: TenantPhase;
  status: TenantStatus;
  trialEndsAt: string | null;
  deletedAt: string | null;
  /** False when the site was already where it was asked to go: nothing was written. */
  changed: boolean;
}

/**
 * The transitions, as data: which phases each one leaves from and what it writes. Visitors see
 * a suspended site as 503, a cancelled one as 410, a deleted one as 404; members see a suspended
 * or cancelled site read-only and a deleted one not at all.
 */
export const TRANSITIONS = {
  activate: { from: ['trial'], to: { status: 'active' } },
  suspend: { from: ['trial', 'active'], to: { status: 'suspended' } },
  resume: { from: ['suspended'], to: { status: 'active' } },
  cancel: { from: ['trial', 'active', 'suspended'], to: { status: 'cancelled' } },
  delete: { from: ['trial', 'active', 'suspended', 'cancelled'], to: { deleted: true } },
  restore: { from: ['deleted'], to: { deleted: false } },
} as const satisfies Record<string, { from: readonly TenantPhase[]; to: { status: TenantStatus } | { deleted: boolean } }>;

export type TransitionName = keyof typeof TRANSITIONS;
export const TRANSITION_NAMES = Object.keys(TRANSITIONS) as TransitionName[];

const byslug = z.strictObject({ slug: slugSchema });

interface LockedTenant {
  id: string;
  slug: string;
  status: TenantStatus;
  trial_ends_at: Date | null;
  deleted_at: Date | null;
}

const phaseOf = (row: Pick<LockedTenant, 'status' | 'deleted_at'>): TenantPhase => (row.deleted_at ? 'deleted' : row.status);

export function lifecycleView(row: LockedTenant, changed: boolean): TenantLifecycleView {
  return {
    slug: row.slug,
    phase: phaseOf(row),
    status: row.status,
    trialEndsAt: row.trial_ends_at?.toISOString() ?? null,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    changed,
  };
}

async function lockTenant(tx: OperationTx, where: { slug: string } | { id: string }): Promise<LockedTenant> {
  let query = tx.trx.selectFrom('tenants').select(['id', 'slug', 'status', 'trial_ends_at', 'deleted_at']).forUpdate();
  query = 'slug' in where ? query.where('slug', '=', where.slug) : query.where('id', '=', where.id);
  const row = await query.executeTakeFirst();
  if (!row) throw new MosaicError('NotFound', 'No site has that slug.');
  return row;
}

/**
 * Writes one transition on a locked tenant row: audited in the site's own trail, announced to
 * every instance with each of its hostnames (host lookups are cached).
 */
async function applyTransition(tx: OperationTx, name: TransitionName, row: LockedTenant): Promise<TenantLifecycleView> {
  const transition = TRANSITIONS[name];
  const to = transition.to;
  const target = 'status' in to ? to.status : to.deleted ? 'deleted' : row.status;
  const phase = phaseOf(row);
  if (phase === target) {
    tx.noChange();
    return lifecycleView(row, false);
  }
  if (!(transition.from as readonly TenantPhase[]).includes(phase)) {
    throw new MosaicError('Conflict', `A ${phase} site cannot be ${PAST[name]}.`, [{ path: 'slug', message: `is ${phase}` }], { phase });
  }
  await setScope(tx.trx, { tenantId: row.id, userId: actorUserId(tx.actor), platform: true });
  const changes = 'status' in to ? { status: to.status } : { deleted_at: to.deleted ? tx.now : null };
  const after = await tx.trx
    .updateTable('tenants')
    .set(changes)
    .where('id', '=', row.id)
    .returning(['id', 'slug', 'status', 'trial_ends_at', 'deleted_at'])
    .executeTakeFirstOrThrow();
  const hostnames = (await tx.trx.selectFrom('domains').select('hostname').where('tenant_id', '=', row.id).execute()).map((d) => d.hostname);
  await tx.siteChanged(`lifecycle ${name}`, { tenantId: row.id, hostnames });
  await tx.audit({ tenantId: row.id, subject: row.slug, before: { phase }, after: { phase: phaseOf(after) } });
  return lifecycleView(after, true);
}

const PAST: Record<TransitionName, string> = {
  activate: 'activated',
  suspend: 'suspended',
  resume: 'resumed',
  cancel: 'cancelled',
  delete: 'deleted',
  restore: 'restored',
};

function transitionOperation(name: TransitionName) {
  return defineOperation({
    name: `platform.tenant.${name}`,
    scope: 'platform',
    action: 'platform.tenant.lifecycle',
    mutates: true,
    input: byslug,
    run: async (tx, input) => applyTransition(tx, name, await lockTenant(tx, input)),
  });
}

export const activateTenant = transitionOperation('activate');
export const suspendTenant = transitionOperation('suspend');
export const resumeTenant = transitionOperation('resume');
export const cancelTenant = transitionOperation('cancel');
export const deleteTenant = transitionOperation('delete');
export const restoreTenant = transitionOperation('restore');

export const LIFECYCLE_OPERATIONS = {
  activate: activateTenant,
  suspend: suspendTenant,
  resume: resumeTenant,
  cancel: cancelTenant,
  delete: deleteTenant,
  restore: restoreTenant,
} as const satisfies Record<TransitionName, unknown>;

/** Puts a site on trial until `endsAt` (a new trial, or a longer one); a deleted site is refused. */
export const setTrial = defineOperation({
  name: 'platform.tenant.trial',
  scope: 'platform',
  action: 'platform.tenant.lifecycle',
  mutates: true,
  input: z.strictObject({ slug: slugSchema, endsAt: z.iso.datetime({ offset: true }) }),
  async run(tx, input): Promise<TenantLifecycleView> {
    const row = await lockTenant(tx, input);
    if (row.deleted_at) throw new MosaicError('Conflict', 'A deleted site cannot start a trial; restore it first.', [{ path: 'slug', message: 'is deleted' }]);
    const endsAt = new Date(input.endsAt);
    if (endsAt <= tx.now) throw new MosaicError('InvalidInput', undefined, [{ path: 'endsAt', message: 'must be in the future' }]);
    await setScope(tx.trx, { tenantId: row.id, userId: actorUserId(tx.actor), platform: true });
    const after = await tx.trx
      .updateTable('tenants')
      .set({ status: 'trial', trial_ends_at: endsAt })
      .where('id', '=', row.id)
      .returning(['id', 'slug', 'status', 'trial_ends_at', 'deleted_at'])
      .executeTakeFirstOrThrow();
    await tx.siteChanged('lifecycle trial', { tenantId: row.id });
    await tx.audit({ tenantId: row.id, subject: row.slug, before: { phase: phaseOf(row), trialEndsAt: row.trial_ends_at }, after: { phase: 'trial', trialEndsAt: endsAt } });
    return lifecycleView(after, true);
  },
});

/** Reads where a site is in its life, deleted ones included (for platform staff). */
export const readTenantLifecycle = defineOperation({
  name: 'platform.tenant.lifecycle.read',
  scope: 'platform',
  action: 'platform.tenant.list',
  mutates: false,
  input: byslug,
  async run(tx, input): Promise<TenantLifecycleView> {
    const row = await tx.trx.selectFrom('tenants').select(['id', 'slug', 'status', 'trial_ends_at', 'deleted_at']).where('slug', '=', input.slug).executeTakeFirst();
    if (!row) throw new MosaicError('NotFound', 'No site has that slug.');
    return lifecycleView(row, false);
  },
});

/** The job runner's sweep: every trial whose end has passed is suspended, each audited and announced. */
export const expireTrials = defineOperation({
  name: 'platform.tenant.expire-trials',
  scope: 'platform',
  action: 'platform.tenant.lifecycle',
  mutates: true,
  input: z.strictObject({}),
  async run(tx): Promise<string[]> {
    const due = await tx.trx
      .selectFrom('tenants')
      .select('id')
      .where('status', '=', 'trial')
      .where('deleted_at', 'is', null)
      .where('trial_ends_at', '<=', tx.now)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) tx.noChange();
    const suspended: string[] = [];
    for (const { id } of due) suspended.push((await applyTransition(tx, 'suspend', await lockTenant(tx, { id }))).slug);
    return suspended;
  },
});

/**
 * The job runner's purge: every site deleted more than `retentionDays` ago is removed with every
 * row it owns (the foreign keys cascade). The record of it stays in the platform's trail, since
 * the site's own trail goes with it.
 */
export const purgeDeletedTenants = defineOperation({
  name: 'platform.tenant.purge',
  scope: 'platform',
  action: 'platform.tenant.lifecycle',
  mutates: true,
  input: z.strictObject({ retentionDays: z.number().int().min(0) }),
  async run(tx, input): Promise<string[]> {
    const cutoff = new Date(tx.now.getTime() - input.retentionDays * 86_400_000);
    const due = await tx.trx
      .selectFrom('tenants')
      .select(['id', 'slug', 'deleted_at', 'plan'])
      .where('deleted_at', '<=', cutoff)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) tx.noChange();
    for (const row of due) {
      await tx.trx.deleteFrom('tenants').where('id', '=', row.id).execute();
      await tx.audit({ subject: row.slug, before: { phase: 'deleted', deletedAt: row.deleted_at, plan: row.plan }, detail: { tenantId: row.id, retentionDays: input.retentionDays } });
    }
    return due.map((row) => row.slug);
  },
});
