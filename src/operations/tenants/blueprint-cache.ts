import type { SectionValidator } from '../../compositions/validate-composition.ts';
import { loadBlueprint, type Blueprint } from '../../tenants/blueprints.ts';

// Blueprints are files of the checkout: read and checked once per process, not once per site a
// bulk run makes from them. A failed load is not kept, so a fixed file is seen on the next call.
const loaded = new Map<string, Promise<Blueprint>>();

export function cachedBlueprint(name: string, registry: SectionValidator): Promise<Blueprint> {
  let pending = loaded.get(name);
  if (!pending) {
    pending = loadBlueprint(name, registry);
    loaded.set(name, pending);
    pending.catch(() => loaded.delete(name));
  }
  return pending;
}
