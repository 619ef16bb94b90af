import { z } from 'zod';
import { personNameSchema, tokenSchema } from '../../auth/account-schemas.ts';
import { hashPassword } from '../../auth/password-hash.ts';
import { newPasswordSchema, passwordIssues } from '../../auth/password-policy.ts';
import { hashToken } from '../../auth/tokens.ts';
import { isUniqueViolation } from '../../db/database-errors.ts';
import { setScope } from '../../db/scope.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';

/**
 * Accepts an invitation. The actor is the invited address's account, built by
 * `acceptInvitation` (src/auth/invitation-flow.ts) from the invitation token, which is the
 * credential here; for a new address the account is created with the chosen password (its id
 * chosen in advance, so row-level security lets it insert itself). Single use: the invitation row
 * is locked and checked again inside the transaction.
 */
export const acceptInvitationOperation = defineOperation({
  name: 'invitation.accept',
  scope: 'self',
  action: null,
  mutates: true,
  input: z.strictObject({
    tenantId: z.uuid(),
    token: tokenSchema,
    name: personNameSchema.optional(),
    password: newPasswordSchema.optional(),
  }),
  async run(tx, input) {
    const { trx, actor, now } = tx;
    if (actor.kind !== 'user') throw new MosaicError('Forbidden', 'Only a person can accept an invitation.');
    // The invitation names its site; the token proves the invitee may join it.
    await setScope(trx, { tenantId: input.tenantId, userId: actor.userId });
    const invitation = await trx
      .selectFrom('invitations')
      .select(['id', 'email', 'role', 'expires_at', 'accepted_at', 'revoked_at'])
      .where('tenant_id', '=', input.tenantId)
      .where('token_hash', '=', hashToken(input.token))
      .forUpdate()
      .executeTakeFirst();
    if (!invitation || invitation.revoked_at || invitation.email !== actor.email) throw new MosaicError('LinkInvalid');
    if (invitation.accepted_at) throw new MosaicError('LinkUsed');
    if (new Date(invitation.expires_at) <= now) throw new MosaicError('LinkExpired');
    const site = await trx.selectFrom('tenants').select(['id', 'slug', 'name', 'status']).where('id', '=', input.tenantId).executeTakeFirstOrThrow();
    if (site.status === 'suspended' || site.status === 'cancelled') throw new MosaicError('TenantReadOnly');

    const account = await trx.selectFrom('users').select('id').where('id', '=', actor.userId).executeTakeFirst();
    const createdAccount = !account;
    if (createdAccount) {
      if (input.password === undefined)
        throw new MosaicError('InvalidInput', undefined, [{ path: 'password', message: 'required to create your account' }]);
      const issues = passwordIssues(input.password, actor.email);
      if (issues.length) throw new MosaicError('InvalidInput', undefined, issues);
      await trx
        .insertInto('users')
        .values({ id: actor.userId, email: actor.email, name: input.name ?? '', password_hash: await hashPassword(input.password) })
        .execute()
        .catch((error: unknown) => {
          // The address got an account since the link was opened: opening it again adds the membership to that account.
          if (isUniqueViolation(error))
            throw new MosaicError('EmailTaken', 'An account with this email was just created. Open the link again to accept.');
          throw error;
        });
    }
    const inserted = await trx
      .insertInto('memberships')
      .values({ tenant_id: site.id, user_id: actor.userId, role: invitation.role })
      .onConflict((conflict) => conflict.columns(['tenant_id', 'user_id']).doNothing())
      .returning('role')
      .executeTakeFirst();
    // Someone already a member keeps the role they have.
    const role =
      inserted?.role ??
      (
        await trx
          .selectFrom('memberships')
          .select('role')
          .where('tenant_id', '=', site.id)
          .where('user_id', '=', actor.userId)
          .executeTakeFirstOrThrow()
      ).role;
    await trx
      .updateTable('invitations')
      .set({ accepted_at: now, accepted_by: actor.userId })
      .where('tenant_id', '=', site.id)
      .where('id', '=', invitation.id)
      .execute();
    await tx.audit({
      tenantId: site.id,
      subject: actor.email,
      after: { role },
      detail: { invitation: invitation.id, invitedRole: invitation.role, createdAccount },
    });
    return { userId: actor.userId, email: actor.email, tenant: { id: site.id, slug: site.slug, name: site.name }, role, createdAccount };
  },
});
