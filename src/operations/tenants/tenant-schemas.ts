import { z } from 'zod';

export const tenantNameSchema = z.string().trim().min(1).max(200);

/**
 * Free-form site settings: small, JSON-only (as `tenant.json` has them). Values are not described
 * further (a recursive JSON schema would give the API document an endless type); they arrive as
 * JSON and are stored as JSON.
 */
export const tenantSettingsSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((settings) => JSON.stringify(settings).length <= 16_384, 'settings must stay under 16 KiB');
