import { useState } from 'react';
import { seg } from '../api-client.ts';
import type { InvitationView, MemberView } from '../api-types.ts';
import type { ScreenProps } from '../screens.ts';
import { useApi, useSession } from '../session.tsx';
import { useSiteRole } from '../site-role.ts';
import { useLoad } from '../use-load.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { TableHead } from '../ui/table-head.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { ErrorNotice, Loading, useAnnounce } from '../ui/feedback.tsx';
import { SelectField, TextField } from '../ui/fields.tsx';

const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;
const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: r }));

/** Who works on the site: change roles, remove people, invite by email (owners and admins). */
export function MembersScreen({ params }: ScreenProps) {
  const tenant = params.tenant!;
  const api = useApi();
  const manage = useSiteRole(tenant).atLeast('admin');
  const base = `/tenants/${seg(tenant)}`;
  const members = useLoad(`members:${tenant}`, (signal) => api.get<{ items: MemberView[] }>(`${base}/members`, { signal }).then((r) => r.data.items));
  const invitations = useLoad(`invitations:${tenant}:${manage}`, (signal) =>
    manage ? api.get<{ items: InvitationView[] }>(`${base}/invitations`, { signal }).then((r) => r.data.items) : Promise.resolve([]),
  );
  return (
    <>
      <h1>Members</h1>
      {!manage && <p className="notice">Owners and admins invite people and change roles; you can see who works on this site.</p>}
      {members.state === 'failed' && <ErrorNotice error={members.error} retry={members.reload} />}
      {members.data === null ? (
        <Loading label="Loading members…" />
      ) : (
        <table className="table" style={{ marginBottom: 'var(--space-5)' }}>
          <TableHead columns={['Person', 'Role']} actions />
          <tbody>
            {members.data.map((m) => (
              <MemberRow key={m.userId} base={base} member={m} manage={manage} onChanged={members.reload} />
            ))}
          </tbody>
        </table>
      )}
      {manage && (
        <div className="grid-2">
          <InviteForm base={base} onInvited={invitations.reload} />
          <section className="panel" aria-labelledby="open-invitations">
            <h2 id="open-invitations">Open invitations</h2>
            {invitations.state === 'failed' && <ErrorNotice error={invitations.error} retry={invitations.reload} />}
            {invitations.data && invitations.data.length === 0 && <p className="muted">None.</p>}
            <ul className="list-plain">
              {invitations.data?.map((i) => (
                <li key={i.id} className="btn-row" style={{ justifyContent: 'space-between' }}>
                  <span>
                    {i.email} <span className="badge">{i.role}</span>
                    {i.expired && <span className="muted"> expired</span>}
                  </span>
                  <Button className="btn-small" onClick={() => void api.delete(`${base}/invitations/${seg(i.id)}`).then(invitations.reload)} aria-label={`Withdraw the invitation for ${i.email}`}>
                    Withdraw
                  </Button>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </>
  );
}

function MemberRow({ base, member, manage, onChanged }: { base: string; member: MemberView; manage: boolean; onChanged: () => void }) {
  const api = useApi();
  const announce = useAnnounce();
  const { state } = useSession();
  const isMe = state.kind === 'signed-in' && state.me.email === member.email;
  const [confirming, setConfirming] = useState(false);
  const path = `${base}/members/${seg(member.userId)}`;
  const remove = useSubmit(async () => {
    await api.delete(path);
    setConfirming(false);
    announce(`${member.email} removed.`);
    onChanged();
  });
  const [roleError, setRoleError] = useState<string | null>(null);
  return (
    <tr>
      <td>
        {member.name || member.email}
        {member.name && <div className="muted">{member.email}</div>}
        {member.disabled && <span className="badge">disabled</span>}
      </td>
      <td>
        {manage ? (
          <SelectField
            label={`Role of ${member.email}`}
            value={member.role}
            options={ROLE_OPTIONS}
            onChange={(role) => {
              setRoleError(null);
              api.patch(path, { body: { role } }).then(
                () => {
                  announce(`${member.email} is now ${role}.`);
                  onChanged();
                },
                (error: Error) => setRoleError(error.message),
              );
            }}
            error={roleError ?? undefined}
          />
        ) : (
          <span className="badge">{member.role}</span>
        )}
      </td>
      <td>
        {manage && !isMe && (
          <Button kind="ghost" className="btn-small" onClick={() => setConfirming(true)} aria-label={`Remove ${member.email}`}>
            Remove
          </Button>
        )}
        {remove.error && <ErrorNotice error={remove.error} />}
        <ConfirmDialog open={confirming} title={`Remove ${member.email}?`} confirmLabel="Remove" danger busy={remove.busy} onConfirm={() => void remove.run()} onCancel={() => setConfirming(false)}>
          <p>They lose access to this site at once.</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

function InviteForm({ base, onInvited }: { base: string; onInvited: () => void }) {
  const api = useApi();
  const announce = useAnnounce();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('editor');
  const [link, setLink] = useState<string | null>(null);
  const submit = useSubmit(async () => {
    const answer = await api.post<{ link: string | null }>(`${base}/invitations`, { body: { email, role } });
    setLink(answer.data.link);
    setEmail('');
    announce('Invitation sent.');
    onInvited();
  });
  return (
    <form className="panel" onSubmit={submit.onSubmit} aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <TextField label="Email" type="email" value={email} onChange={setEmail} error={submit.error?.at('email')} required />
      <SelectField label="Role" value={role} onChange={setRole} options={ROLE_OPTIONS} error={submit.error?.at('role')} />
      {submit.error && !submit.error.errors.length && <ErrorNotice error={submit.error} />}
      {link && (
        <p className="notice" role="status">
          No mail is set up: send them this link yourself. <code>{link}</code>
        </p>
      )}
      <Button kind="primary" type="submit" busy={submit.busy}>
        Send invitation
      </Button>
    </form>
  );
}
