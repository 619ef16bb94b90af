import { assertFeature, assertWithinLimit, resolvePlan, type ResolvedPlan } from '../plans/resolve-plan.ts';
import type { PlanFeature, PlanLimit } from '../plans/plan-schema.ts';
import type { OperationTx } from './operation.ts';

/**
 * The plan of the tenant in context, overrides applied. The tenant row is locked for the rest of
 * the transaction, so two writers racing for the last free slot take turns: the second one counts
 * the first one's row and is refused. (A tenant-scoped change holds that lock already, from
 * `execute`; a platform operation writing into a site takes it here.)
 */
export async function lockedTenantPlan(tx: OperationTx): Promise<ResolvedPlan> {
  const row = await tx.trx
    .selectFrom('tenants')
    .select(['plan', 'plan_overrides'])
    .where('id', '=', tx.tenant!.id)
    .forNoKeyUpdate()
    .executeTakeFirstOrThrow();
  return resolvePlan(row.plan, row.plan_overrides);
}

/**
 * Refuses (`PlanLimitReached`) when the tenant already holds `held` of `limit` and wants one
 * more; refuses (`PlanFeatureMissing`) first when the plan lacks the feature the thing needs.
 */
export async function requireRoomFor(
  tx: OperationTx,
  limit: PlanLimit,
  held: () => Promise<number>,
  feature?: PlanFeature,
): Promise<void> {
  const plan = await lockedTenantPlan(tx);
  if (feature) assertFeature(plan, feature);
  if (plan.limits[limit] === null) return;
  assertWithinLimit(plan, limit, (await held()) + 1);
}

/** Live pages of the tenant in context (deleted ones do not count). */
export async function livePageCount(tx: OperationTx): Promise<number> {
  const row = await tx.trx
    .selectFrom('pages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tx.tenant!.id)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Members of the tenant in context, plus open invitations to other addresses than `except`. */
export async function memberSeatCount(tx: OperationTx, except?: string): Promise<number> {
  const tenantId = tx.tenant!.id;
  const members = await tx.trx.selectFrom('memberships').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
  let open = tx.trx
    .selectFrom('invitations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', tx.now);
  if (except) open = open.where('email', '!=', except);
  return Number(members.n) + Number((await open.executeTakeFirstOrThrow()).n);
}
