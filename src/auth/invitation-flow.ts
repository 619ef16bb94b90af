import { randomUUID } from 'node:crypto';
import { MosaicError } from '../errors/catalog.ts';
import type { Actor } from '../operations/actor.ts';
import { execute } from '../operations/execute.ts';
import { acceptInvitationOperation } from '../operations/invitations/accept-invitation.ts';
import { findAccount, findInvitation, type InvitationRow } from './account-lookups.ts';
import { operationContext, type AuthDeps, type ClientInfo } from './auth-deps.ts';
import { hashToken, TOKEN_PATTERN } from './tokens.ts';

export interface InvitationPreview {
  site: { slug: string; name: string };
  email: string;
  role: string;
  expiresAt: string;
  /** Whether the address has an account already (then no password is asked for). */
  accountExists: boolean;
}

/** What an acceptance screen shows before the invitee decides; the token is the credential. */
export async function previewInvitation(deps: Pick<AuthDeps, 'db' | 'clock'>, token: string): Promise<InvitationPreview> {
  const invitation = await openInvitation(deps, token);
  const account = await findAccount(deps.db, invitation.email);
  return {
    site: { slug: invitation.tenant_slug, name: invitation.tenant_name },
    email: invitation.email,
    role: invitation.role,
    expiresAt: new Date(invitation.expires_at).toISOString(),
    accountExists: account !== null,
  };
}

/**
 * Accepts an invitation with its token: an existing account gets the membership; a new address
 * gets an account with the chosen `password` (and `name`) too. Single use, expiring; a disabled
 * account cannot accept. Input: `{ token, password?, name? }`.
 */
export async function acceptInvitation(deps: AuthDeps, raw: { token?: unknown; password?: unknown; name?: unknown }, client: ClientInfo) {
  const token = typeof raw.token === 'string' ? raw.token : '';
  const invitation = await openInvitation(deps, token);
  const account = await findAccount(deps.db, invitation.email);
  if (account?.disabled_at) throw new MosaicError('Forbidden', 'The account for this address is disabled.');
  // A new address's account id is chosen now, so the operation runs as the person it creates.
  const actor: Actor = {
    kind: 'user',
    userId: account?.user_id ?? randomUUID(),
    email: invitation.email,
    platformAdmin: account?.platform_role === 'admin',
  };
  return execute(operationContext(deps, actor, client.address), acceptInvitationOperation, {
    input: { tenantId: invitation.tenant_id, token, password: raw.password, name: raw.name },
  });
}

/** The invitation a token names, if it can still be accepted; a clear error otherwise. */
async function openInvitation(deps: Pick<AuthDeps, 'db' | 'clock'>, token: string): Promise<InvitationRow> {
  if (!TOKEN_PATTERN.test(token)) throw new MosaicError('LinkInvalid');
  const invitation = await findInvitation(deps.db, hashToken(token));
  if (!invitation || invitation.revoked_at) throw new MosaicError('LinkInvalid');
  if (invitation.accepted_at) throw new MosaicError('LinkUsed');
  if (new Date(invitation.expires_at) <= deps.clock()) throw new MosaicError('LinkExpired');
  return invitation;
}
