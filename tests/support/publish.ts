import type { Kysely } from 'kysely';
import { catalog } from '../../registry/catalog.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Actor } from '../../src/operations/actor.ts';
import { execute } from '../../src/operations/execute.ts';
import type { OperationContext } from '../../src/operations/operation.ts';
import { publishComposition } from '../../src/operations/pages/publish-composition.ts';
import type { SiteChangeNotifier } from '../../src/publishing/site-version.ts';

/** An operation context on `db` for tests: a fixed actor unless told, notices dropped unless told. */
export function testContext(db: Kysely<Database>, options: { actor?: Actor; notify?: SiteChangeNotifier; clock?: () => Date } = {}): OperationContext {
  return {
    db,
    actor: options.actor ?? { kind: 'cli', name: 'test' },
    clock: options.clock ?? (() => new Date()),
    notify: options.notify ?? (async () => {}),
    registry: catalog,
    logger: { warn: () => {} },
    clientAddress: null,
    platformDomain: 'localhost',
  };
}

/** Publishes a whole composition at its path, as `npm run publish-page` does. */
export function publishAs(
  db: Kysely<Database>,
  tenantId: string,
  composition: unknown,
  options: { actor?: Actor; notify?: SiteChangeNotifier } = {},
) {
  return execute(testContext(db, options), publishComposition, { tenant: { id: tenantId }, input: { composition } });
}
