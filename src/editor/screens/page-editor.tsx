import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { seg, type ApiClient, type FieldError } from '../api-client.ts';
import type { Draft, PageView, SectionData, SectionType } from '../api-types.ts';
import { HistoryPanel } from '../page-editor/history-panel.tsx';
import { MediaPickerButton, MediaSite, mediaAddress } from '../page-editor/media-picker.tsx';
import { Outline } from '../page-editor/outline.tsx';
import { PathSetting } from '../page-editor/path-setting.tsx';
import { PreviewFrame } from '../page-editor/preview-frame.tsx';
import { SchemaForm } from '../page-editor/schema-form.tsx';
import { emptyValue, validateValue } from '../page-editor/section-schema.ts';
import { useDraft, type SaveState } from '../page-editor/use-draft.ts';
import { Link } from '../router.tsx';
import { screenPath, type ScreenProps } from '../screens.ts';
import { useCan, useSession } from '../session.tsx';
import { useLoad } from '../use-load.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ErrorNotice, Loading, useAnnounce } from '../ui/feedback.tsx';
import { SelectField, TextAreaField, TextField } from '../ui/fields.tsx';
import { PageStateBadges } from '../ui/page-state.tsx';

/** The page editor: outline, section form, page settings, live preview, publish and history. */
export function PageEditorScreen({ params }: ScreenProps) {
  const { api } = useSession();
  // Viewers preview only (the API refuses their changes anyway).
  const allowed = useCan(params.tenant!);
  const tenant = params.tenant!;
  const pageId = params.pageId!;
  const base = `/tenants/${seg(tenant)}`;
  const loaded = useLoad(`page:${tenant}:${pageId}`, async (signal) => {
    const [page, registry] = await Promise.all([api.get<PageView>(`${base}/pages/${seg(pageId)}`, { signal }), api.get<{ sections: SectionType[] }>(`${base}/registry`, { signal })]);
    return { page: page.data, etag: page.etag, types: registry.data.sections };
  });
  if (loaded.state === 'failed') {
    return (
      <div className="content-pad" data-testid="editor-error">
        <ErrorNotice error={loaded.error} retry={loaded.error.status >= 500 ? loaded.reload : undefined} />
        <Link to={screenPath('pages', { tenant })}>Back to the pages</Link>
      </div>
    );
  }
  if (loaded.state === 'loading') return <Loading label="Opening the page…" />;
  return <Editor api={api} tenant={tenant} page={loaded.data.page} etag={loaded.data.etag} types={loaded.data.types} readOnly={!allowed('page.edit')} reload={loaded.reload} />;
}

let nextId = 0;
const freshId = () => `s${++nextId}`;

function Editor({ api, tenant, page, etag, types, readOnly, reload }: { api: ApiClient; tenant: string; page: PageView; etag: string | null; types: SectionType[]; readOnly: boolean; reload: () => void }) {
  const announce = useAnnounce();
  const typeMap = useMemo(() => new Map(types.map((t) => [t.type, t])), [types]);
  const [revision, setRevision] = useState<string | null>(etag);
  const doc = useDraft(api, tenant, page.id, { draft: page.draft, etag }, setRevision);
  const { draft } = doc;
  const ids = useRef<string[]>(page.draft.sections.map(freshId));
  if (ids.current.length !== draft.sections.length) ids.current = draft.sections.map((_, i) => ids.current[i] ?? freshId());
  const [selected, setSelected] = useState<number | null>(draft.sections.length ? 0 : null);
  const [tab, setTab] = useState<'section' | 'page' | 'history'>('section');
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [generation, setGeneration] = useState(0);
  const [adding, setAdding] = useState(types[0]?.type ?? '');

  // Errors as publishing would list them: the registry's schemas, checked as the editor types.
  const errors = useMemo(() => {
    const found: FieldError[] = [];
    if (!draft.title.trim()) found.push({ path: 'title', message: 'required' });
    draft.sections.forEach((s, i) => {
      const type = typeMap.get(s.type);
      if (!type) found.push({ path: `sections[${i}].type`, message: `${s.type} is not a section this site may use` });
      else found.push(...validateValue(type.propsSchema, s.props, `sections[${i}].props`));
    });
    return found;
  }, [draft, typeMap]);
  const allErrors = serverErrors.length ? [...errors, ...serverErrors.filter((e) => !errors.some((o) => o.path === e.path))] : errors;
  const invalid = useMemo(() => new Set(allErrors.map((e) => /^sections\[(\d+)\]/.exec(e.path)).filter(Boolean).map((m) => Number(m![1]))), [allErrors]);

  const setSections = (sections: SectionData[], key = '') => {
    setServerErrors([]);
    doc.change({ ...draft, sections }, key);
  };
  const move = (from: number, to: number) => {
    if (to < 0 || to >= draft.sections.length) return;
    const sections = [...draft.sections];
    const [moved] = sections.splice(from, 1);
    sections.splice(to, 0, moved!);
    const order = [...ids.current];
    const [id] = order.splice(from, 1);
    order.splice(to, 0, id!);
    ids.current = order;
    setSections(sections);
    setSelected(to);
    announce(`${typeMap.get(moved!.type)?.label ?? moved!.type} moved to position ${to + 1} of ${sections.length}.`);
  };
  const add = () => {
    const type = typeMap.get(adding);
    if (!type) return;
    const props = { ...(emptyValue(type.propsSchema) as Record<string, unknown>), ...(structuredClone(type.defaultProps ?? {}) as Record<string, unknown>) };
    const sections = [...draft.sections, { type: type.type, props }];
    ids.current = [...ids.current, freshId()];
    setSections(sections);
    setSelected(sections.length - 1);
    setTab('section');
    announce(`${type.label} added as section ${sections.length}.`);
  };
  const duplicate = (i: number) => {
    const sections = [...draft.sections];
    sections.splice(i + 1, 0, structuredClone(draft.sections[i]!));
    ids.current = [...ids.current.slice(0, i + 1), freshId(), ...ids.current.slice(i + 1)];
    setSections(sections);
    setSelected(i + 1);
    announce(`Section ${i + 1} duplicated.`);
  };
  const toggleHidden = (i: number) => {
    const target = draft.sections[i]!;
    const label = typeMap.get(target.type)?.label ?? 'Section';
    const { hidden, ...rest } = target;
    setSections(draft.sections.map((s, j) => (j === i ? (hidden ? rest : { ...rest, hidden: true }) : s)));
    announce(hidden ? `${label} (section ${i + 1}) is shown to visitors again.` : `${label} (section ${i + 1}) is hidden from visitors.`);
  };
  const remove = (i: number) => {
    const label = typeMap.get(draft.sections[i]!.type)?.label ?? 'Section';
    ids.current = ids.current.filter((_, j) => j !== i);
    setSections(draft.sections.filter((_, j) => j !== i));
    setSelected(draft.sections.length > 1 ? Math.max(0, i - 1) : null);
    announce(`${label} removed. Undo brings it back.`);
  };

  // Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z (or Y) outside text fields, whose own undo stays theirs.
  useEffect(() => {
    const keys = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || readOnly) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select')) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) doc.undo();
      else if (key === 'y' || (key === 'z' && event.shiftKey)) doc.redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', keys);
    return () => window.removeEventListener('keydown', keys);
  }, [doc, readOnly]);

  const section = selected !== null ? draft.sections[selected] : undefined;
  const sectionType = section ? typeMap.get(section.type) : undefined;

  return (
    <div className="editor" data-testid="page-editor">
      <header className="editor-bar">
        <Link to={screenPath('pages', { tenant })} className="muted">
          ← Pages
        </Link>
        <h1 className="editor-title">{draft.title || '(untitled)'}</h1>
        <span className="muted">{page.path}</span>
        <PageStateBadges page={page} />
        <SaveStatus state={doc.state} readOnly={readOnly} />
        {!readOnly && (
          <span className="btn-row editor-actions">
            <Button kind="ghost" disabled={!doc.canUndo} onClick={doc.undo}>
              Undo
            </Button>
            <Button kind="ghost" disabled={!doc.canRedo} onClick={doc.redo}>
              Redo
            </Button>
            <PublishControls api={api} tenant={tenant} pageId={page.id} errors={allErrors} doc={doc} onPublished={() => { setGeneration((g) => g + 1); }} onRefused={setServerErrors} />
          </span>
        )}
      </header>
      {readOnly && <p className="notice">You can preview this page; your role does not include changing it.</p>}
      {doc.conflict && <ConflictPanel mine={draft} theirs={doc.conflict.theirs} by={doc.conflict.by} types={typeMap} onChoose={doc.resolve} />}
      {doc.state === 'failed' && doc.error && <ErrorNotice error={doc.error} retry={() => void doc.flush()} />}
      <MediaSite.Provider value={readOnly ? null : tenant}>
      <div className="editor-body">
        <aside className="editor-side" aria-label="Structure">
          <h2>Sections</h2>
          <Outline sections={draft.sections} ids={ids.current} types={typeMap} selected={selected} invalid={invalid} readOnly={readOnly} onSelect={(i) => { setSelected(i); setTab('section'); }} onMove={move} onDuplicate={duplicate} onRemove={remove} onToggleHidden={toggleHidden} />
          {!readOnly && (
            <div className="palette">
              <SelectField label="Add a section" value={adding} onChange={setAdding} options={types.map((t) => ({ value: t.type, label: t.label }))} hint={typeMap.get(adding)?.description} />
              <Button onClick={add}>Add section</Button>
            </div>
          )}
        </aside>
        <section className="editor-form" aria-label="Edit">
          <div className="tabs" role="tablist" aria-label="Edit">
            {(['section', 'page', 'history'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className="tab" onClick={() => setTab(t)}>
                {t === 'section' ? 'Section' : t === 'page' ? 'Page settings' : 'History'}
              </button>
            ))}
          </div>
          <div role="tabpanel" className="tabpanel">
            {tab === 'section' &&
              (section && sectionType ? (
                <fieldset disabled={readOnly} className="plain-fieldset">
                  <h2>{sectionType.label}</h2>
                  <p className="muted">{sectionType.description}</p>
                  <SelectField
                    label="Variant"
                    value={section.variant ?? ''}
                    onChange={(v) => setSections(draft.sections.map((s, i) => (i === selected ? { ...s, variant: v || undefined } : s)))}
                    options={[{ value: '', label: 'Standard' }, ...sectionType.variants.filter((v) => !v.own).map((v) => ({ value: v.name, label: `${v.name} — ${v.description}` }))]}
                    error={allErrors.find((e) => e.path === `sections[${selected}].variant`)?.message}
                  />
                  <SchemaForm
                    schema={sectionType.propsSchema}
                    value={section.props}
                    path={`sections[${selected}].props`}
                    errors={allErrors}
                    onChange={(props) => setSections(draft.sections.map((s, i) => (i === selected ? { ...s, props: props as Record<string, unknown> } : s)), `props:${selected}`)}
                  />
                </fieldset>
              ) : (
                <p className="muted">{draft.sections.length ? 'Select a section in the list to edit it.' : 'Add a section to start.'}</p>
              ))}
            {tab === 'page' && (
              <PageSettings draft={draft} readOnly={readOnly} errors={allErrors} onChange={(next, key) => doc.change(next, key)}>
                <PathSetting api={api} tenant={tenant} pageId={page.id} path={page.path} save={doc.flush} onChanged={reload} />
              </PageSettings>
            )}
            {tab === 'history' && <HistoryPanel api={api} tenant={tenant} pageId={page.id} generation={generation} readOnly={readOnly} onChanged={() => { setGeneration((g) => g + 1); reload(); }} />}
          </div>
        </section>
        <PreviewFrame api={api} tenant={tenant} pageId={page.id} revision={revision} selected={selected} onSelect={(i) => { setSelected(i); setTab('section'); }} />
      </div>
      </MediaSite.Provider>
    </div>
  );
}

function SaveStatus({ state, readOnly }: { state: SaveState; readOnly: boolean }) {
  if (readOnly) return null;
  const text = { saved: 'All changes saved', unsaved: 'Unsaved changes', saving: 'Saving…', conflict: 'Someone else saved this page', failed: 'Not saved' }[state];
  return (
    <span className={`save-status save-${state}`} role="status" data-testid="save-status">
      {text}
    </span>
  );
}

function PageSettings({ draft, readOnly, errors, onChange, children }: { draft: Draft; readOnly: boolean; errors: readonly FieldError[]; onChange: (next: Draft, key: string) => void; children: ReactNode }) {
  const meta = draft.meta as { description?: string; ogImage?: string };
  const at = (path: string) => errors.find((e) => e.path === path)?.message;
  const setMeta = (key: string, value: string) => {
    const next = { ...draft.meta } as Record<string, unknown>;
    if (value) next[key] = value;
    else delete next[key];
    onChange({ ...draft, meta: next as Draft['meta'] }, `meta:${key}`);
  };
  return (
    <fieldset disabled={readOnly} className="plain-fieldset">
      <h2>Page settings</h2>
      <TextField label="Title" value={draft.title} onChange={(title) => onChange({ ...draft, title }, 'title')} error={at('title')} required />
      <TextAreaField label="Description" value={meta.description ?? ''} onChange={(v) => setMeta('description', v)} error={at('meta.description')} hint="Shown by search engines and when the page is shared." />
      <TextField label="Social image" value={meta.ogImage ?? ''} onChange={(v) => setMeta('ogImage', v)} error={at('meta.ogImage')} hint="The address of an image, e.g. /brand/site/share.png." />
      <MediaPickerButton label="Social image" onPick={(item) => setMeta('ogImage', mediaAddress(item))} />
      {children}
    </fieldset>
  );
}

type Doc = ReturnType<typeof useDraft>;

/** Publish now (after saving), or at a time; disabled with the reasons while the draft is invalid. */
function PublishControls({ api, tenant, pageId, errors, doc, onPublished, onRefused }: { api: ApiClient; tenant: string; pageId: string; errors: readonly FieldError[]; doc: Doc; onPublished: () => void; onRefused: (errors: FieldError[]) => void }) {
  const announce = useAnnounce();
  const base = `/tenants/${seg(tenant)}/pages/${seg(pageId)}`;
  const [when, setWhen] = useState('');
  const [open, setOpen] = useState(false);
  const publish = useSubmit(async () => {
    await doc.flush();
    try {
      await api.post(`${base}/publish`, { body: {}, ifMatch: doc.etag() });
    } catch (failure) {
      onRefused((failure as { errors?: FieldError[] }).errors?.slice() ?? []);
      throw failure;
    }
    announce('Published. Visitors see this version now.');
    onPublished();
  });
  const schedule = useSubmit(async () => {
    await doc.flush();
    await api.post(`${base}/schedules`, { body: { at: new Date(when).toISOString() } });
    announce(`Scheduled for ${new Date(when).toLocaleString()}.`);
    setOpen(false);
    onPublished();
  });
  const blocked = errors.length > 0 || doc.conflict !== null;
  return (
    <>
      <Button kind="primary" disabled={blocked} busy={publish.busy} onClick={() => void publish.run()} aria-describedby={blocked ? 'publish-reasons' : undefined}>
        Publish
      </Button>
      <Button disabled={blocked} onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        Schedule…
      </Button>
      {open && (
        <form className="schedule-form" onSubmit={schedule.onSubmit}>
          <TextField label="Publish at" type="datetime-local" value={when} onChange={setWhen} required error={schedule.error?.at('at')} />
          <Button type="submit" kind="primary" busy={schedule.busy} disabled={!when}>
            Schedule
          </Button>
        </form>
      )}
      {blocked && (
        <div id="publish-reasons" className="notice notice-warn publish-reasons" data-testid="publish-reasons">
          <p>Publishing waits until these are fixed:</p>
          <ul>
            {doc.conflict && <li>Choose between your changes and the other ones.</li>}
            {errors.map((e) => (
              <li key={e.path + e.message}>
                <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {publish.error && publish.error.errors.length === 0 && <ErrorNotice error={publish.error} />}
    </>
  );
}

/** Both versions side by side, section by section; the editor keeps one. Nothing is lost: the other stays in undo. */
function ConflictPanel({ mine, theirs, by, types, onChoose }: { mine: Draft; theirs: Draft; by: string | null; types: ReadonlyMap<string, SectionType>; onChoose: (choice: 'mine' | 'theirs') => void }) {
  const describe = (d: Draft) => (
    <>
      <p>
        <strong>Title:</strong> {d.title || '(untitled)'}
      </p>
      <ol>
        {d.sections.map((s, i) => (
          <li key={i}>
            {types.get(s.type)?.label ?? s.type}: <span className="muted">{summary(s)}</span>
          </li>
        ))}
      </ol>
    </>
  );
  return (
    <section className="conflict" role="alertdialog" aria-labelledby="conflict-title" data-testid="conflict">
      <h2 id="conflict-title">{by ?? 'Someone else'} saved this page while you were editing</h2>
      <div className="grid-2">
        <div className="panel" data-testid="conflict-mine">
          <h3>Your version</h3>
          {describe(mine)}
          <Button kind="primary" onClick={() => onChoose('mine')}>
            Keep mine
          </Button>
        </div>
        <div className="panel" data-testid="conflict-theirs">
          <h3>Their version</h3>
          {describe(theirs)}
          <Button onClick={() => onChoose('theirs')}>Take theirs</Button>
        </div>
      </div>
      <p className="muted">The version you do not keep stays in Undo.</p>
    </section>
  );
}

const summary = (s: SectionData): string => {
  const texts = Object.values(s.props).filter((v): v is string => typeof v === 'string');
  return texts.join(' · ').slice(0, 140);
};
