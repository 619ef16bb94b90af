import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ARCHIVE_EXTENSION, ARCHIVE_MEDIA_TYPE, unpackArchive } from '../archive/site-archive.ts';
import { execute } from '../operations/execute.ts';
import { exportTenant } from '../operations/tenants/export-tenant.ts';
import { ArchiveBytes, importTenant } from '../operations/tenants/import-tenant.ts';
import { runEitherWay } from './cli-session.ts';
import { createStepProgress } from './progress.ts';

type Finish = (code: number) => void;

const drawProgress = createStepProgress();

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

interface Imported {
  slug: string;
  tenantId: string;
  counts: Record<string, number>;
  invited: { email: string; link: string | null }[];
}

const importedText = (r: Imported) =>
  [
    `Imported ${r.slug} (id ${r.tenantId}): ${r.counts.pages} pages (${r.counts.versions} versions), ${r.counts.posts} posts, ${r.counts.media} images, ${r.counts.domains} domains.`,
    `Members: ${r.counts.membersLinked} linked to their accounts, ${r.counts.membersInvited} invited.`,
    ...r.invited.filter((i) => i.link).map((i) => `  invitation for ${i.email}: ${i.link}`),
  ].join('\n');

/** `mosaic export` and `mosaic import`: a whole site to one archive file and back. */
export function registerSiteArchiveCommands(program: Command, finish: Finish): void {
  const global = () => {
    const options = program.opts<{ json?: boolean; api?: string }>();
    return { json: options.json === true, api: options.api };
  };

  program
    .command('export <slug>')
    .description(`a whole site as one archive: pages with their history, theme, posts, images, members (no passwords), domains`)
    .option('-o, --output <file>', `where to write it (default: <slug>${ARCHIVE_EXTENSION})`)
    .action(async (slug: string, options: { output?: string }) => {
      const file = options.output ?? `${slug}${ARCHIVE_EXTENSION}`;
      const written = async (bytes: Buffer, sha256: string) => {
        await writeFile(file, bytes);
        return { json: { slug, file, bytes: bytes.length, sha256 }, text: `Exported ${slug} to ${file} (${mib(bytes.length)}, sha256 ${sha256}).` };
      };
      finish(
        await runEitherWay(global(), 'export', {
          local: async ({ context }) => {
            const exported = await execute({ ...context, progress: drawProgress }, exportTenant, { input: { slug } });
            const out = await written(exported.bytes, exported.manifest.sha256);
            return { json: { ...(out.json as object), counts: exported.counts }, text: out.text };
          },
          remote: async (api) => {
            const bytes = await api.transfer('GET', `/platform/tenants/${encodeURIComponent(slug)}/export`);
            // The download is checked as an import would check it, so a broken file is never left as a backup.
            return written(bytes, unpackArchive(bytes).manifest.sha256);
          },
        }),
      );
    });

  program
    .command('import <file>')
    .description('a site from an archive, into this installation; every checksum is verified before anything is written')
    .option('--slug <slug>', 'the new site’s slug (default: the archived one)')
    .option('--name <name>', 'the new site’s name (default: the archived one)')
    .action(async (file: string, options: { slug?: string; name?: string }) => {
      finish(
        await runEitherWay(global(), 'import', {
          local: async ({ context, config }) => {
            const archive = new ArchiveBytes(await readFile(file));
            const imported = await execute({ ...context, platformDomain: config.platformDomain, progress: drawProgress }, importTenant, {
              input: { archive, slug: options.slug, name: options.name },
            });
            return { json: imported, text: importedText(imported) };
          },
          remote: async (api) => {
            const query = new URLSearchParams(Object.entries({ slug: options.slug, name: options.name }).filter((e): e is [string, string] => e[1] !== undefined));
            const bytes = await readFile(file);
            const answer = await api.transfer('POST', `/platform/tenants/import${query.size ? `?${query}` : ''}`, { bytes, contentType: ARCHIVE_MEDIA_TYPE });
            const imported = JSON.parse(answer.toString('utf8')) as Imported;
            return { json: imported, text: importedText(imported) };
          },
        }),
      );
    });
}
