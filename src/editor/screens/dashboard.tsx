import { seg } from '../api-client.ts';
import type { AuditRecord, Paged, PageSummary } from '../api-types.ts';
import { Link } from '../router.tsx';
import { screenPath, type ScreenProps } from '../screens.ts';
import { useApi, useCan } from '../session.tsx';
import { useLoad } from '../use-load.ts';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.tsx';
import { formatTime, PageStateBadges } from '../ui/page-state.tsx';

const WEEK_MS = 7 * 86_400_000;

/** A site at a glance: its pages and their state, what changed lately, new messages. */
export function DashboardScreen({ params }: ScreenProps) {
  const api = useApi();
  const tenant = params.tenant!;
  const base = `/tenants/${seg(tenant)}`;
  const pages = useLoad(`pages:${tenant}`, async (signal) => (await api.get<Paged<PageSummary>>(`${base}/pages`, { query: { limit: 20 }, signal })).data);
  // Members who may not read messages (or the trail) see the rest of the dashboard without them.
  const allowed = useCan(tenant);
  const [readsAudit, readsMessages] = [allowed('audit.read'), allowed('submission.read')];
  const audit = useLoad(`audit:${tenant}:${readsAudit}`, async (signal) => (readsAudit ? (await api.get<Paged<AuditRecord>>(`${base}/audit`, { query: { limit: 8 }, signal })).data : null));
  const messages = useLoad(`messages:${tenant}:${readsMessages}`, async (signal) =>
    readsMessages ? (await api.get<Paged<{ createdAt: string }>>(`${base}/submissions`, { query: { limit: 100 }, signal })).data : null,
  );

  if (pages.state === 'failed') return <ErrorNotice error={pages.error} retry={pages.reload} />;
  const recentMessages = messages.data?.items.filter((m) => Date.now() - Date.parse(m.createdAt) < WEEK_MS).length ?? 0;
  return (
    <>
      <h1>Dashboard</h1>
      <div className="grid-2">
        <section className="panel" aria-labelledby="dash-pages">
          <h2 id="dash-pages">Pages</h2>
          {pages.state === 'loading' ? (
            <Loading />
          ) : pages.data!.items.length === 0 ? (
            <EmptyState title="No pages yet.">
              <Link to={screenPath('pages', { tenant })}>Create the first page</Link>
            </EmptyState>
          ) : (
            <ul className="list-plain">
              {pages.data!.items.map((p) => (
                <li key={p.id}>
                  <Link to={screenPath('page-editor', { tenant, pageId: p.id })}>{p.title || p.path}</Link> <span className="muted">{p.path}</span>
                  <div>
                    <PageStateBadges page={p} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
        <div>
          <section className="panel" aria-labelledby="dash-messages">
            <h2 id="dash-messages">Messages</h2>
            {messages.state === 'loading' ? (
              <Loading />
            ) : messages.state === 'failed' || !messages.data ? (
              <p className="muted">Your role does not include the message inbox.</p>
            ) : (
              <p data-testid="recent-messages">
                <strong>{recentMessages}</strong> {recentMessages === 1 ? 'message' : 'messages'} in the last 7 days.{' '}
                <Link to={screenPath('messages', { tenant })}>Open the inbox</Link>
              </p>
            )}
          </section>
          <section className="panel" aria-labelledby="dash-activity" style={{ marginTop: 'var(--space-5)' }}>
            <h2 id="dash-activity">Latest changes</h2>
            {audit.state === 'loading' ? (
              <Loading />
            ) : audit.state === 'failed' || !audit.data ? (
              <p className="muted">Your role does not include the activity log.</p>
            ) : audit.data.items.length === 0 ? (
              <p className="muted">Nothing has changed yet.</p>
            ) : (
              <ul className="list-plain">
                {audit.data.items.map((r) => (
                  <li key={r.id}>
                    <code>{r.action}</code> <span className="muted">{r.subject}</span>
                    <div className="muted">
                      {r.actor.label} · {formatTime(r.createdAt)}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </>
  );
}
