import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SectionValidator } from '../compositions/validate-composition.ts';
import { MosaicError } from '../errors/catalog.ts';
import type { TenantFile } from './tenant-file.ts';
import { readTenantFolder } from './tenant-folder.ts';
import { TENANTS_DIR } from './seed-demo.ts';

/** Starting points for new sites, one folder each, laid out like a tenant folder (`tenant.json`, `pages/`, `posts.json`). */
export const BLUEPRINTS_DIR = fileURLToPath(new URL('../../blueprints', import.meta.url));

export interface BlueprintSource {
  name: string;
  /** `blueprints/` for blueprints proper, `tenants/` for the demo sites, usable as blueprints too. */
  dir: string;
  kind: 'blueprint' | 'demo';
}

export interface Blueprint {
  name: string;
  kind: 'blueprint' | 'demo';
  plan: TenantFile['plan'];
  settings: Record<string, unknown>;
  theme: TenantFile['theme'];
  posts: { slug: string; title: string; excerpt: string; body: string; author: string | null; publishedAt: string }[];
  pages: unknown[];
}

const folders = async (dir: string) => (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory()).map((d) => d.name).sort();

/** Every blueprint; a blueprint's name wins over a demo site's of the same name. */
export async function listBlueprints(): Promise<BlueprintSource[]> {
  const own = await folders(BLUEPRINTS_DIR);
  const demos = (await folders(TENANTS_DIR)).filter((name) => !own.includes(name));
  return [...own.map((name) => ({ name, dir: BLUEPRINTS_DIR, kind: 'blueprint' as const })), ...demos.map((name) => ({ name, dir: TENANTS_DIR, kind: 'demo' as const }))];
}

/** Reads and checks one blueprint: `NotFound` for an unknown name, `InvalidTenantFile` listing every problem in its files. */
export async function loadBlueprint(name: string, registry: SectionValidator): Promise<Blueprint> {
  const source = (await listBlueprints()).find((b) => b.name === name);
  if (!source) throw new MosaicError('NotFound', `No blueprint is called "${name}".`, [{ path: 'blueprint', message: 'no such blueprint' }]);
  const folder = await readTenantFolder(source.dir, name, registry);
  if (folder.issues.length || !folder.definition) throw new MosaicError('InvalidTenantFile', `Blueprint "${name}" is not valid`, folder.issues);
  const { plan, settings, theme } = folder.definition;
  return { name, kind: source.kind, plan, settings, theme, posts: folder.posts, pages: folder.pages };
}
