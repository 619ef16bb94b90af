import { useState, type FormEvent } from 'react';
import { seg } from '../api-client.ts';
import type { AuditRecord, Paged } from '../api-types.ts';
import type { ScreenProps } from '../screens.ts';
import { useApi } from '../session.tsx';
import { useSiteRole } from '../site-role.ts';
import { useLoad } from '../use-load.ts';
import { Button } from '../ui/button.tsx';
import { TableHead } from '../ui/table-head.tsx';
import { EmptyState, ErrorNotice, Loading } from '../ui/feedback.tsx';
import { SelectField, TextField } from '../ui/fields.tsx';

interface Filters {
  action: string;
  subject: string;
  actorKind: string;
  from: string;
  to: string;
}
const NONE: Filters = { action: '', subject: '', actorKind: '', from: '', to: '' };
const ACTIONS = ['page.*', 'theme.*', 'post.*', 'media.*', 'member.*', 'invitation.*', 'submission.*', 'apikey.*', 'tenant.*'];

const changes = (value: unknown) => (value && typeof value === 'object' ? JSON.stringify(value, null, 1) : null);

/** The site's audit trail, newest first: who did what, when, and what changed; filtered by action, subject, kind of actor and time. */
export function ActivityScreen({ params }: ScreenProps) {
  const tenant = params.tenant!;
  const api = useApi();
  const canRead = useSiteRole(tenant).atLeast('editor');
  const [editing, setEditing] = useState<Filters>(NONE);
  const [applied, setApplied] = useState<Filters>(NONE);
  const [pages, setPages] = useState<AuditRecord[][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const query = (f: Filters, after?: string | null) => ({
    limit: 50,
    action: f.action || undefined,
    subject: f.subject || undefined,
    actorKind: f.actorKind || undefined,
    from: f.from ? new Date(f.from).toISOString() : undefined,
    to: f.to ? new Date(f.to).toISOString() : undefined,
    cursor: after ?? undefined,
  });
  const first = useLoad(`audit:${tenant}:${JSON.stringify(applied)}:${canRead}`, async (signal) => {
    if (!canRead) return null;
    const page = (await api.get<Paged<AuditRecord>>(`/tenants/${seg(tenant)}/audit`, { query: query(applied), signal })).data;
    setPages([]);
    setCursor(page.nextCursor);
    return page.items;
  });
  const [moreError, setMoreError] = useState<Error | null>(null);
  async function more() {
    try {
      const page = (await api.get<Paged<AuditRecord>>(`/tenants/${seg(tenant)}/audit`, { query: query(applied, cursor) })).data;
      setPages((p) => [...p, page.items]);
      setCursor(page.nextCursor);
    } catch (error) {
      setMoreError(error as Error);
    }
  }
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(editing);
  };
  const records = first.data ? [...first.data, ...pages.flat()] : null;
  const set = (name: keyof Filters) => (value: string) => setEditing((f) => ({ ...f, [name]: value }));

  if (!canRead) {
    return (
      <>
        <h1>Activity</h1>
        <p className="notice">The activity log is for editors, admins and owners.</p>
      </>
    );
  }
  return (
    <>
      <h1>Activity</h1>
      <form className="toolbar" onSubmit={apply} aria-label="Filter the activity">
        <SelectField label="Action" value={editing.action} onChange={set('action')} options={[{ value: '', label: 'Any' }, ...ACTIONS.map((a) => ({ value: a, label: a }))]} />
        <TextField label="Subject" value={editing.subject} onChange={set('subject')} placeholder="/about, theme, post:hello" error={first.error?.at('subject')} />
        <SelectField
          label="By"
          value={editing.actorKind}
          onChange={set('actorKind')}
          options={[
            { value: '', label: 'Anyone' },
            { value: 'user', label: 'People' },
            { value: 'api-key', label: 'API keys' },
            { value: 'system', label: 'The system' },
            { value: 'cli', label: 'The command line' },
          ]}
        />
        <TextField label="From" type="datetime-local" value={editing.from} onChange={set('from')} error={first.error?.at('from')} />
        <TextField label="To" type="datetime-local" value={editing.to} onChange={set('to')} error={first.error?.at('to')} />
        <Button type="submit" kind="primary">
          Filter
        </Button>
      </form>
      {first.state === 'failed' && <ErrorNotice error={first.error} retry={first.reload} />}
      {records === null ? (
        first.state === 'loading' && <Loading label="Loading activity…" />
      ) : records.length === 0 ? (
        <EmptyState title="Nothing matches." />
      ) : (
        <table className="table">
          <TableHead columns={['When', 'Who', 'What', 'Changes']} />
          <tbody>
            {records.map((r) => (
              <tr key={r.id}>
                <td className="muted">{new Date(r.createdAt).toLocaleString()}</td>
                <td>{r.actor.label}</td>
                <td>
                  <code>{r.action}</code>
                  <div className="muted">{r.subject}</div>
                </td>
                <td>
                  {changes(r.after) ?? changes(r.before) ? (
                    <details>
                      <summary>Show</summary>
                      {changes(r.before) && <pre className="diff">Before: {changes(r.before)}</pre>}
                      {changes(r.after) && <pre className="diff">After: {changes(r.after)}</pre>}
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {moreError && <ErrorNotice error={moreError.message} />}
      {cursor && (
        <p style={{ marginTop: 'var(--space-4)' }}>
          <Button onClick={() => void more()}>Load older</Button>
        </p>
      )}
    </>
  );
}
