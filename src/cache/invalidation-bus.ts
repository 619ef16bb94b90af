import { z } from 'zod';

/** Paths an announcement names at most; a change of more pages names none (every page may have changed). */
export const MAX_ANNOUNCED_PATHS = 100;

export const invalidationMessageSchema = z.object({
  tenantId: z.uuid(),
  siteVersion: z.number().int().nonnegative(),
  reason: z.string().max(200),
  origin: z.string().max(200),
  /** Hostnames whose routing changed (domains added, moved or removed): every instance forgets their lookups. */
  hostnames: z.array(z.string().max(253)).max(500).optional(),
  /** The pages whose content changed, when the change is one page's: every instance fetches them into memory. */
  paths: z.array(z.string().max(2048)).max(MAX_ANNOUNCED_PATHS).optional(),
});

/** "This tenant changed; its site version is now N." Sent after the change commits. */
export type InvalidationMessage = z.infer<typeof invalidationMessageSchema>;

export type InvalidationHandler = (message: InvalidationMessage) => void;

/** Tells every instance (the sender included) that a tenant changed. */
export interface InvalidationBus {
  publish(message: InvalidationMessage): Promise<void>;
  subscribe(handler: InvalidationHandler): () => void;
  /** Resolves once messages published from now on will reach this instance's handlers. */
  ready(): Promise<void>;
  close(): Promise<void>;
}
