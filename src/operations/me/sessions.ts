import { z } from 'zod';
import { isPasswordHash } from '../../auth/password-hash.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import { MosaicError } from '../../errors/catalog.ts';
import type { Actor } from '../actor.ts';
import { defineOperation } from '../operation.ts';
import { revokeAllSessions } from '../users/manage-user.ts';

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

const signedInUser = (actor: Actor): Extract<Actor, { kind: 'user' }> => {
  if (actor.kind !== 'user') throw new MosaicError('Forbidden', 'Only a signed-in person has sessions.');
  return actor;
};

/**
 * Opens a session for a user whose password `signIn` (src/auth/sign-in.ts) has just verified; the
 * HTTP API exposes sign-in, never this. Returns the token for the cookie, once: only its hash is
 * stored. `upgradeHash` replaces a password hash made with weaker parameters than today's.
 */
export const createSession = defineOperation({
  name: 'session.create',
  scope: 'self',
  action: null,
  mutates: true,
  input: z.strictObject({
    expiresAt: z.date(),
    ip: z.string().max(100).nullable(),
    userAgent: z.string().nullable(),
    upgradeHash: z.string().refine(isPasswordHash, 'is not a password hash').optional(),
  }),
  async run(tx, input): Promise<{ token: string; sessionId: string; expiresAt: string }> {
    const user = signedInUser(tx.actor);
    const token = newToken();
    const sessionId = hashToken(token);
    await tx.trx
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: user.userId,
        created_at: tx.now,
        expires_at: input.expiresAt,
        last_seen_at: tx.now,
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 512) ?? null,
      })
      .execute();
    if (input.upgradeHash) await tx.trx.updateTable('users').set({ password_hash: input.upgradeHash }).where('id', '=', user.userId).execute();
    await tx.audit({ subject: user.email, detail: { session: sessionId.slice(0, 12), ip: input.ip, rehashed: Boolean(input.upgradeHash) } });
    return { token, sessionId, expiresAt: input.expiresAt.toISOString() };
  },
});

/** The caller's open sessions (browsers signed in), most recently used first. */
export const listMySessions = defineOperation({
  name: 'session.list',
  scope: 'self',
  action: null,
  mutates: false,
  input: z.strictObject({}),
  async run({ trx, actor, now }): Promise<SessionView[]> {
    const user = signedInUser(actor);
    const rows = await trx
      .selectFrom('sessions')
      .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
      .where('user_id', '=', user.userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('last_seen_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      createdAt: new Date(r.created_at).toISOString(),
      lastSeenAt: new Date(r.last_seen_at).toISOString(),
      expiresAt: new Date(r.expires_at).toISOString(),
      ip: r.ip,
      userAgent: r.user_agent,
    }));
  },
});

/** Ends one of the caller's own sessions (signing out, or closing another browser). */
export const signOut = defineOperation({
  name: 'session.revoke',
  scope: 'self',
  action: null,
  mutates: true,
  input: z.strictObject({ sessionId: z.string().regex(/^[0-9a-f]{64}$/, 'is not a session id') }),
  async run(tx, input) {
    const user = signedInUser(tx.actor);
    const revoked = await tx.trx
      .updateTable('sessions')
      .set({ revoked_at: tx.now })
      .where('id', '=', input.sessionId)
      .where('user_id', '=', user.userId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    if (revoked.length === 0) {
      tx.noChange();
      return { revoked: 0 };
    }
    await tx.audit({ subject: user.email, detail: { session: input.sessionId.slice(0, 12) } });
    return { revoked: revoked.length };
  },
});

/** Ends every session of the caller, this one included. */
export const signOutEverywhere = defineOperation({
  name: 'session.revoke-all',
  scope: 'self',
  action: null,
  mutates: true,
  input: z.strictObject({}),
  async run(tx) {
    const user = signedInUser(tx.actor);
    const revoked = await revokeAllSessions(tx, user.userId);
    await tx.audit({ subject: user.email, detail: { sessionsRevoked: revoked } });
    return { revoked };
  },
});
