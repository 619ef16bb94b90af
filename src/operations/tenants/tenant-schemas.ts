import { z } from 'zod';

export const tenantNameSchema = z.string().trim().min(1).max(200);

/** Free-form site settings: small, JSON-only. */
export const tenantSettingsSchema = z
  .record(z.string().max(100), z.json())
  .refine((settings) => JSON.stringify(settings).length <= 16_384, 'settings must stay under 16 KiB');
