import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { presets } from '../../../themes/index.ts';
import { AA_NORMAL_TEXT, contrastReport, type ContrastCheck } from '../../theme/contrast.ts';
import type { ThemeColors, ThemeOverrides, ThemeTokens } from '../../theme/theme-schema.ts';
import { ApiError, seg } from '../api-client.ts';
import type { MediaView, Paged, ThemeView } from '../api-types.ts';
import type { ScreenProps } from '../screens.ts';
import { useApi } from '../session.tsx';
import { useSiteRole } from '../site-role.ts';
import { useLoad } from '../use-load.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ErrorNotice, Loading, useAnnounce } from '../ui/feedback.tsx';
import { SelectField, TextField } from '../ui/fields.tsx';

type Palette = 'light' | 'dark';
const COLOURS: { key: keyof ThemeColors; label: string }[] = [
  { key: 'background', label: 'Background' },
  { key: 'surface', label: 'Surface' },
  { key: 'text', label: 'Text' },
  { key: 'muted', label: 'Muted text' },
  { key: 'primary', label: 'Primary' },
  { key: 'onPrimary', label: 'Text on primary' },
  { key: 'accent', label: 'Accent' },
  { key: 'onAccent', label: 'Text on accent' },
  { key: 'border', label: 'Border' },
];

interface Draft {
  preset: string;
  overrides: ThemeOverrides;
  logoUrl: string | null;
  faviconUrl: string | null;
}

/** A preset with overrides over it, as the server resolves them (without its validation). */
function resolve(draft: Draft): ThemeTokens {
  const preset = presets[draft.preset] ?? presets.ocean!;
  const o = draft.overrides;
  return {
    ...preset,
    colorScheme: o.colorScheme ?? preset.colorScheme,
    radius: o.radius ?? preset.radius,
    space: o.space ?? preset.space,
    maxWidth: o.maxWidth ?? preset.maxWidth,
    colors: { ...preset.colors, ...o.colors },
    dark: preset.dark || o.dark ? { ...preset.colors, ...preset.dark, ...o.dark } : undefined,
    fonts: { ...preset.fonts, ...o.fonts },
  };
}

/** Each colour's failing pairs in a palette, as messages at the colour: both sides of a pair are named. */
function failuresByColour(checks: readonly ContrastCheck[], palette: Palette): Map<string, string> {
  const messages = new Map<string, string[]>();
  for (const check of checks) {
    if (check.palette !== palette || check.passesAA) continue;
    const [fg, bg] = check.pair.split('/') as [string, string];
    for (const [colour, other] of [[fg, bg], [bg, fg]] as const) {
      const list = messages.get(colour) ?? [];
      list.push(`contrast with ${other} is ${check.ratio}:1, below ${AA_NORMAL_TEXT}:1`);
      messages.set(colour, list);
    }
  }
  return new Map([...messages].map(([k, v]) => [k, `Too little contrast: ${v.join('; ')}.`]));
}

/** The site's theme: preset, colours (light and dark), fonts, radius, spacing, logo and favicon, previewed as you change them. */
export function ThemeScreen({ params }: ScreenProps) {
  const tenant = params.tenant!;
  const api = useApi();
  const theme = useLoad(`theme:${tenant}`, (signal) => api.get<ThemeView>(`/tenants/${seg(tenant)}/theme`, { signal }));
  const media = useLoad(`media:${tenant}`, (signal) => api.get<Paged<MediaView>>(`/tenants/${seg(tenant)}/media`, { query: { limit: 100 }, signal }).then((r) => r.data));
  if (theme.state === 'failed' && !theme.data) return <ErrorNotice error={theme.error} retry={theme.reload} />;
  if (!theme.data) return <Loading label="Loading the theme…" />;
  return <ThemeForm key={theme.data.etag ?? ''} tenant={tenant} saved={theme.data.data} etag={theme.data.etag} images={media.data?.items ?? []} onSaved={theme.reload} />;
}

function ThemeForm({ tenant, saved, etag, images, onSaved }: { tenant: string; saved: ThemeView; etag: string | null; images: MediaView[]; onSaved: () => void }) {
  const api = useApi();
  const announce = useAnnounce();
  const canChange = useSiteRole(tenant).atLeast('editor');
  const [draft, setDraft] = useState<Draft>({ preset: saved.preset, overrides: saved.overrides as ThemeOverrides, logoUrl: saved.logoUrl, faviconUrl: saved.faviconUrl });
  const [palette, setPalette] = useState<Palette>('light');
  const [stale, setStale] = useState(false);
  const tokens = useMemo(() => resolve(draft), [draft]);
  const checks = useMemo(() => contrastReport(tokens), [tokens]);
  const failing = checks.filter((c) => !c.passesAA);
  const atColour = failuresByColour(checks, palette);
  const colours: ThemeColors = palette === 'light' ? tokens.colors : { ...tokens.colors, ...tokens.dark };
  const paletteShown = palette === 'light' ? tokens.colorScheme !== 'dark' : tokens.colorScheme !== 'light';

  const setOverride = (patch: (o: ThemeOverrides) => ThemeOverrides) => setDraft((d) => ({ ...d, overrides: patch(structuredClone(d.overrides)) }));
  const setColour = (key: keyof ThemeColors, value: string) =>
    setOverride((o) => (palette === 'light' ? { ...o, colors: { ...o.colors, [key]: value } } : { ...o, dark: { ...o.dark, [key]: value } }));

  const submit = useSubmit(async () => {
    try {
      await api.put(`/tenants/${seg(tenant)}/theme`, { body: draft, ifMatch: etag });
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setStale(true);
      throw error;
    }
    announce('Theme saved. Visitors see it now.');
    onSaved();
  });
  const serverAt = (path: string) => submit.error?.errors.find((e) => e.path === path || e.path.endsWith(path))?.message;
  const imageOptions = [{ value: '', label: 'None' }, ...images.map((m) => ({ value: m.sources[0]?.webp ?? '', label: m.alt }))];
  const previewStyle = {
    background: colours.background,
    color: colours.text,
    fontFamily: tokens.fonts.body,
  } satisfies CSSProperties;

  useEffect(() => setStale(false), [etag]);

  return (
    <>
      <h1>Theme</h1>
      {!canChange && <p className="notice">You can look at the theme; changing it needs the editor role or above.</p>}
      {stale && (
        <div className="notice notice-warn" role="alert">
          <p>Someone saved the theme since you opened it. Your changes are still here; load theirs to start again from them.</p>
          <Button onClick={onSaved}>Load their version</Button>
        </div>
      )}
      <div className="theme-layout">
        <form onSubmit={submit.onSubmit} aria-label="Theme settings">
          <fieldset className="group" disabled={!canChange}>
            <legend>Basics</legend>
            <SelectField label="Preset" value={draft.preset} onChange={(preset) => setDraft((d) => ({ ...d, preset }))} options={Object.keys(presets).map((p) => ({ value: p, label: p }))} error={serverAt('preset')} />
            <SelectField
              label="Dark mode"
              value={tokens.colorScheme}
              onChange={(v) => setOverride((o) => ({ ...o, colorScheme: v as ThemeTokens['colorScheme'] }))}
              options={[
                { value: 'auto', label: 'Follow the visitor’s setting' },
                { value: 'light', label: 'Always light' },
                { value: 'dark', label: 'Always dark' },
              ]}
            />
          </fieldset>
          <fieldset className="group" disabled={!canChange}>
            <legend>Colours</legend>
            <SelectField label="Palette" value={palette} onChange={(v) => setPalette(v as Palette)} options={[{ value: 'light', label: 'Light' }, { value: 'dark', label: 'Dark' }]} hint={paletteShown ? undefined : 'Visitors never see this palette with the dark mode setting above.'} />
            {COLOURS.map(({ key, label }) => (
              <div className="colour-row" key={key}>
                <input type="color" aria-label={`${label} colour picker`} value={colours[key]} onChange={(e) => setColour(key, e.target.value)} />
                <TextField
                  label={label}
                  value={colours[key]}
                  onChange={(v) => setColour(key, v)}
                  error={paletteShown ? atColour.get(key) : undefined}
                  pattern="#[0-9a-fA-F]{6}"
                  data-token={`${palette}.${key}`}
                />
              </div>
            ))}
          </fieldset>
          <fieldset className="group" disabled={!canChange}>
            <legend>Type and shape</legend>
            <TextField label="Body font" value={tokens.fonts.body} onChange={(v) => setOverride((o) => ({ ...o, fonts: { ...o.fonts, body: v } }))} error={serverAt('overrides.fonts.body')} />
            <TextField label="Heading font" value={tokens.fonts.heading} onChange={(v) => setOverride((o) => ({ ...o, fonts: { ...o.fonts, heading: v } }))} error={serverAt('overrides.fonts.heading')} />
            <TextField label="Corner radius" value={tokens.radius} onChange={(v) => setOverride((o) => ({ ...o, radius: v }))} error={serverAt('overrides.radius')} hint="Like 0.5rem or 8px." />
            <TextField label="Spacing" value={tokens.space} onChange={(v) => setOverride((o) => ({ ...o, space: v }))} error={serverAt('overrides.space')} hint="The base step, like 1rem." />
          </fieldset>
          <fieldset className="group" disabled={!canChange}>
            <legend>Logo and favicon</legend>
            <SelectField label="Logo" value={draft.logoUrl ?? ''} onChange={(v) => setDraft((d) => ({ ...d, logoUrl: v || null }))} options={withCurrent(imageOptions, draft.logoUrl)} hint="From the media library." error={serverAt('logoUrl')} />
            <SelectField label="Favicon" value={draft.faviconUrl ?? ''} onChange={(v) => setDraft((d) => ({ ...d, faviconUrl: v || null }))} options={withCurrent(imageOptions, draft.faviconUrl)} error={serverAt('faviconUrl')} />
          </fieldset>
          {failing.length > 0 && (
            <p className="notice notice-error" role="status">
              Saving is blocked: {failing.length} text and background pair{failing.length === 1 ? '' : 's'} fall below WCAG AA ({AA_NORMAL_TEXT}:1). The colours concerned say which.
            </p>
          )}
          {submit.error && submit.error.status !== 412 && <ErrorNotice error={submit.error} />}
          {canChange && (
            <Button kind="primary" type="submit" busy={submit.busy} disabled={failing.length > 0}>
              Save theme
            </Button>
          )}
        </form>
        <section className="theme-preview" aria-label="Preview" style={{ borderColor: colours.border }}>
          <div className="theme-preview-inner" style={previewStyle}>
            {draft.logoUrl && <span className="muted">Logo: {images.find((m) => m.sources[0]?.webp === draft.logoUrl)?.alt ?? draft.logoUrl}</span>}
            <h2 style={{ fontFamily: tokens.fonts.heading, margin: 0 }}>A heading in your theme</h2>
            <p style={{ margin: 0 }}>Body text on the background.</p>
            <p style={{ margin: 0, color: colours.muted }}>Muted text, for captions and dates.</p>
            <div style={{ background: colours.surface, padding: tokens.space, borderRadius: tokens.radius, border: `1px solid ${colours.border}` }}>Text on a surface.</div>
            <div className="btn-row">
              <span className="swatch-btn" style={{ background: colours.primary, color: colours.onPrimary, borderRadius: tokens.radius }}>
                Primary button
              </span>
              <span className="swatch-btn" style={{ background: colours.accent, color: colours.onAccent, borderRadius: tokens.radius }}>
                Accent
              </span>
            </div>
            <p style={{ margin: 0, fontSize: '0.875rem', color: colours.muted }}>{palette === 'light' ? 'Light' : 'Dark'} palette</p>
          </div>
        </section>
      </div>
    </>
  );
}

/** A stored address that is not in the library (an older upload, an https URL) stays choosable. */
function withCurrent(options: { value: string; label: string }[], current: string | null) {
  return current && !options.some((o) => o.value === current) ? [...options, { value: current, label: current }] : options;
}
