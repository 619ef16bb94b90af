import type { ThemeTokens } from '../src/theme/theme-schema.ts';

/** Crisp blues on white, with a matching dark palette for visitors who prefer dark. */
export const ocean: ThemeTokens = {
  colorScheme: 'auto',
  colors: {
    background: '#ffffff',
    surface: '#f1f5f9',
    text: '#0f172a',
    muted: '#475569',
    primary: '#1d4ed8',
    onPrimary: '#ffffff',
    accent: '#0e7490',
    onAccent: '#ffffff',
    border: '#cbd5e1',
  },
  dark: {
    background: '#0b1220',
    surface: '#131c2e',
    text: '#e2e8f0',
    muted: '#94a3b8',
    primary: '#60a5fa',
    onPrimary: '#0b1220',
    accent: '#22d3ee',
    onAccent: '#0b1220',
    border: '#24324a',
  },
  fonts: {
    body: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    heading: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
  radius: '0.75rem',
  space: '1rem',
  maxWidth: '72rem',
};
