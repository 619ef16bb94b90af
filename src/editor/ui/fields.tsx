import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldFrame {
  label: string;
  /** Shown under the control; an error replaces nothing, it is added and announced. */
  hint?: ReactNode;
  error?: string | undefined;
  /** Set on the control (`required`), which screen readers announce. */
  required?: boolean;
}

/** Label, control, hint and error wired together (`aria-describedby`, `aria-invalid`). */
function Frame({ id, label, hint, error, children }: FieldFrame & { id: string; children: (describedBy: string | undefined) => ReactNode }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children(describedBy)}
      {hint && <p id={hintId} className="field-hint">{hint}</p>}
      {error && <p id={errorId} className="field-error" role="alert">{error}</p>}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & FieldFrame & { value: string; onChange: (value: string) => void };

export function TextField({ label, hint, error, required, value, onChange, id: givenId, ...rest }: InputProps) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <Frame id={id} label={label} hint={hint} error={error} required={required}>
      {(describedBy) => (
        <input id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={describedBy} required={required} {...rest} />
      )}
    </Frame>
  );
}

type AreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value'> & FieldFrame & { value: string; onChange: (value: string) => void };

export function TextAreaField({ label, hint, error, required, value, onChange, id: givenId, ...rest }: AreaProps) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <Frame id={id} label={label} hint={hint} error={error} required={required}>
      {(describedBy) => (
        <textarea id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={describedBy} required={required} rows={4} {...rest} />
      )}
    </Frame>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> &
  FieldFrame & { value: string; onChange: (value: string) => void; options: readonly { value: string; label: string }[] };

export function SelectField({ label, hint, error, required, value, onChange, options, id: givenId, ...rest }: SelectProps) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <Frame id={id} label={label} hint={hint} error={error} required={required}>
      {(describedBy) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...rest}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Frame>
  );
}

export function SwitchField({ label, hint, error, checked, onChange }: FieldFrame & { checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={error ? 'field field-switch field-invalid' : 'field field-switch'}>
      <input id={id} type="checkbox" role="switch" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined} />
      <label htmlFor={id}>{label}</label>
      {hint && <p id={hintId} className="field-hint">{hint}</p>}
      {error && <p id={errorId} className="field-error" role="alert">{error}</p>}
    </div>
  );
}
