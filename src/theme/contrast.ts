import type { ThemeColors, ThemeTokens } from './theme-schema.ts';

/** WCAG 2.x relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export const AA_NORMAL_TEXT = 4.5;

const PAIRS: [keyof ThemeColors, keyof ThemeColors][] = [
  ['text', 'background'],
  ['text', 'surface'],
  ['muted', 'background'],
  ['muted', 'surface'],
  ['onPrimary', 'primary'],
  ['onAccent', 'accent'],
  ['primary', 'background'],
];

export interface ContrastCheck {
  palette: 'light' | 'dark';
  pair: string;
  ratio: number;
  passesAA: boolean;
}

/** Every text/background pair the sections use, in each palette a visitor can see. */
export function contrastReport(tokens: ThemeTokens): ContrastCheck[] {
  const palettes: ['light' | 'dark', ThemeColors][] = [];
  if (tokens.colorScheme !== 'dark') palettes.push(['light', tokens.colors]);
  if (tokens.colorScheme === 'dark' || (tokens.colorScheme === 'auto' && tokens.dark)) {
    palettes.push(['dark', { ...tokens.colors, ...tokens.dark }]);
  }
  return palettes.flatMap(([palette, colors]) =>
    PAIRS.map(([fg, bg]) => {
      const ratio = contrastRatio(colors[fg], colors[bg]);
      return { palette, pair: `${fg}/${bg}`, ratio: Math.round(ratio * 100) / 100, passesAA: ratio >= AA_NORMAL_TEXT };
    }),
  );
}
