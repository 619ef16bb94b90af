import createEmotion from '@emotion/css/create-instance';
import type { CSSObject } from '@emotion/css/create-instance';
import type { ThemeColors, ThemeTokens } from './theme-schema.ts';

// A private emotion instance: on the server it keeps generated CSS in its cache, where we read it back.
const emotion = createEmotion({ key: 'mt' });

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function colorProperties(colors: Partial<ThemeColors>): Record<string, string> {
  return Object.fromEntries(Object.entries(colors).map(([name, value]) => [`--color-${kebab(name)}`, value]));
}

/**
 * Turns tokens into CSS custom properties on a class for `<html>`, plus base colours and fonts.
 * The same tokens always give the same class name and CSS.
 */
export function renderThemeCss(tokens: ThemeTokens): { className: string; css: string } {
  const dark = { ...tokens.colors, ...tokens.dark };
  const alwaysDark = tokens.colorScheme === 'dark';
  const base = alwaysDark ? dark : tokens.colors;
  const styles: CSSObject = {
    ...colorProperties(base),
    '--font-body': tokens.fonts.body,
    '--font-heading': tokens.fonts.heading,
    '--radius': tokens.radius,
    '--space': tokens.space,
    '--max-width': tokens.maxWidth,
    colorScheme: alwaysDark ? 'dark' : tokens.colorScheme === 'auto' ? 'light dark' : 'light',
    background: 'var(--color-background)',
    color: 'var(--color-text)',
    fontFamily: 'var(--font-body)',
  };
  if (tokens.colorScheme === 'auto' && tokens.dark) {
    styles['@media (prefers-color-scheme: dark)'] = colorProperties(dark);
  }
  const className = emotion.css(styles);
  const name = className.slice('mt-'.length);
  const css = emotion.cache.inserted[name];
  if (typeof css !== 'string') throw new Error('theme CSS was not generated');
  return { className, css };
}
