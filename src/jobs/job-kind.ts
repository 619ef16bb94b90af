import type { z } from 'zod';
import type { ActorKind } from '../db/schema.ts';
import type { OperationTx } from '../operations/operation.ts';
import type { Action } from '../operations/permissions.ts';

/** The job as its handler sees it. */
export interface JobInfo {
  id: string;
  kind: string;
  subject: string;
  /** This run included. */
  attempts: number;
  runAt: string;
  /** Who asked for it; the audit record of its effect names them in its detail. */
  createdBy: { label: string; kind: ActorKind; id: string | null };
}

/**
 * One kind of scheduled work: a payload schema and a handler. The handler runs as an operation
 * in the job's tenant, as the system actor `scheduler`, in the same transaction that marks the job
 * done, so its effect commits exactly once. It must write an audit record, like any change.
 * Throwing retries it later with a backoff, unless the error is the caller's (a 4xx from the
 * catalog, a payload that no longer parses): then it fails at once.
 */
export interface JobKind<S extends z.ZodType = z.ZodType> {
  /** Stable name stored with each job, and the audit action of its effect, e.g. `page.publish`. */
  kind: string;
  /** The permission its effect needs, declared like any operation's. */
  action: Action;
  payload: S;
  /** How many runs before it is marked failed. */
  maxAttempts: number;
  run(tx: OperationTx, payload: z.output<S>, job: JobInfo): Promise<unknown>;
}

export function defineJobKind<S extends z.ZodType>(kind: JobKind<S>): JobKind<S> {
  return kind;
}
