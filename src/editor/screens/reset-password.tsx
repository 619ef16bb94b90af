import { useState } from 'react';
import { useLocation } from '../router.tsx';
import { screenPath } from '../screens.ts';
import { useSession } from '../session.tsx';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ErrorNotice } from '../ui/feedback.tsx';
import { TextField } from '../ui/fields.tsx';

/** Without a token: ask for a link by email. With the link's token: choose the new password. */
export function ResetPasswordScreen() {
  const token = useLocation().search.get('token');
  return <div className="card card-narrow">{token ? <ChoosePassword token={token} /> : <RequestLink />}</div>;
}

function RequestLink() {
  const { api } = useSession();
  const [email, setEmail] = useState('');
  const [answer, setAnswer] = useState<string | null>(null);
  const form = useSubmit(async () => setAnswer((await api.post<{ message: string }>('/password-resets', { body: { email } })).data.message));
  return (
    <>
      <h1>Forgot your password?</h1>
      {answer ? (
        <p className="notice" role="status">{answer}</p>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <TextField label="Email" type="email" autoComplete="username" value={email} onChange={setEmail} required error={form.error?.at('email')} />
          {form.error && form.error.errors.length === 0 && <ErrorNotice error={form.error} />}
          <Button kind="primary" type="submit" busy={form.busy}>
            Send me a link
          </Button>
        </form>
      )}
      <p className="aside">
        <a href={screenPath('sign-in')}>Back to sign in</a>
      </p>
    </>
  );
}

function ChoosePassword({ token }: { token: string }) {
  const { api } = useSession();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const form = useSubmit(async () => {
    await api.post('/password-resets/confirm', { body: { token, password } });
    setDone(true);
  });
  return (
    <>
      <h1>Choose a new password</h1>
      {done ? (
        <p className="notice" role="status">
          Your password is changed and every session of your account has ended. <a href={screenPath('sign-in')}>Sign in</a> with the new one.
        </p>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <TextField label="New password" type="password" autoComplete="new-password" value={password} onChange={setPassword} required error={form.error?.at('password')} hint="At least 12 characters." />
          {form.error && !form.error.at('password') && <ErrorNotice error={form.error} />}
          <Button kind="primary" type="submit" busy={form.busy}>
            Change password
          </Button>
        </form>
      )}
    </>
  );
}
