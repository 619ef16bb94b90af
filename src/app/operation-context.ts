import { catalog } from '../../registry/catalog.ts';
import type { Actor } from '../operations/actor.ts';
import type { OperationContext } from '../operations/operation.ts';
import type { AppServices } from './app-services.ts';

/** The context an operation runs with in this process, for one actor (a request's, a command's, the scheduler). */
export function operationContextFor(
  app: Pick<AppServices, 'db' | 'notify' | 'logger' | 'config'>,
  actor: Actor,
  clientAddress: string | null = null,
): OperationContext {
  return {
    db: app.db,
    actor,
    clock: () => new Date(),
    notify: app.notify,
    registry: catalog,
    logger: app.logger,
    clientAddress,
    platformDomain: app.config.platformDomain,
  };
}
