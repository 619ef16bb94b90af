import { z } from 'zod';
import { emailSchema, tenantRoleSchema } from '../../auth/account-schemas.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { describeActor } from '../actor.ts';
import { requireRoleWithinReach } from '../members/member-rules.ts';
import { defineOperation } from '../operation.ts';
import { memberSeatCount, requireRoomFor } from '../plan-limits.ts';
import { INVITATION_COLUMNS, INVITATION_TTL_MS, invitationView, type InvitationView } from './invitation-view.ts';

/**
 * Invites someone by email to one role on the site: never above the inviter's own role, owner
 * only by owners. A new invitation for the same address replaces the open one. The link is
 * mailed (with SMTP) or returned as `link` (without) — only to the inviter, only then. If the mail
 * cannot be sent, nothing is kept.
 */
export const inviteMember = defineOperation({
  name: 'invitation.create',
  scope: 'tenant',
  action: 'member.invite',
  mutates: true,
  input: z.strictObject({ email: emailSchema, role: tenantRoleSchema }),
  async run(tx, input): Promise<{ invitation: InvitationView; link: string | null }> {
    const mail = tx.context.mail;
    if (!mail) throw new Error('invitation.create needs context.mail');
    const { trx, now } = tx;
    const tenantId = tx.tenant!.id;
    requireRoleWithinReach(tx, input.role);
    const member = await trx
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select('m.role')
      .where('m.tenant_id', '=', tenantId)
      .where('u.email', '=', input.email)
      .executeTakeFirst();
    if (member) throw new MosaicError('AlreadyMember', `${input.email} is already a member of this site (${member.role}).`);
    // An open invitation holds a seat; a new one for the same address replaces it.
    await requireRoomFor(tx, 'members', () => memberSeatCount(tx, input.email));

    const replaced = await trx
      .updateTable('invitations')
      .set({ revoked_at: now })
      .where('tenant_id', '=', tenantId)
      .where('email', '=', input.email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    const token = newToken();
    const inviter = describeActor(tx.actor);
    const row = await trx
      .insertInto('invitations')
      .values({
        tenant_id: tenantId,
        email: input.email,
        role: input.role,
        token_hash: hashToken(token),
        invited_by: inviter.label,
        invited_by_id: inviter.id,
        created_at: now,
        expires_at: new Date(now.getTime() + INVITATION_TTL_MS),
      })
      .returning(INVITATION_COLUMNS)
      .executeTakeFirstOrThrow();
    const invitation = invitationView(row, now);
    await tx.audit({
      subject: input.email,
      after: { role: input.role, expiresAt: invitation.expiresAt },
      detail: { invitation: row.id, replaced: replaced.map((r) => r.id) },
    });

    const site = await trx.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const { link } = await mail.sendLink({
      to: input.email,
      subject: `You are invited to ${site.name}`,
      body: `${inviter.label} invited you to work on ${site.name} as ${input.role}.\n\nAccept the invitation: {link}\n\nThe link works once and expires on ${invitation.expiresAt}.`,
      path: '/accept-invitation',
      token,
    });
    return { invitation, link };
  },
});
