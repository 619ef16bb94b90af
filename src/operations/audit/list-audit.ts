import { sql } from 'kysely';
import { z } from 'zod';
import type { ActorKind } from '../../db/schema.ts';
import { defineOperation } from '../operation.ts';
import { cursorId, cursorTime, decodeCursor, exactTime, pageRequestShape, toPage, type Page } from '../pagination.ts';

export interface AuditRecord {
  id: string;
  action: string;
  subject: string;
  actor: { label: string; kind: ActorKind; id: string | null };
  /** Only what changed, keyed by JSON pointer (`/sections/2/props/title`). */
  before: unknown;
  after: unknown;
  detail: Record<string, unknown>;
  clientAddress: string | null;
  createdAt: string;
}

/**
 * The site's audit trail, newest first, filtered by actor (id and kind), action (exact, or every
 * action of a domain with `page.*`), subject and time range.
 */
export const listAudit = defineOperation({
  name: 'audit.list',
  scope: 'tenant',
  action: 'audit.read',
  mutates: false,
  input: z.strictObject({
    ...pageRequestShape,
    actorId: z.string().min(1).max(200).optional(),
    actorKind: z.enum(['user', 'api-key', 'system', 'cli']).optional(),
    action: z
      .string()
      .regex(/^[a-z][a-z0-9.-]*(\.\*)?$/, 'must be an action like page.publish, or page.* for all of a kind')
      .max(100)
      .optional(),
    subject: z.string().min(1).max(600).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  }),
  async run(tx, input): Promise<Page<AuditRecord>> {
    let query = tx.trx
      .selectFrom('audit_log')
      .select(['id', 'action', 'subject', 'actor', 'actor_kind', 'actor_id', 'before', 'after', 'detail', 'client_address', 'created_at'])
      .select(exactTime('created_at').as('cursor_at'))
      .where('tenant_id', '=', tx.tenant!.id);
    if (input.actorId) query = query.where('actor_id', '=', input.actorId);
    if (input.actorKind) query = query.where('actor_kind', '=', input.actorKind);
    if (input.action?.endsWith('.*')) query = query.where('action', 'like', `${input.action.slice(0, -1)}%`);
    else if (input.action) query = query.where('action', '=', input.action);
    if (input.subject) query = query.where('subject', '=', input.subject);
    if (input.from) query = query.where('created_at', '>=', new Date(input.from));
    if (input.to) query = query.where('created_at', '<', new Date(input.to));
    if (input.cursor) {
      const [at = '', id = ''] = decodeCursor(input.cursor, 2);
      query = query.where(sql<boolean>`(created_at, id) < (${cursorTime(at)}::timestamptz, ${cursorId(id)}::uuid)`);
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute();
    return toPage(
      rows,
      input.limit,
      (row) => [row.cursor_at, row.id],
      (row) => ({
        id: row.id,
        action: row.action,
        subject: row.subject,
        actor: { label: row.actor, kind: row.actor_kind, id: row.actor_id },
        before: row.before,
        after: row.after,
        detail: row.detail,
        clientAddress: row.client_address,
        createdAt: new Date(row.created_at).toISOString(),
      }),
    );
  },
});
