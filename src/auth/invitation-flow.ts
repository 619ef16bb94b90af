import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MosaicError } from '../errors/catalog.ts';
import type { Actor } from '../operations/actor.ts';
import { execute, parseInput } from '../operations/execute.ts';
import { acceptInvitationOperation } from '../operations/invitations/accept-invitation.ts';
import { findAccount, findInvitation, type InvitationRow } from './account-lookups.ts';
import { personNameSchema, tokenSchema } from './account-schemas.ts';
import { operationContext, type AuthDeps, type ClientInfo } from './auth-deps.ts';
import { newPasswordSchema } from './password-policy.ts';
import { hashToken } from './tokens.ts';

/** The body of an acceptance: the link's token, and for a new address its password (and name). */
export const acceptInvitationInput = z.strictObject({
  token: tokenSchema,
  password: newPasswordSchema.optional(),
  name: personNameSchema.optional(),
});

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
  const invitation = await openInvitation(deps, parseInput(tokenSchema, token));
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
 * account cannot accept. A malformed body is `InvalidInput`; a well-formed token that names no open
 * invitation is `LinkInvalid`, `LinkUsed` or `LinkExpired`.
 */
export async function acceptInvitation(deps: AuthDeps, raw: unknown, client: ClientInfo) {
  const input = parseInput(acceptInvitationInput, raw);
  const invitation = await openInvitation(deps, input.token);
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
    input: { tenantId: invitation.tenant_id, ...input },
  });
}

/** The invitation a token names, if it can still be accepted; a clear error otherwise. */
async function openInvitation(deps: Pick<AuthDeps, 'db' | 'clock'>, token: string): Promise<InvitationRow> {
  const invitation = await findInvitation(deps.db, hashToken(token));
  if (!invitation || invitation.revoked_at) throw new MosaicError('LinkInvalid');
  if (invitation.accepted_at) throw new MosaicError('LinkUsed');
  if (new Date(invitation.expires_at) <= deps.clock()) throw new MosaicError('LinkExpired');
  return invitation;
}
