import { useState } from 'react';
import { useLocation } from '../router.tsx';
import { screenPath } from '../screens.ts';
import { useSession } from '../session.tsx';
import { useLoad } from '../use-load.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ErrorNotice, Loading } from '../ui/feedback.tsx';
import { TextField } from '../ui/fields.tsx';

interface InvitationPreview {
  site: { slug: string; name: string };
  email: string;
  role: string;
  expiresAt: string;
  accountExists: boolean;
}

/** The invitation link's page: what it offers, then a password for a new account, or just accept. */
export function AcceptInvitationScreen() {
  const { api } = useSession();
  const token = useLocation().search.get('token') ?? '';
  const preview = useLoad(`invitation:${token}`, async () => (await api.post<InvitationPreview>('/invitations/preview', { body: { token } })).data);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [accepted, setAccepted] = useState(false);
  const form = useSubmit(async () => {
    const accountExists = preview.data?.accountExists ?? false;
    await api.post('/invitations/accept', { body: accountExists ? { token } : { token, password, name: name || undefined } });
    setAccepted(true);
  });
  const { error } = form;

  return (
    <div className="card card-narrow">
      <h1>Accept invitation</h1>
      {preview.state === 'loading' && <Loading />}
      {preview.state === 'failed' && <ErrorNotice error={preview.error.status > 0 && preview.error.status < 500 ? 'This invitation link is not valid, or has expired.' : preview.error} />}
      {preview.state === 'ready' &&
        (accepted ? (
          <p className="notice" role="status">
            You are now a member of {preview.data.site.name}. <a href={`${screenPath('sign-in')}?next=${encodeURIComponent(screenPath('dashboard', { tenant: preview.data.site.slug }))}`}>Sign in</a> to start.
          </p>
        ) : (
          <form onSubmit={form.onSubmit} noValidate>
            <p>
              <strong>{preview.data.site.name}</strong> invites <strong>{preview.data.email}</strong> as {preview.data.role}.
            </p>
            {!preview.data.accountExists && (
              <>
                <TextField label="Your name" autoComplete="name" value={name} onChange={setName} error={error?.at('name')} />
                <TextField label="Choose a password" type="password" autoComplete="new-password" value={password} onChange={setPassword} required error={error?.at('password')} hint="At least 12 characters." />
              </>
            )}
            {error && error.errors.length === 0 && <ErrorNotice error={error} />}
            <Button kind="primary" type="submit" busy={form.busy}>
              Accept
            </Button>
          </form>
        ))}
    </div>
  );
}
