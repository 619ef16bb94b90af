import type { ReactNode } from 'react';
import type { Membership } from '../api-types.ts';
import { Link } from '../router.tsx';
import { SCREENS, screenPath, type Screen } from '../screens.ts';
import { useSession } from '../session.tsx';
import { Button } from './button.tsx';

/**
 * The frame of every signed-in screen: a header with the site switcher and the account, the
 * site's navigation (built from the screen table) when a site is open, and the screen.
 */
export function AppShell({ screen, tenant, children }: { screen: Screen; tenant: string | null; children: ReactNode }) {
  const { state, signOut } = useSession();
  if (state.kind !== 'signed-in') return null;
  const memberships = state.me.memberships;
  const site = tenant ? memberships.find((m) => m.slug === tenant) : undefined;
  return (
    <div className={`shell shell-${screen.layout}`}>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Mosaic
        </Link>
        {tenant && <SiteSwitcher current={tenant} memberships={memberships} />}
        <div className="topbar-end">
          <span className="who" title={state.me.email}>
            {state.me.name || state.me.email}
          </span>
          <Button kind="ghost" onClick={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </header>
      {tenant && screen.layout === 'site' && (
        <nav className="sitenav" aria-label="Site">
          <ul>
            {SCREENS.filter((s) => s.nav).map((s) => (
              <li key={s.name}>
                <Link to={screenPath(s.name, { tenant })} aria-current={s.name === screen.name ? 'page' : undefined}>
                  {s.nav}
                </Link>
              </li>
            ))}
          </ul>
          {site && <p className="role-note">Your role: {site.role}</p>}
        </nav>
      )}
      <main id="content" className="content" data-screen={screen.name} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** Moves to the same screen of another site; only shown to people with more than one. */
function SiteSwitcher({ current, memberships }: { current: string; memberships: Membership[] }) {
  if (memberships.length < 2) {
    const only = memberships.find((m) => m.slug === current);
    return <span className="site-name">{only?.name ?? current}</span>;
  }
  return (
    <label className="site-switcher">
      <span className="visually-hidden">Switch site</span>
      <select
        value={current}
        onChange={(e) => {
          location.assign(screenPath('dashboard', { tenant: e.target.value }));
        }}
      >
        {memberships.some((m) => m.slug === current) ? null : <option value={current}>{current}</option>}
        {memberships.map((m) => (
          <option key={m.slug} value={m.slug}>
            {m.name}
          </option>
        ))}
      </select>
    </label>
  );
}
