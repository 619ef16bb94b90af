import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import { readThemeView, type ThemeView } from './theme-view.ts';

/** The site's theme: preset, overrides, logo and favicon, its revision, resolved tokens and contrast. */
export const readTheme = defineOperation({
  name: 'theme.read',
  scope: 'tenant',
  action: 'theme.read',
  mutates: false,
  input: z.strictObject({}),
  run: (tx): Promise<ThemeView> => readThemeView(tx.trx, tx.tenant!.id),
});
