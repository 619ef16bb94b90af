import type { FieldError } from '../api-client.ts';
import type { JsonSchema } from '../api-types.ts';

/** The schema itself, or the non-null branch of an optional (`anyOf: [X, {type: 'null'}]`). */
export function concrete(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  return branches.find((b) => b.type !== 'null') ?? schema;
}

export const typeOf = (schema: JsonSchema): string | undefined => {
  const type = concrete(schema).type;
  return Array.isArray(type) ? type.find((t) => t !== 'null') : type;
};

/** Images are `{ src, alt, decorative? }`: alt text is required unless marked decorative. */
export const isImage = (schema: JsonSchema): boolean => {
  const props = concrete(schema).properties;
  return props !== undefined && 'src' in props && 'alt' in props;
};

const present = (value: unknown) => value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');

/**
 * The problems a value has against its props schema, each at its path (`sections[2].props.title`),
 * as the server lists them on publish; checked as the editor types, so errors show at the field
 * before anyone presses Publish. The server's check on publish stays the one that decides.
 */
export function validateValue(schema: JsonSchema, value: unknown, path: string): FieldError[] {
  const s = concrete(schema);
  const errors: FieldError[] = [];
  const type = typeOf(s);
  if (value === undefined || value === null) return errors;
  if (type === 'string' && typeof value === 'string') {
    const length = value.trim().length;
    if (s.minLength !== undefined && length < s.minLength) errors.push({ path, message: s.minLength === 1 ? 'required' : `must be at least ${s.minLength} characters` });
    if (s.maxLength !== undefined && value.length > s.maxLength) errors.push({ path, message: `must be at most ${s.maxLength} characters` });
    if (s.pattern && length > 0 && !new RegExp(s.pattern).test(value)) errors.push({ path, message: patternMessage(path) });
    if (s.enum && !s.enum.includes(value)) errors.push({ path, message: `must be one of ${s.enum.join(', ')}` });
  }
  if ((type === 'number' || type === 'integer') && typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) errors.push({ path, message: `must be at least ${s.minimum}` });
    if (s.maximum !== undefined && value > s.maximum) errors.push({ path, message: `must be at most ${s.maximum}` });
  }
  if (type === 'array' && Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push({ path, message: `needs at least ${s.minItems}` });
    if (s.maxItems !== undefined && value.length > s.maxItems) errors.push({ path, message: `takes at most ${s.maxItems}` });
    if (s.items) value.forEach((item, i) => errors.push(...validateValue(s.items!, item, `${path}[${i}]`)));
  }
  if (type === 'object' && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    // An image's missing alt gets the message publishing gives (below), not a bare "required".
    for (const key of s.required ?? []) if (!(key === 'alt' && isImage(s)) && !present(record[key]) && !(s.properties?.[key] && 'default' in s.properties[key]!)) errors.push({ path: `${path}.${key}`, message: 'required' });
    for (const [key, child] of Object.entries(s.properties ?? {})) if (present(record[key])) errors.push(...validateValue(child, record[key], `${path}.${key}`));
    if (isImage(s) && record.decorative !== true && !present(record.alt)) errors.push({ path: `${path}.alt`, message: 'alt text is required unless decorative' });
  }
  return errors;
}

const patternMessage = (path: string) => (/href$/.test(path) ? 'must be a site path, #anchor, http(s), mailto: or tel: link' : 'is not in the expected form');

/** A fresh value for a new item of a list (or a new section's missing props). */
export function emptyValue(schema: JsonSchema): unknown {
  const s = concrete(schema);
  if (s.default !== undefined) return structuredClone(s.default);
  switch (typeOf(s)) {
    case 'string':
      return s.enum ? s.enum[0] : '';
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return s.minimum ?? 0;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) if (s.properties?.[key]) out[key] = emptyValue(s.properties[key]!);
      return out;
    }
    default:
      return null;
  }
}

/** A readable label from a property name (`primaryCta` → `Primary cta`). */
export function labelFor(key: string, schema: JsonSchema): string {
  if (schema.title) return schema.title;
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}
