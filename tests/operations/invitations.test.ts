import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSmtpMailer } from '../../src/mail/mailer.ts';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import type { Actor } from '../../src/operations/actor.ts';
import { execute } from '../../src/operations/execute.ts';
import { inviteMember } from '../../src/operations/invitations/invite-member.ts';
import { listInvitations } from '../../src/operations/invitations/list-invitations.ts';
import { revokeInvitation } from '../../src/operations/invitations/revoke-invitation.ts';
import { listMembers } from '../../src/operations/members/list-members.ts';
import { addMembership, createTestUser, uniqueEmail } from '../support/accounts.ts';
import { createTestAuth, DAY, testClock } from '../support/auth.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';
import { linkIn, startSmtpCatcher } from '../support/smtp-catcher.ts';

const client = { address: '203.0.113.50', userAgent: null };
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (isMosaicError(error) ? error.code : String(error)),
  );
const tokenOf = (link: string | null) => new URL(link ?? 'http://x/').searchParams.get('token') ?? '';

describe('invitations', () => {
  const dbs = openTestDatabases(4);
  const clock = testClock();
  const { auth, logs } = createTestAuth(dbs, { clock: clock.now });
  let site: { id: string; slug: string };
  const people: Record<string, Extract<Actor, { kind: 'user' }>> = {};

  beforeAll(async () => {
    site = await createTestTenant(dbs.admin, { plan: 'enterprise' });
    for (const role of ['owner', 'admin', 'editor', 'viewer'] as const) {
      people[role] = await createTestUser(dbs.admin);
      await addMembership(dbs.admin, site.id, people[role].userId, role);
    }
  });
  afterAll(() => dbs.close());

  const invite = (as: Actor, email: string, role: 'owner' | 'admin' | 'editor' | 'viewer') =>
    execute(auth.context(as, client.address), inviteMember, { tenant: { slug: site.slug }, input: { email, role } });
  const members = () => execute(auth.context(people.owner!, null), listMembers, { tenant: { id: site.id } });

  test('without SMTP the link is returned to the inviter and logged once; a new address accepts with a password', async () => {
    const email = uniqueEmail('newcomer');
    const result = await invite(people.admin!, email.toUpperCase(), 'editor');
    expect(result.invitation).toMatchObject({ email, role: 'editor', invitedBy: people.admin!.email, expired: false });
    expect(result.link).toMatch(/^https:\/\/admin\.example\.test\/accept-invitation\?token=[A-Za-z0-9_-]{43}$/);
    expect(logs.filter((l) => l.link === result.link)).toHaveLength(1);

    const token = tokenOf(result.link);
    expect(await auth.previewInvitation(token)).toMatchObject({ site: { slug: site.slug }, email, role: 'editor', accountExists: false });
    const missing = await auth.acceptInvitation({ token }, client).catch((e: unknown) => e);
    expect(isMosaicError(missing) && missing.details).toEqual([{ path: 'password', message: 'required to create your account' }]);
    const weak = await auth.acceptInvitation({ token, password: email }, client).catch((e: unknown) => e);
    expect(isMosaicError(weak) && weak.details.map((d) => d.message)).toEqual(['must not be the email address']);

    const accepted = await auth.acceptInvitation({ token, password: 'a fine new password', name: 'New Comer' }, client);
    expect(accepted).toMatchObject({ email, role: 'editor', createdAccount: true, tenant: { slug: site.slug } });
    expect((await members()).find((m) => m.email === email)).toMatchObject({ role: 'editor', name: 'New Comer' });
    // The account can sign in with the password it chose.
    expect((await auth.signIn({ email, password: 'a fine new password' }, client)).actor.userId).toBe(accepted.userId);
    // Single use.
    expect(await code(auth.acceptInvitation({ token, password: 'a fine new password' }, client))).toBe('LinkUsed');
    expect(await code(auth.previewInvitation(token))).toBe('LinkUsed');
  });

  test('an existing account gets the membership and keeps its password', async () => {
    const existing = await createTestUser(dbs.admin, { password: 'existing password' });
    const { link } = await invite(people.owner!, existing.email, 'viewer');
    expect((await auth.previewInvitation(tokenOf(link))).accountExists).toBe(true);
    const accepted = await auth.acceptInvitation({ token: tokenOf(link), password: 'ignored for existing' }, client);
    expect(accepted).toMatchObject({ userId: existing.userId, role: 'viewer', createdAccount: false });
    expect((await auth.signIn({ email: existing.email, password: 'existing password' }, client)).actor.userId).toBe(existing.userId);
    // Accepting is audited in the site's trail, as the invitee.
    const trail = await withTenant(dbs.admin, site.id, (trx) =>
      trx
        .selectFrom('audit_log')
        .selectAll()
        .where('tenant_id', '=', site.id)
        .where('action', '=', 'invitation.accept')
        .where('actor_id', '=', existing.userId)
        .execute(),
    );
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ subject: existing.email, actor_kind: 'user', client_address: client.address });
  });

  test('nobody invites above their own role; owners only by owners', async () => {
    expect(await code(invite(people.editor!, uniqueEmail(), 'viewer'))).toBe('Forbidden');
    expect(await code(invite(people.admin!, uniqueEmail(), 'owner'))).toBe('Forbidden');
    expect(await code(invite(people.viewer!, uniqueEmail(), 'viewer'))).toBe('Forbidden');
    expect((await invite(people.admin!, uniqueEmail(), 'admin')).invitation.role).toBe('admin');
    expect((await invite(people.owner!, uniqueEmail(), 'owner')).invitation.role).toBe('owner');
    const key: Actor = { kind: 'api-key', keyId: 'k', label: 'abcdefabcdef', grant: { scope: 'tenant', tenantId: site.id, role: 'admin' } };
    expect(await code(invite(key, uniqueEmail(), 'owner'))).toBe('Forbidden');
  });

  test('a member is not invited again; a second invitation replaces the first', async () => {
    expect(await code(invite(people.owner!, people.viewer!.email, 'editor'))).toBe('AlreadyMember');
    const email = uniqueEmail('twice');
    const first = await invite(people.owner!, email, 'viewer');
    const second = await invite(people.owner!, email, 'editor');
    const open = await execute(auth.context(people.admin!, null), listInvitations, { tenant: { id: site.id } });
    expect(open.filter((i) => i.email === email).map((i) => i.id)).toEqual([second.invitation.id]);
    expect(await code(auth.acceptInvitation({ token: tokenOf(first.link), password: 'some password 1' }, client))).toBe('LinkInvalid');
  });

  test('an expired invitation gets a clear error and creates nothing', async () => {
    const email = uniqueEmail('late');
    const { link } = await invite(people.owner!, email, 'viewer');
    clock.advance(7 * DAY + 1000);
    expect(await code(auth.previewInvitation(tokenOf(link)))).toBe('LinkExpired');
    expect(await code(auth.acceptInvitation({ token: tokenOf(link), password: 'some password 2' }, client))).toBe('LinkExpired');
    expect((await members()).some((m) => m.email === email)).toBe(false);
    const open = await execute(auth.context(people.admin!, null), listInvitations, { tenant: { id: site.id } });
    expect(open.find((i) => i.email === email)?.expired).toBe(true);
  });

  test('a revoked invitation stops working; an admin cannot revoke an owner invitation', async () => {
    const email = uniqueEmail('revoked');
    const { link, invitation } = await invite(people.admin!, email, 'editor');
    const ownerInvite = await invite(people.owner!, uniqueEmail(), 'owner');
    expect(
      await code(
        execute(auth.context(people.admin!, null), revokeInvitation, { tenant: { id: site.id }, input: { invitationId: ownerInvite.invitation.id } }),
      ),
    ).toBe('Forbidden');
    await execute(auth.context(people.admin!, null), revokeInvitation, { tenant: { id: site.id }, input: { invitationId: invitation.id } });
    expect(await code(auth.acceptInvitation({ token: tokenOf(link), password: 'some password 3' }, client))).toBe('LinkInvalid');
    expect(
      await code(execute(auth.context(people.admin!, null), revokeInvitation, { tenant: { id: site.id }, input: { invitationId: invitation.id } })),
    ).toBe('NotFound');
  });

  test('another site’s invitation cannot be seen or revoked, and garbage tokens are refused', async () => {
    const other = await createTestTenant(dbs.admin);
    const owner = await createTestUser(dbs.admin);
    await addMembership(dbs.admin, other.id, owner.userId, 'owner');
    const theirs = await execute(auth.context(owner, null), inviteMember, {
      tenant: { id: other.id },
      input: { email: uniqueEmail(), role: 'viewer' },
    });
    const mine = await execute(auth.context(people.owner!, null), listInvitations, { tenant: { id: site.id } });
    expect(mine.map((i) => i.id)).not.toContain(theirs.invitation.id);
    expect(
      await code(
        execute(auth.context(people.owner!, null), revokeInvitation, { tenant: { id: site.id }, input: { invitationId: theirs.invitation.id } }),
      ),
    ).toBe('NotFound');
    expect(await code(execute(auth.context(people.owner!, null), listInvitations, { tenant: { id: other.id } }))).toBe('NotFound');
    // A malformed body is bad input; a well-formed token that names nothing is an invalid link.
    for (const token of ['', 'x', '../../etc/passwd', 42])
      expect(await code(auth.acceptInvitation({ token, password: 'whatever 12345' }, client))).toBe('InvalidInput');
    expect(await code(auth.acceptInvitation({ password: 'whatever 12345' }, client))).toBe('InvalidInput');
    expect(await code(auth.acceptInvitation({ token: 'A'.repeat(43), password: 'whatever 12345' }, client))).toBe('LinkInvalid');
    expect(await code(auth.previewInvitation('A'.repeat(43)))).toBe('LinkInvalid');
  });

  test('two acceptances of one invitation at once: one succeeds, the other is told it was used', async () => {
    const email = uniqueEmail('race');
    const { link } = await invite(people.owner!, email, 'viewer');
    const results = await Promise.all([0, 1].map(() => code(auth.acceptInvitation({ token: tokenOf(link), password: 'racing password' }, client))));
    // The invitation row is locked, so the second waits for the first and then sees it used.
    expect(results.sort()).toEqual(['LinkUsed', 'resolved']);
    expect((await members()).filter((m) => m.email === email)).toHaveLength(1);
  });

  describe('with SMTP', () => {
    let catcher: Awaited<ReturnType<typeof startSmtpCatcher>>;
    beforeAll(async () => {
      catcher = await startSmtpCatcher();
    });
    afterAll(() => catcher?.close());

    test('the link is mailed to the invitee, not returned, and works', async () => {
      const mailed = createTestAuth(dbs, { mailer: createSmtpMailer(catcher.url, 'Mosaic <no-reply@example.test>') });
      const email = uniqueEmail('mailed');
      const result = await execute(mailed.auth.context(people.owner!, null), inviteMember, {
        tenant: { id: site.id },
        input: { email, role: 'editor' },
      });
      expect(result.link).toBeNull();
      expect(mailed.logs.some((l) => 'link' in l)).toBe(false);
      const mail = catcher.mails.find((m) => m.to.includes(email));
      expect(mail?.from).toBe('no-reply@example.test');
      const link = linkIn(mail!);
      expect(link?.origin).toBe('https://admin.example.test');
      expect(link?.pathname).toBe('/accept-invitation');
      expect(mail!.raw).toMatch(/Subject: You are invited to /);
      const accepted = await mailed.auth.acceptInvitation({ token: link!.searchParams.get('token')!, password: 'mailed password' }, client);
      expect(accepted).toMatchObject({ email, role: 'editor' });
    });

    test('when the mail server is down nothing is kept and the inviter is told', async () => {
      const down = createTestAuth(dbs, { mailer: createSmtpMailer('smtp://127.0.0.1:1', 'x@example.test') });
      const email = uniqueEmail('unmailed');
      expect(
        await code(execute(down.auth.context(people.owner!, null), inviteMember, { tenant: { id: site.id }, input: { email, role: 'viewer' } })),
      ).toBe('MailUnavailable');
      const open = await execute(auth.context(people.owner!, null), listInvitations, { tenant: { id: site.id } });
      expect(open.some((i) => i.email === email)).toBe(false);
    });
  });
});
