import type { Catalog } from './catalog.ts';
import type { SectionComponent, SectionComponents, SectionSpec } from './types.ts';

export interface ResolvedSection {
  definition: SectionSpec;
  component: SectionComponent;
  /** The variant used, or null for the default component. */
  variant: string | null;
}

export class UnknownSectionError extends Error {
  override name = 'UnknownSectionError';
}

export interface Registry extends Catalog {
  /**
   * Picks a section's component: the variant the page names (when this tenant may use it) →
   * the tenant's own variant of the type → the default. An unknown type throws; nothing is
   * silently left out of a page.
   */
  resolve(section: { type: string; variant?: string }, tenantSlug: string): ResolvedSection;
}

export function createRegistry(catalog: Catalog, components: Readonly<Record<string, SectionComponents>>): Registry {
  for (const type of catalog.types()) {
    const spec = catalog.get(type)!;
    const parts = components[type];
    if (!parts) throw new Error(`Section type "${type}" has no components.`);
    for (const variant of Object.keys(spec.variants)) {
      if (!parts.variants[variant]) throw new Error(`Variant "${variant}" of "${type}" has no component.`);
    }
  }
  return {
    ...catalog,
    resolve(section, tenantSlug) {
      const definition = catalog.get(section.type);
      const parts = components[section.type];
      if (!definition || !parts) throw new UnknownSectionError(`Unknown section type "${section.type}".`);
      const usable = (name: string) => {
        const spec = Object.hasOwn(definition.variants, name) ? definition.variants[name] : undefined;
        return spec !== undefined && (spec.tenant === undefined || spec.tenant === tenantSlug);
      };
      const named = section.variant && usable(section.variant) ? section.variant : null;
      const own = Object.entries(definition.variants).find(([, spec]) => spec.tenant === tenantSlug)?.[0] ?? null;
      const variant = named ?? own;
      return { definition, component: variant ? parts.variants[variant]! : parts.default, variant };
    },
  };
}
