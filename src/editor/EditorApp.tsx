import { useEffect } from 'react';
import { navigate, useLocation } from './router.tsx';
import { screenFor, screenPath } from './screens.ts';
import { SessionProvider, useSession } from './session.tsx';
import { AppShell } from './ui/app-shell.tsx';
import { AnnouncerProvider, EmptyState, ErrorNotice, Loading } from './ui/feedback.tsx';

/** The editor: one React island on the admin host's one page; screens are routed in the browser. */
export function EditorApp() {
  return (
    <SessionProvider>
      <AnnouncerProvider>
        <Screens />
      </AnnouncerProvider>
    </SessionProvider>
  );
}

function Screens() {
  const { pathname, search } = useLocation();
  const { state } = useSession();
  const found = screenFor(pathname);
  const signedIn = state.kind === 'signed-in';
  const mustSignIn = found?.screen.access === 'signed-in' && state.kind === 'signed-out';

  useEffect(() => {
    document.title = found ? `${found.screen.title} · Mosaic` : 'Not found · Mosaic';
  }, [found]);
  useEffect(() => {
    // Signed out on a private screen: sign in, then come back here.
    if (mustSignIn) navigate(`${screenPath('sign-in')}?next=${encodeURIComponent(pathname + (search.size ? `?${search}` : ''))}`, { replace: true });
  }, [mustSignIn, pathname, search]);

  if (state.kind === 'checking') return <Loading label="Opening the editor…" />;
  if (state.kind === 'failed') return <ErrorNotice error={state.error} retry={() => location.reload()} />;
  if (!found) {
    return (
      <main id="content" className="content" data-screen="not-found">
        <EmptyState title="There is nothing at this address.">
          <a href="/">Back to your sites</a>
        </EmptyState>
      </main>
    );
  }
  const { screen, params } = found;
  const Component = screen.component;
  if (screen.access === 'public') {
    return (
      <main id="content" className="content content-bare" data-screen={screen.name}>
        <Component params={params} />
      </main>
    );
  }
  if (!signedIn) return <Loading />;
  return (
    <AppShell screen={screen} tenant={params.tenant ?? null}>
      <Component key={pathname} params={params} />
    </AppShell>
  );
}
