import { catalog } from './catalog.ts';
import { components } from './components.ts';
import { createRegistry } from './registry.ts';

/** The app's registry: every section type with its components. Used where pages render. */
export const registry = createRegistry(catalog, components);
