import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, JobStatus } from '../db/schema.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { describeActor, type Actor } from '../operations/actor.ts';
import type { ActorKind } from '../db/schema.ts';
import { appendAudit } from '../operations/audit-trail.ts';

/** The actor every job runs as. */
export const SCHEDULER: Actor = { kind: 'system', name: 'scheduler' };

// The jobs table: written in a tenant's context by operations (enqueue, cancel) and by the runner
// (done, failed); claimed across tenants only through mosaic_claim_jobs.

export interface JobView {
  id: string;
  kind: string;
  subject: string;
  runAt: string;
  status: JobStatus;
  attempts: number;
  lastError: string | null;
  createdBy: { label: string; kind: ActorKind; id: string | null };
  createdAt: string;
  finishedAt: string | null;
  payload: Record<string, unknown>;
}

export interface NewJob {
  kind: string;
  subject: string;
  payload: Record<string, unknown>;
  runAt: Date;
  createdBy: Actor;
  maxAttempts: number;
}

const columns = [
  'id',
  'kind',
  'subject',
  'payload',
  'run_at',
  'status',
  'attempts',
  'last_error',
  'created_by',
  'created_by_kind',
  'created_by_id',
  'created_at',
  'finished_at',
] as const;

type JobRow = {
  id: string;
  kind: string;
  subject: string;
  payload: Record<string, unknown>;
  run_at: Date;
  status: JobStatus;
  attempts: number;
  last_error: string | null;
  created_by: string;
  created_by_kind: ActorKind;
  created_by_id: string | null;
  created_at: Date;
  finished_at: Date | null;
};

export function toJobView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    runAt: new Date(row.run_at).toISOString(),
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdBy: { label: row.created_by, kind: row.created_by_kind, id: row.created_by_id },
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    payload: row.payload,
  };
}

/** Adds a job in the caller's transaction: it exists once that commits. */
export async function enqueueJob(trx: Transaction<Database>, tenantId: string, job: NewJob): Promise<JobView> {
  const actor = describeActor(job.createdBy);
  const row = await trx
    .insertInto('jobs')
    .values({
      tenant_id: tenantId,
      kind: job.kind,
      subject: job.subject,
      payload: JSON.stringify(job.payload),
      run_at: job.runAt,
      max_attempts: job.maxAttempts,
      created_by: actor.label,
      created_by_kind: actor.kind,
      created_by_id: actor.id,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toJobView(row);
}

/** The jobs about one subject, soonest first; finished ones too when asked. */
export async function jobsFor(trx: Transaction<Database>, tenantId: string, subject: string, options: { finished?: boolean } = {}): Promise<JobView[]> {
  let query = trx.selectFrom('jobs').select(columns).where('tenant_id', '=', tenantId).where('subject', '=', subject);
  if (!options.finished) query = query.where('status', 'in', ['pending', 'running', 'failed']);
  const rows = await query.orderBy('run_at').orderBy('id').limit(200).execute();
  return rows.map(toJobView);
}

/** One job, locked until the caller's transaction ends (so a runner skips it meanwhile). */
export async function lockJob(trx: Transaction<Database>, tenantId: string, jobId: string): Promise<(JobView & { lockedBy: string | null }) | null> {
  const row = await trx
    .selectFrom('jobs')
    .select([...columns, 'locked_by'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', jobId)
    .forUpdate()
    .executeTakeFirst();
  return row ? { ...toJobView(row), lockedBy: row.locked_by } : null;
}

/** Marks a job done, in the transaction of its effect. */
export async function finishJob(trx: Transaction<Database>, tenantId: string, jobId: string): Promise<void> {
  await trx
    .updateTable('jobs')
    .set({ status: 'done', locked_by: null, locked_until: null, last_error: null, finished_at: sql`now()`, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', jobId)
    .execute();
}

/** Cancels a job that has not run: true unless it already ran, failed or was cancelled. */
export async function cancelJob(trx: Transaction<Database>, tenantId: string, jobId: string): Promise<boolean> {
  const row = await trx
    .updateTable('jobs')
    .set({ status: 'cancelled', locked_by: null, locked_until: null, finished_at: sql`now()`, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', jobId)
    .where('status', 'in', ['pending', 'running'])
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Cancels every job about a subject that has not run (a deleted page's schedules); returns how many. */
export async function cancelJobsFor(trx: Transaction<Database>, tenantId: string, subject: string): Promise<number> {
  const rows = await trx
    .updateTable('jobs')
    .set({ status: 'cancelled', locked_by: null, locked_until: null, finished_at: sql`now()`, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('subject', '=', subject)
    .where('status', 'in', ['pending', 'running'])
    .returning('id')
    .execute();
  return rows.length;
}

export interface ClaimedJob {
  id: string;
  tenantId: string;
  kind: string;
  attempts: number;
}

/**
 * Leases up to `limit` due jobs of any tenant, of the given kinds only, to `worker` for `leaseMs`:
 * a process never claims a kind it cannot run (a newer process's, during a rolling deploy).
 */
export async function claimJobs(db: Kysely<Database>, worker: string, limit: number, leaseMs: number, kinds: readonly string[]): Promise<ClaimedJob[]> {
  const { rows } = await sql<{ id: string; tenant_id: string; kind: string; attempts: number }>`
    SELECT * FROM mosaic_claim_jobs(${worker}, ${limit}::integer, ${Math.round(leaseMs)}::integer, ${[...kinds]}::text[])
  `.execute(db);
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, kind: r.kind, attempts: r.attempts }));
}

/**
 * Records a failed run, if `worker` still holds the job: it waits until `retryAt`, or is marked
 * failed for good (`retryAt` null, or out of attempts) — which the tenant's audit trail records,
 * as `job.failed` by the scheduler. Returns the job's new status, or null when another runner
 * holds it now.
 */
export async function recordJobFailure(
  db: Kysely<Database>,
  failure: { tenantId: string; jobId: string; worker: string; error: string; retryAt: Date | null },
): Promise<{ status: JobStatus; subject: string; attempts: number } | null> {
  return withTenant(db, failure.tenantId, async (trx) => {
    const giveUp = failure.retryAt === null;
    const row = await trx
      .updateTable('jobs')
      .set({
        status: sql<JobStatus>`CASE WHEN ${giveUp} OR attempts >= max_attempts THEN 'failed' ELSE 'pending' END`,
        run_at: sql<Date>`CASE WHEN ${giveUp} OR attempts >= max_attempts THEN run_at ELSE ${failure.retryAt ?? new Date()}::timestamptz END`,
        finished_at: sql<Date | null>`CASE WHEN ${giveUp} OR attempts >= max_attempts THEN now() ELSE NULL END`,
        last_error: failure.error.slice(0, 2000),
        locked_by: null,
        locked_until: null,
        updated_at: sql`now()`,
      })
      .where('tenant_id', '=', failure.tenantId)
      .where('id', '=', failure.jobId)
      .where('status', '=', 'running')
      .where('locked_by', '=', failure.worker)
      .returning(['status', 'subject', 'attempts', 'kind'])
      .executeTakeFirst();
    if (row?.status === 'failed') {
      await appendAudit(trx, {
        action: 'job.failed',
        subject: row.subject,
        actor: SCHEDULER,
        clientAddress: null,
        tenantId: failure.tenantId,
        detail: { job: { id: failure.jobId, kind: row.kind }, attempts: row.attempts, error: failure.error.slice(0, 500) },
      });
    }
    return row ? { status: row.status, subject: row.subject, attempts: row.attempts } : null;
  });
}
