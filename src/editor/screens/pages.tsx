import { useEffect, useState } from 'react';
import { newIdempotencyKey, seg } from '../api-client.ts';
import type { Paged, PageSummary, PageView } from '../api-types.ts';
import { Link, navigate } from '../router.tsx';
import { screenPath, type ScreenProps } from '../screens.ts';
import { useApi, useCan } from '../session.tsx';
import { useLoad } from '../use-load.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, Loading, useAnnounce } from '../ui/feedback.tsx';
import { SelectField, TextField } from '../ui/fields.tsx';
import { formatTime, PageStateBadges } from '../ui/page-state.tsx';

/** The site's pages: search, create (blank or from a page), duplicate, change path, delete. */
export function PagesScreen({ params }: ScreenProps) {
  const api = useApi();
  const announce = useAnnounce();
  const tenant = params.tenant!;
  const base = `/tenants/${seg(tenant)}/pages`;
  // Viewers see the list; the controls that change pages are not shown (the API refuses them anyway).
  const canEdit = useCan(tenant)('page.edit');
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState<{ fromPageId: string } | null>(null);
  const [moving, setMoving] = useState<PageSummary | null>(null);
  const [deleting, setDeleting] = useState<PageSummary | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const pages = useLoad(`pages:${tenant}:${query}`, async (signal) => (await api.get<Paged<PageSummary>>(base, { query: { search: query, limit: 100 }, signal })).data);

  const remove = useSubmit(async () => {
    if (!deleting) return;
    await api.delete(`${base}/${seg(deleting.id)}`);
    announce(`Deleted ${deleting.path}.`);
    setDeleting(null);
    pages.reload();
  });

  return (
    <>
      <div className="toolbar">
        <h1 style={{ marginRight: 'auto', marginBottom: 0 }}>Pages</h1>
        <TextField label="Search pages" type="search" value={search} onChange={setSearch} placeholder="Title or path" />
        {canEdit && (
          <Button kind="primary" onClick={() => setCreating({ fromPageId: '' })}>
            New page
          </Button>
        )}
      </div>
      {creating && <CreatePage tenant={tenant} pages={pages.data?.items ?? []} fromPageId={creating.fromPageId} onCancel={() => setCreating(null)} />}
      {pages.state === 'failed' && <ErrorNotice error={pages.error} retry={pages.reload} />}
      {pages.state === 'loading' && !pages.data && <Loading />}
      {pages.data && pages.data.items.length === 0 && <EmptyState title={query ? `No page matches “${query}”.` : 'No pages yet. Create the first one.'} />}
      {pages.data && pages.data.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Page</th>
              <th scope="col">State</th>
              <th scope="col">Changed</th>
              {canEdit && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {pages.data.items.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={screenPath('page-editor', { tenant, pageId: p.id })}>{p.title || '(untitled)'}</Link>
                  <div className="muted">{p.path}</div>
                </td>
                <td>
                  <PageStateBadges page={p} />
                </td>
                <td className="muted">{formatTime(p.updatedAt)}</td>
                {canEdit && (
                  <td>
                    <span className="btn-row">
                      <Button className="btn-small" onClick={() => setCreating({ fromPageId: p.id })} aria-label={`Duplicate ${p.path}`}>
                        Duplicate
                      </Button>
                      <Button className="btn-small" onClick={() => setMoving(p)} aria-label={`Change path of ${p.path}`}>
                        Change path
                      </Button>
                      <Button className="btn-small" kind="ghost" onClick={() => setDeleting(p)} aria-label={`Delete ${p.path}`}>
                        Delete
                      </Button>
                    </span>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {moving && <ChangePath tenant={tenant} page={moving} onDone={() => { setMoving(null); pages.reload(); }} />}
      <ConfirmDialog open={deleting !== null} title={`Delete ${deleting?.path ?? ''}?`} confirmLabel="Delete page" danger busy={remove.busy} onConfirm={() => void remove.run()} onCancel={() => setDeleting(null)}>
        <p>Visitors will no longer find this page. Its history is kept, and it can be restored.</p>
        {remove.error && <ErrorNotice error={remove.error} />}
      </ConfirmDialog>
    </>
  );
}

/** A new page, blank or with another page's draft; its Idempotency-Key survives retries of this form. */
function CreatePage({ tenant, pages, fromPageId, onCancel }: { tenant: string; pages: PageSummary[]; fromPageId: string; onCancel: () => void }) {
  const api = useApi();
  const source = pages.find((p) => p.id === fromPageId);
  const [path, setPath] = useState(source ? `${source.path === '/' ? '/home' : source.path}-copy` : '/');
  const [title, setTitle] = useState(source ? `${source.title} (copy)` : '');
  const [from, setFrom] = useState(fromPageId);
  const [key] = useState(newIdempotencyKey);
  const form = useSubmit(async () => {
    const created = await api.post<PageView>(`/tenants/${seg(tenant)}/pages`, { body: { path, title, fromPageId: from || undefined }, idempotencyKey: key });
    navigate(screenPath('page-editor', { tenant, pageId: created.data.id }));
  });
  return (
    <form className="panel" onSubmit={form.onSubmit} noValidate style={{ marginBottom: 'var(--space-5)' }} aria-label="New page">
      <h2>{source ? `Duplicate ${source.path}` : 'New page'}</h2>
      <div className="grid-2">
        <TextField label="Path" value={path} onChange={setPath} required error={form.error?.at('path')} hint="Lower-case, like /about or /menus/spring." />
        <TextField label="Title" value={title} onChange={setTitle} error={form.error?.at('title')} />
      </div>
      <SelectField label="Start from" value={from} onChange={setFrom} options={[{ value: '', label: 'A blank page' }, ...pages.map((p) => ({ value: p.id, label: `${p.title || '(untitled)'} — ${p.path}` }))]} />
      {form.error && form.error.errors.length === 0 && <ErrorNotice error={form.error} />}
      <div className="btn-row">
        <Button kind="primary" type="submit" busy={form.busy}>
          Create page
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

function ChangePath({ tenant, page, onDone }: { tenant: string; page: PageSummary; onDone: () => void }) {
  const api = useApi();
  const [path, setPath] = useState(page.path);
  const form = useSubmit(async () => {
    await api.put(`/tenants/${seg(tenant)}/pages/${seg(page.id)}/path`, { body: { path } });
    onDone();
  });
  return (
    <ConfirmDialog open title={`Change the path of ${page.path}`} confirmLabel="Change path" busy={form.busy} onConfirm={() => void form.run()} onCancel={onDone}>
      <TextField label="New path" value={path} onChange={setPath} required error={form.error?.at('path')} />
      {form.error && !form.error.at('path') && <ErrorNotice error={form.error} />}
    </ConfirmDialog>
  );
}
