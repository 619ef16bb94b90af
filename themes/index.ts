import type { ThemeTokens } from '../src/theme/theme-schema.ts';
import { forest } from './forest.ts';
import { midnight } from './midnight.ts';
import { ocean } from './ocean.ts';
import { sunrise } from './sunrise.ts';

/** Theme presets by name. A tenant names one and overrides some of its tokens. */
export const presets: Readonly<Record<string, ThemeTokens>> = { ocean, midnight, sunrise, forest };
