import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PageComposition } from '../compositions/composition-schema.ts';
import { validateComposition, type SectionValidator } from '../compositions/validate-composition.ts';
import type { ErrorDetail } from '../errors/catalog.ts';
import { themeIssues } from '../theme/resolve-theme.ts';
import { formatIssuePath } from '../validation/issue-path.ts';
import { unstorableTextIssues } from '../validation/storable-text.ts';
import type { PostDefinition, TenantDefinition } from './provision-tenant.ts';
import { postsFileSchema, tenantFileSchema } from './tenant-file.ts';

export interface TenantFolder {
  folder: string;
  /** Null when the tenant file does not match its schema; set but unusable when `issues` is not empty. */
  definition: TenantDefinition | null;
  posts: PostDefinition[];
  /** The pages that are valid. */
  pages: PageComposition[];
  /** Every problem in the folder, each path starting with the file it is in. */
  issues: ErrorDetail[];
}

type Read = { ok: true; value: unknown } | { ok: false; missing: boolean; message: string };

/**
 * Reads and checks one `tenants/<slug>/` folder without writing anything: `tenant.json` (schema,
 * text PostgreSQL cannot store, theme preset and overrides, slug matching the folder),
 * `posts.json` and every page in `pages/`. Never throws for a bad file; reports it.
 */
export async function readTenantFolder(root: string, folder: string, registry: SectionValidator): Promise<TenantFolder> {
  const issues: ErrorDetail[] = [];
  const report = (file: string, list: readonly { path: string; message: string }[]) => {
    for (const i of list) issues.push({ path: `${folder}/${file}: ${i.path}`, message: i.message });
  };
  const read = (file: string) => readJson(path.join(root, folder, file));

  const tenantRaw = await read('tenant.json');
  let definition: TenantDefinition | null = null;
  if (!tenantRaw.ok) report('tenant.json', [{ path: '(file)', message: tenantRaw.message }]);
  else {
    const parsed = tenantFileSchema.safeParse(tenantRaw.value);
    const problems = [...unstorableTextIssues(tenantRaw.value), ...(parsed.success ? [] : zodIssues(parsed.error.issues))];
    // The theme is checked even when other fields are wrong, so one run lists everything.
    const theme = (tenantRaw.value as { theme?: { preset?: unknown; overrides?: unknown } } | null)?.theme;
    if (typeof theme?.preset === 'string') {
      problems.push(...themeIssues(theme.preset, theme.overrides).map((i) => ({ path: `theme.${i.path}`, message: i.message })));
    }
    if (parsed.success && parsed.data.slug !== folder) problems.push({ path: 'slug', message: `must match the folder name "${folder}"` });
    report('tenant.json', problems);
    // Kept even when the file has other problems, so its domains are checked against the others'.
    if (parsed.success) definition = parsed.data;
  }

  const postsRaw = await read('posts.json');
  let posts: PostDefinition[] = [];
  if (!postsRaw.ok && !postsRaw.missing) report('posts.json', [{ path: '(file)', message: postsRaw.message }]);
  else if (postsRaw.ok) {
    const parsed = postsFileSchema.safeParse(postsRaw.value);
    const problems = [...unstorableTextIssues(postsRaw.value), ...(parsed.success ? [] : zodIssues(parsed.error.issues))];
    report('posts.json', problems);
    if (parsed.success) posts = parsed.data;
  }

  const pages: PageComposition[] = [];
  const seenPaths = new Map<string, string>();
  const slug = definition?.slug ?? folder;
  const pageFiles = (await readdir(path.join(root, folder, 'pages')).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  for (const file of pageFiles) {
    const raw = await read(path.join('pages', file));
    if (!raw.ok) {
      report(`pages/${file}`, [{ path: '(file)', message: raw.message }]);
      continue;
    }
    const checked = validateComposition(raw.value, slug, registry);
    if (!checked.ok) {
      report(`pages/${file}`, checked.issues);
      continue;
    }
    const other = seenPaths.get(checked.composition.path);
    if (other) report(`pages/${file}`, [{ path: 'path', message: `${checked.composition.path} is also the path of pages/${other}` }]);
    seenPaths.set(checked.composition.path, file);
    pages.push(checked.composition);
  }

  return { folder, definition, posts, pages, issues };
}

async function readJson(file: string): Promise<Read> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, message: missing ? 'file is missing' : `cannot be read: ${(error as Error).message}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, missing: false, message: `is not valid JSON: ${(error as Error).message}` };
  }
}

function zodIssues(list: readonly { path: readonly PropertyKey[]; message: string }[]): ErrorDetail[] {
  return list.map((i) => ({ path: formatIssuePath(i.path) || '(root)', message: i.message }));
}
