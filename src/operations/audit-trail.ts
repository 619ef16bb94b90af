import type { Transaction } from 'kysely';
import diff from 'microdiff';
import type { Database } from '../db/schema.ts';
import { describeActor, type Actor } from './actor.ts';

export interface AuditEntry {
  /** What was acted on, e.g. a page path, an email, a tenant slug. */
  subject: string;
  /** The state before and after; only what changed is stored. */
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown>;
}

export interface AuditWrite extends AuditEntry {
  action: string;
  actor: Actor;
  clientAddress: string | null;
  /** The tenant's trail, or the platform's when null. */
  tenantId: string | null;
}

/** Appends one record; the app role may only insert into either trail. */
export async function appendAudit(trx: Transaction<Database>, entry: AuditWrite): Promise<void> {
  const actor = describeActor(entry.actor);
  const { before, after } = changedOnly(entry.before, entry.after);
  const row = {
    action: entry.action,
    subject: entry.subject,
    actor: actor.label,
    actor_kind: actor.kind,
    actor_id: actor.id,
    before: before === undefined ? null : JSON.stringify(before),
    after: after === undefined ? null : JSON.stringify(after),
    detail: JSON.stringify(entry.detail ?? {}),
    client_address: entry.clientAddress,
  };
  if (entry.tenantId) await trx.insertInto('audit_log').values({ ...row, tenant_id: entry.tenantId }).execute();
  else await trx.insertInto('platform_audit_log').values(row).execute();
}

/**
 * Keeps what differs between two states, keyed by JSON pointer (`/sections/2/props/title`), so a
 * one-word edit of a long page stores one word twice, not the page twice.
 */
export function changedOnly(before: unknown, after: unknown): { before: unknown; after: unknown } {
  if (!isObject(before) || !isObject(after)) return { before, after };
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const change of diff(before, after)) {
    const pointer = `/${change.path.map((part) => String(part).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
    if (change.type !== 'CREATE') was[pointer] = change.oldValue;
    if (change.type !== 'REMOVE') now[pointer] = change.value;
  }
  return { before: was, after: now };
}

const isObject = (value: unknown): value is Record<string, unknown> | unknown[] => typeof value === 'object' && value !== null;
