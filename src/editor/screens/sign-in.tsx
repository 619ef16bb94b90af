import { useState } from 'react';
import type { CurrentSession } from '../api-types.ts';
import { navigate, useLocation } from '../router.tsx';
import { screenPath } from '../screens.ts';
import { useSession } from '../session.tsx';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ErrorNotice } from '../ui/feedback.tsx';
import { TextField } from '../ui/fields.tsx';

/** Only paths of this app are followed after signing in, never another origin. */
const safeNext = (next: string | null): string => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/');

export function SignInScreen() {
  const { api, refresh, state } = useSession();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(async () => {
    const signed = await api.post<CurrentSession>('/session', { body: { email, password } });
    api.setCsrfToken(signed.data.csrfToken);
    await refresh();
    navigate(safeNext(search.get('next')), { replace: true });
  });
  const { error } = form;
  // Wrong email, wrong password and a disabled account answer alike (no account enumeration).
  const message = error?.status === 401 ? 'The email or the password is wrong.' : error?.status === 429 ? `Too many attempts. ${error.message}` : null;
  return (
    <div className="card card-narrow">
      <h1>Sign in to Mosaic</h1>
      {state.kind === 'signed-out' && state.reason === 'expired' && <p className="notice">Your session ended. Sign in again to continue.</p>}
      <form onSubmit={form.onSubmit} noValidate>
        <TextField label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} required error={error?.at('email')} />
        <TextField label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} required error={error?.at('password')} />
        {message ? <ErrorNotice error={message} /> : error && error.errors.length === 0 && <ErrorNotice error={error} />}
        <Button kind="primary" type="submit" busy={form.busy}>
          Sign in
        </Button>
      </form>
      <p className="aside">
        <a href={screenPath('reset-password')}>Forgot your password?</a>
      </p>
    </div>
  );
}
