import { z } from 'zod';
import type { Catalog } from '../../../registry/catalog.ts';
import { defineOperation } from '../operation.ts';

export interface SectionTypeView {
  type: string;
  label: string;
  description: string;
  /** JSON Schema (draft 2020-12) of the props an editor writes (the input side: defaults optional). */
  propsSchema: Record<string, unknown>;
  /** What a new section of this type starts with. */
  defaultProps: unknown;
  /** True when the default component runs in the browser. */
  interactive: boolean;
  /** The variants this site may name; `own` marks the site's own variant, used when a page names none. */
  variants: { name: string; description: string; interactive: boolean; own: boolean }[];
}

/** The section types a site's pages may use: what the editor builds its forms from. */
export const readRegistry = defineOperation({
  name: 'registry.read',
  scope: 'tenant',
  action: 'registry.read',
  mutates: false,
  input: z.strictObject({}),
  run: async (tx): Promise<{ sections: SectionTypeView[] }> => ({ sections: catalogFor(tx.context.registry, tx.tenant!.slug) }),
});

const schemas = new WeakMap<object, Record<string, unknown>>();

/** The catalog as one tenant sees it: other tenants' own variants left out. */
export function catalogFor(catalog: Catalog, tenantSlug: string): SectionTypeView[] {
  return catalog.types().map((type) => {
    const spec = catalog.get(type)!;
    let propsSchema = schemas.get(spec.schema);
    if (!propsSchema) {
      // Refinements (an image's alt text unless decorative) are checked on publish; JSON Schema cannot say them.
      propsSchema = z.toJSONSchema(spec.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      schemas.set(spec.schema, propsSchema);
    }
    return {
      type,
      label: spec.label,
      description: spec.description,
      propsSchema,
      defaultProps: spec.defaultProps,
      interactive: spec.interactive,
      variants: Object.entries(spec.variants)
        .filter(([, variant]) => variant.tenant === undefined || variant.tenant === tenantSlug)
        .map(([name, variant]) => ({ name, description: variant.description, interactive: variant.interactive === true, own: variant.tenant === tenantSlug })),
    };
  });
}
