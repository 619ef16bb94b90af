import { useState } from 'react';
import { API_BASE, seg } from '../api-client.ts';
import type { Paged, SubmissionView } from '../api-types.ts';
import type { ScreenProps } from '../screens.ts';
import { useApi } from '../session.tsx';
import { useSiteRole } from '../site-role.ts';
import { useLoad } from '../use-load.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, Loading, useAnnounce } from '../ui/feedback.tsx';

const summary = (m: SubmissionView) => m.data.name || m.data.email || Object.values(m.data)[0] || '(empty)';

/** The contact form's inbox: read a message, export them all as CSV, delete. */
export function MessagesScreen({ params }: ScreenProps) {
  const tenant = params.tenant!;
  const api = useApi();
  const announce = useAnnounce();
  const canRead = useSiteRole(tenant).atLeast('editor');
  const inbox = useLoad(`messages:${tenant}`, (signal) =>
    canRead ? api.get<Paged<SubmissionView>>(`/tenants/${seg(tenant)}/submissions`, { query: { limit: 100 }, signal }).then((r) => r.data) : Promise.resolve(null),
  );
  const [openId, setOpenId] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const open = inbox.data?.items.find((m) => m.id === openId) ?? null;
  const remove = useSubmit(async () => {
    await api.delete(`/tenants/${seg(tenant)}/submissions/${seg(openId!)}`);
    setConfirming(false);
    setOpenId(null);
    announce('Message deleted.');
    inbox.reload();
  });

  if (!canRead) {
    return (
      <>
        <h1>Messages</h1>
        <p className="notice">Messages from visitors are for editors, admins and owners.</p>
      </>
    );
  }
  return (
    <>
      <div className="toolbar">
        <h1 style={{ margin: 0 }}>Messages</h1>
        <a className="btn" href={`${API_BASE}/tenants/${seg(tenant)}/submissions/export`} download>
          Export CSV
        </a>
      </div>
      {inbox.state === 'failed' && <ErrorNotice error={inbox.error} retry={inbox.reload} />}
      {inbox.data === null ? (
        inbox.state === 'loading' && <Loading label="Loading messages…" />
      ) : inbox.data.items.length === 0 ? (
        <EmptyState title="No messages yet.">
          <p>Messages visitors send through the contact form appear here.</p>
        </EmptyState>
      ) : (
        <div className="split">
          <ul className="list-plain panel" aria-label="Messages">
            {inbox.data.items.map((m) => (
              <li key={m.id} className={m.id === openId ? 'selected' : undefined}>
                <button type="button" className="row-button" onClick={() => setOpenId(m.id)} aria-current={m.id === openId ? 'true' : undefined}>
                  <strong>{summary(m)}</strong>
                  <div className="muted">
                    {new Date(m.createdAt).toLocaleString()} · {m.page}
                  </div>
                </button>
              </li>
            ))}
          </ul>
          <section className="panel" aria-label="Message">
            {open ? (
              <>
                <h2>{summary(open)}</h2>
                <p className="muted">
                  Sent {new Date(open.createdAt).toLocaleString()} from {open.page} ({open.form} form)
                </p>
                <dl>
                  {Object.entries(open.data).map(([field, value]) => (
                    <div key={field} style={{ marginBottom: 'var(--space-3)' }}>
                      <dt className="muted">{field}</dt>
                      <dd className="message-body" style={{ margin: 0 }}>
                        {value}
                      </dd>
                    </div>
                  ))}
                </dl>
                <Button kind="danger" onClick={() => setConfirming(true)}>
                  Delete message
                </Button>
                {remove.error && <ErrorNotice error={remove.error} />}
              </>
            ) : (
              <p className="muted">Choose a message to read it.</p>
            )}
          </section>
        </div>
      )}
      <ConfirmDialog open={confirming} title="Delete this message?" confirmLabel="Delete message" danger busy={remove.busy} onConfirm={() => void remove.run()} onCancel={() => setConfirming(false)}>
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
