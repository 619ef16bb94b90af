import { useRef, useState } from 'react';
import { seg } from '../api-client.ts';
import type { Paged, PostView } from '../api-types.ts';
import type { ScreenProps } from '../screens.ts';
import { useApi } from '../session.tsx';
import { useSiteRole } from '../site-role.ts';
import { useLoad } from '../use-load.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { TableHead } from '../ui/table-head.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, Loading, useAnnounce } from '../ui/feedback.tsx';
import { TextAreaField, TextField } from '../ui/fields.tsx';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

/** The site's posts: list, write, schedule or publish, delete. */
export function PostsScreen({ params }: ScreenProps) {
  const tenant = params.tenant!;
  const api = useApi();
  const canChange = useSiteRole(tenant).atLeast('editor');
  const posts = useLoad(`posts:${tenant}`, (signal) => api.get<Paged<PostView>>(`/tenants/${seg(tenant)}/posts`, { query: { limit: 100 }, signal }).then((r) => r.data));
  const [open, setOpen] = useState<PostView | 'new' | null>(null);
  const done = () => {
    setOpen(null);
    posts.reload();
  };
  return (
    <>
      <div className="toolbar">
        <h1 style={{ margin: 0 }}>Posts</h1>
        {canChange && (
          <Button kind="primary" onClick={() => setOpen('new')}>
            New post
          </Button>
        )}
      </div>
      {open && <PostForm key={open === 'new' ? 'new' : open.id} tenant={tenant} post={open === 'new' ? null : open} canChange={canChange} onDone={done} onCancel={() => setOpen(null)} />}
      {posts.state === 'failed' && <ErrorNotice error={posts.error} retry={posts.reload} />}
      {posts.data === null ? (
        posts.state === 'loading' && <Loading label="Loading posts…" />
      ) : posts.data.items.length === 0 ? (
        <EmptyState title="No posts yet." />
      ) : (
        <table className="table">
          <TableHead columns={['Title', 'State', 'Updated']} actions />
          <tbody>
            {posts.data.items.map((post) => (
              <tr key={post.id}>
                <td>
                  {post.title}
                  <div className="muted">/{post.slug}</div>
                </td>
                <td>
                  <span className={`badge badge-${post.status}`}>{post.status}</span>
                  {post.status === 'scheduled' && <div className="muted">{when(post.publishedAt)}</div>}
                </td>
                <td className="muted">{when(post.updatedAt)}</td>
                <td>
                  <Button className="btn-small" onClick={() => setOpen(post)} aria-label={`${canChange ? 'Edit' : 'Read'} ${post.title}`}>
                    {canChange ? 'Edit' : 'Read'}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function PostForm({ tenant, post, canChange, onDone, onCancel }: { tenant: string; post: PostView | null; canChange: boolean; onDone: () => void; onCancel: () => void }) {
  const api = useApi();
  const announce = useAnnounce();
  const [fields, setFields] = useState({ title: post?.title ?? '', slug: post?.slug ?? '', excerpt: post?.excerpt ?? '', body: post?.body ?? '' });
  const [at, setAt] = useState('');
  const target = useRef<string | null>(null);
  const scheduleTo = (value: string | null) => {
    target.current = value;
    void schedule.run();
  };
  const [confirming, setConfirming] = useState(false);
  const set = (name: keyof typeof fields) => (value: string) => setFields((f) => ({ ...f, [name]: value }));
  const base = `/tenants/${seg(tenant)}/posts`;

  const save = useSubmit(async () => {
    if (post) await api.patch(`${base}/${seg(post.id)}`, { body: fields });
    else await api.post(base, { body: fields });
    announce(post ? 'Post saved.' : 'Post created as a draft.');
    onDone();
  });
  const schedule = useSubmit(async () => {
    await api.post(`${base}/${seg(post!.id)}/schedule`, { body: { at: target.current } });
    announce(target.current === 'now' ? 'Post published.' : target.current === null ? 'Post taken back to draft.' : 'Post scheduled.');
    onDone();
  });
  const remove = useSubmit(async () => {
    await api.delete(`${base}/${seg(post!.id)}`);
    announce('Post deleted.');
    onDone();
  });
  const error = save.error ?? schedule.error ?? remove.error;

  return (
    <section className="panel" aria-labelledby="post-form-title" style={{ marginBottom: 'var(--space-5)' }}>
      <h2 id="post-form-title">{post ? post.title : 'New post'}</h2>
      <form onSubmit={save.onSubmit}>
        <fieldset className="group" disabled={!canChange} style={{ border: 0, padding: 0 }}>
          <legend className="visually-hidden">Post</legend>
          <TextField label="Title" value={fields.title} onChange={set('title')} error={save.error?.at('title')} required />
          <TextField label="Address" value={fields.slug} onChange={set('slug')} error={save.error?.at('slug')} hint="Lower-case words joined by hyphens: spring-opening-hours." required />
          <TextAreaField label="Excerpt" value={fields.excerpt} onChange={set('excerpt')} error={save.error?.at('excerpt')} rows={2} />
          <TextAreaField label="Text" value={fields.body} onChange={set('body')} error={save.error?.at('body')} rows={10} />
        </fieldset>
        {canChange && (
          <div className="btn-row">
            <Button kind="primary" type="submit" busy={save.busy}>
              {post ? 'Save' : 'Create draft'}
            </Button>
            <Button kind="ghost" onClick={onCancel}>
              Close
            </Button>
            {post && (
              <Button kind="danger" onClick={() => setConfirming(true)}>
                Delete
              </Button>
            )}
          </div>
        )}
      </form>
      {post && canChange && (
        <form
          className="toolbar"
          style={{ marginTop: 'var(--space-4)' }}
          onSubmit={(e) => {
            e.preventDefault();
            scheduleTo(new Date(at).toISOString());
          }}
        >
          <TextField label="Publish at" type="datetime-local" value={at} onChange={setAt} error={schedule.error?.at('at')} />
          <Button type="submit" busy={schedule.busy} disabled={!at}>
            Schedule
          </Button>
          <Button kind="primary" onClick={() => scheduleTo('now')}>
            Publish now
          </Button>
          {post.status !== 'draft' && (
            <Button onClick={() => scheduleTo(null)}>
              Back to draft
            </Button>
          )}
        </form>
      )}
      {error && !error.errors.length && <ErrorNotice error={error} />}
      <ConfirmDialog open={confirming} title="Delete this post?" confirmLabel="Delete post" danger busy={remove.busy} onConfirm={() => void remove.run()} onCancel={() => setConfirming(false)}>
        <p>{post?.status === 'published' ? 'It disappears from the site at once.' : 'It was never shown to visitors.'} This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
