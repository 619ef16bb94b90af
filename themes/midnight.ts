import type { ThemeTokens } from '../src/theme/theme-schema.ts';

/** Always dark: near-black surfaces, signal green and violet. */
export const midnight: ThemeTokens = {
  colorScheme: 'dark',
  colors: {
    background: '#0a0f1a',
    surface: '#111827',
    text: '#e5e7eb',
    muted: '#9ca3af',
    primary: '#22c55e',
    onPrimary: '#04210f',
    accent: '#a78bfa',
    onAccent: '#0a0f1a',
    border: '#1f2937',
  },
  fonts: {
    body: "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    heading: "'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace",
  },
  radius: '0.375rem',
  space: '1rem',
  maxWidth: '76rem',
};
