import { useEffect } from 'react';
import { Link, navigate } from '../router.tsx';
import { screenPath } from '../screens.ts';
import { useSession } from '../session.tsx';
import { EmptyState } from '../ui/feedback.tsx';

/** The sites the signed-in person belongs to; with exactly one, it opens straight away. */
export function SitesScreen() {
  const { state } = useSession();
  const memberships = state.kind === 'signed-in' ? state.me.memberships : [];
  const only = memberships.length === 1 ? memberships[0]!.slug : null;
  useEffect(() => {
    if (only) navigate(screenPath('dashboard', { tenant: only }), { replace: true });
  }, [only]);
  return (
    <>
      <h1>Your sites</h1>
      {memberships.length === 0 ? (
        <EmptyState title="You are not a member of any site yet.">
          <p>Ask a site's owner for an invitation.</p>
        </EmptyState>
      ) : (
        <ul className="site-list">
          {memberships.map((m) => (
            <li key={m.slug}>
              <Link to={screenPath('dashboard', { tenant: m.slug })} className="site-card">
                <span className="site-card-name">{m.name}</span>
                <span className="site-card-meta">
                  {m.slug} · {m.role}
                  {m.status !== 'active' && ` · ${m.status}`}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
