import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { AA_NORMAL_TEXT } from '../../theme/contrast.ts';
import { contrastReport, resolveTheme, themeIssues } from '../../theme/index.ts';
import { assetUrlSchema } from '../../validation/asset-url.ts';
import { defineOperation } from '../operation.ts';
import { readThemeView, type ThemeView } from './theme-view.ts';

/**
 * Replaces the site's theme: preset, overrides, logo and favicon. Refused when someone saved it
 * since `expectedRevision` (`PreconditionFailed`, with the current theme), when the preset or an
 * override is not valid (every path named), and when any text would fall below WCAG AA contrast
 * (`ThemeContrast`, naming each pair and its ratio). Visitors see a saved theme at once.
 */
export const updateTheme = defineOperation({
  name: 'theme.update',
  scope: 'tenant',
  action: 'theme.update',
  mutates: true,
  input: z.strictObject({
    expectedRevision: z.coerce.number().int().min(0).max(2_147_483_647),
    preset: z.string().min(1).max(60),
    overrides: z.record(z.string(), z.unknown()).default({}),
    logoUrl: assetUrlSchema.nullable().default(null),
    faviconUrl: assetUrlSchema.nullable().default(null),
  }),
  async run(tx, input): Promise<ThemeView> {
    const tenantId = tx.tenant!.id;
    // Writers to one theme take turns from here.
    const locked = await tx.trx.selectFrom('themes').select('revision').where('tenant_id', '=', tenantId).forUpdate().executeTakeFirst();
    const current = await readThemeView(tx.trx, tenantId);
    if ((locked?.revision ?? 0) !== input.expectedRevision) {
      throw new MosaicError('PreconditionFailed', `The theme was saved since revision ${input.expectedRevision}; it is now at revision ${current.revision}.`, [], { current });
    }
    const issues = themeIssues(input.preset, input.overrides);
    if (issues.length) throw new MosaicError('InvalidInput', undefined, issues);
    const failures = contrastReport(resolveTheme(input.preset, input.overrides)).filter((check) => !check.passesAA);
    if (failures.length) {
      throw new MosaicError(
        'ThemeContrast',
        undefined,
        failures.map((f) => ({ path: `${f.palette}.${f.pair}`, message: `contrast ${f.ratio}:1 is below ${AA_NORMAL_TEXT}:1` })),
        { failures: failures.map((f) => ({ palette: f.palette, pair: f.pair, ratio: f.ratio, required: AA_NORMAL_TEXT })) },
      );
    }
    const values = {
      preset: input.preset,
      overrides: JSON.stringify(input.overrides),
      logo_url: input.logoUrl,
      favicon_url: input.faviconUrl,
      revision: input.expectedRevision + 1,
      updated_at: tx.now,
    };
    if (locked) await tx.trx.updateTable('themes').set(values).where('tenant_id', '=', tenantId).execute();
    else await tx.trx.insertInto('themes').values({ ...values, tenant_id: tenantId }).execute();
    const siteVersion = await tx.siteChanged('theme');
    const stored = (view: ThemeView) => ({ preset: view.preset, overrides: view.overrides, logoUrl: view.logoUrl, faviconUrl: view.faviconUrl });
    const saved = await readThemeView(tx.trx, tenantId);
    await tx.audit({ subject: 'theme', before: stored(current), after: stored(saved), detail: { revision: saved.revision, siteVersion } });
    return saved;
  },
});
