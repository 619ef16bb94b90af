import { useId, useRef } from 'react';
import type { FieldError } from '../api-client.ts';
import type { JsonSchema } from '../api-types.ts';
import { Button } from '../ui/button.tsx';
import { SelectField, SwitchField, TextAreaField, TextField } from '../ui/fields.tsx';
import { MediaPickerButton, mediaAddress } from './media-picker.tsx';
import { concrete, emptyValue, isImage, labelFor, typeOf } from './section-schema.ts';

interface FieldProps {
  name: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  /** The field's path in problem documents: `sections[2].props.title`. */
  path: string;
  errors: readonly FieldError[];
}

const errorAt = (errors: readonly FieldError[], path: string) => errors.find((e) => e.path === path)?.message;
const LONG_TEXT = 200;

/** A form for a section's props, built from their JSON Schema. */
export function SchemaForm({ schema, value, onChange, path, errors }: Omit<FieldProps, 'name'>) {
  return <ObjectFields schema={concrete(schema)} value={(value ?? {}) as Record<string, unknown>} onChange={onChange} path={path} errors={errors} />;
}

function ObjectFields({ schema, value, onChange, path, errors }: { schema: JsonSchema; value: Record<string, unknown>; onChange: (value: unknown) => void; path: string; errors: readonly FieldError[] }) {
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, child]) => (
        <Field
          key={key}
          name={key}
          schema={child}
          value={value[key]}
          path={`${path}.${key}`}
          errors={errors}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[key];
            else copy[key] = next;
            onChange(copy);
          }}
        />
      ))}
    </>
  );
}

function Field(props: FieldProps) {
  const { name, value, onChange, path, errors } = props;
  const schema = concrete(props.schema);
  const label = labelFor(name, schema);
  const error = errorAt(errors, path);
  const hint = schema.description;
  const type = typeOf(schema);
  if (schema.enum) {
    const options = schema.enum.map((v) => ({ value: String(v), label: String(v) }));
    const optional = props.schema.anyOf !== undefined;
    return <SelectField label={label} hint={hint} error={error} value={value === undefined ? '' : String(value)} onChange={(v) => onChange(v === '' ? undefined : v)} options={optional ? [{ value: '', label: '(none)' }, ...options] : options} />;
  }
  switch (type) {
    case 'string': {
      const text = typeof value === 'string' ? value : '';
      if (name === 'html') return <RichTextField label={label} value={text} onChange={onChange} error={error} />;
      if ((schema.maxLength ?? 0) > LONG_TEXT) return <TextAreaField label={label} hint={hint} error={error} value={text} onChange={onChange} />;
      return <TextField label={label} hint={hint} error={error} value={text} onChange={onChange} inputMode={name === 'href' ? 'url' : undefined} />;
    }
    case 'boolean':
      return <SwitchField label={label} hint={hint} error={error} checked={value === true} onChange={onChange} />;
    case 'number':
    case 'integer':
      return (
        <TextField
          label={label}
          hint={hint}
          error={error}
          type="number"
          min={schema.minimum}
          max={schema.maximum}
          step={type === 'integer' ? 1 : 'any'}
          value={typeof value === 'number' ? String(value) : ''}
          onChange={(v) => onChange(v === '' ? undefined : Number(v))}
        />
      );
    case 'array':
      return <ListField {...props} schema={schema} />;
    case 'object':
      return (
        <fieldset className="fieldset">
          <legend>{label}{isImage(schema) ? ' (image)' : ''}</legend>
          {value === undefined && props.schema.anyOf ? (
            <Button className="btn-small" onClick={() => onChange(emptyValue(schema))}>
              Add {label.toLowerCase()}
            </Button>
          ) : (
            <>
              <ObjectFields schema={schema} value={(value ?? {}) as Record<string, unknown>} onChange={onChange} path={path} errors={errors} />
              {isImage(schema) && <MediaPickerButton label={label} onPick={(item) => onChange(pickedImage(value, mediaAddress(item), item.alt))} />}
              {props.schema.anyOf && (
                <Button className="btn-small" kind="ghost" onClick={() => onChange(undefined)}>
                  Remove {label.toLowerCase()}
                </Button>
              )}
            </>
          )}
          {errorAt(errors, path) && <p className="field-error" role="alert">{errorAt(errors, path)}</p>}
        </fieldset>
      );
    default:
      return null;
  }
}

/** An image value pointing at a library image; alt text the editor already wrote is kept. */
function pickedImage(value: unknown, src: string, alt: string): Record<string, unknown> {
  const current = (value ?? {}) as Record<string, unknown>;
  const written = typeof current.alt === 'string' && current.alt.trim() !== '';
  return { ...current, src, alt: written ? current.alt : alt };
}

/** Items of a list: add, remove and move each; a fieldset per item. */
function ListField({ name, schema, value, onChange, path, errors }: FieldProps) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = schema.items ?? {};
  const label = labelFor(name, schema);
  const set = (next: unknown[]) => onChange(next);
  const move = (from: number, to: number) => {
    const next = [...items];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    set(next);
  };
  const single = typeOf(itemSchema) !== 'object';
  return (
    <fieldset className="fieldset">
      <legend>{label}</legend>
      {items.map((item, i) => (
        <div key={i} className="list-item">
          {single ? (
            <Field name={`${label} ${i + 1}`} schema={itemSchema} value={item} path={`${path}[${i}]`} errors={errors} onChange={(v) => set(items.map((old, j) => (j === i ? v : old)))} />
          ) : (
            <fieldset className="fieldset">
              <legend>
                {label} {i + 1}
              </legend>
              <ObjectFields schema={concrete(itemSchema)} value={(item ?? {}) as Record<string, unknown>} path={`${path}[${i}]`} errors={errors} onChange={(v) => set(items.map((old, j) => (j === i ? v : old)))} />
            </fieldset>
          )}
          <span className="btn-row">
            <Button className="btn-small" disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={`Move ${label.toLowerCase()} ${i + 1} up`}>
              Up
            </Button>
            <Button className="btn-small" disabled={i === items.length - 1} onClick={() => move(i, i + 1)} aria-label={`Move ${label.toLowerCase()} ${i + 1} down`}>
              Down
            </Button>
            <Button className="btn-small" kind="ghost" onClick={() => set(items.filter((_, j) => j !== i))} aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}>
              Remove
            </Button>
          </span>
        </div>
      ))}
      <Button className="btn-small" disabled={schema.maxItems !== undefined && items.length >= schema.maxItems} onClick={() => set([...items, emptyValue(itemSchema)])}>
        Add {label.toLowerCase().replace(/s$/, '')}
      </Button>
      {errorAt(errors, path) && <p className="field-error" role="alert">{errorAt(errors, path)}</p>}
    </fieldset>
  );
}

// The toolbar writes only markup the sanitizer keeps (headings, paragraphs, strong, em, links, lists).
const WRAPS: readonly { label: string; before: string; after: string }[] = [
  { label: 'Heading', before: '<h2>', after: '</h2>' },
  { label: 'Bold', before: '<strong>', after: '</strong>' },
  { label: 'Italic', before: '<em>', after: '</em>' },
  { label: 'Paragraph', before: '<p>', after: '</p>' },
  { label: 'List item', before: '<ul><li>', after: '</li></ul>' },
  { label: 'Link', before: '<a href="/">', after: '</a>' },
];

/** Rich text as the sanitizer's small HTML: a textarea with a toolbar that wraps the selection. */
function RichTextField({ label, value, onChange, error }: { label: string; value: string; onChange: (value: string) => void; error: string | undefined }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const wrap = (before: string, after: string) => {
    const area = ref.current;
    if (!area) return;
    const { selectionStart: start, selectionEnd: end } = area;
    onChange(value.slice(0, start) + before + value.slice(start, end) + after + value.slice(end));
    requestAnimationFrame(() => {
      area.focus();
      area.setSelectionRange(start + before.length, end + before.length);
    });
  };
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <div className="btn-row" role="toolbar" aria-label={`${label} formatting`}>
        {WRAPS.map((w) => (
          <Button key={w.label} className="btn-small" onClick={() => wrap(w.before, w.after)}>
            {w.label}
          </Button>
        ))}
      </div>
      <textarea id={id} ref={ref} rows={8} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} />
      <p className="field-hint">Headings, paragraphs, bold, italic, links and lists; anything else is removed when the page is shown.</p>
      {error && <p className="field-error" role="alert">{error}</p>}
    </div>
  );
}
