import { z } from 'zod';

export const invalidationMessageSchema = z.object({
  tenantId: z.uuid(),
  siteVersion: z.number().int().nonnegative(),
  reason: z.string().max(200),
  origin: z.string().max(200),
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
