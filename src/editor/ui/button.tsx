import type { ButtonHTMLAttributes } from 'react';

export type ButtonKind = 'primary' | 'secondary' | 'danger' | 'ghost';

/** The one button: its kind sets the look; `busy` disables it and says so to screen readers. */
export function Button({ kind = 'secondary', busy = false, className, disabled, children, type = 'button', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { kind?: ButtonKind; busy?: boolean }) {
  return (
    <button type={type} className={['btn', `btn-${kind}`, className].filter(Boolean).join(' ')} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {children}
    </button>
  );
}
