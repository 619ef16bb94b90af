import type { Command } from 'commander';
import { findApiKey } from '../auth/account-lookups.ts';
import { MosaicError } from '../errors/catalog.ts';
import type { ApiKeyView } from '../operations/api-keys/api-key-view.ts';
import { createPlatformApiKey, listPlatformApiKeys, revokeAnyApiKey } from '../operations/api-keys/platform-api-keys.ts';
import { createApiKey, listApiKeys } from '../operations/api-keys/tenant-api-keys.ts';
import { execute } from '../operations/execute.ts';
import { runCommand } from './cli-session.ts';
import { EXIT } from './exit-codes.ts';
import { formatTable, parseExpiry } from './output.ts';

type Finish = (code: number) => void;

interface Scope {
  tenant?: string;
  platform?: boolean;
}

const keyRows = (keys: readonly ApiKeyView[]) =>
  keys.map((k) => ({
    prefix: k.prefix,
    name: k.name,
    role: k.role ?? 'platform',
    active: k.active ? 'yes' : k.revokedAt ? 'revoked' : 'expired',
    created: `${k.createdAt.slice(0, 16)} by ${k.createdBy}`,
    expires: k.expiresAt?.slice(0, 16) ?? 'never',
    'last used': k.lastUsedAt?.slice(0, 16) ?? 'never',
    id: k.id,
  }));

export function registerKeyCommands(program: Command, finish: Finish): void {
  const key = program.command('key').description('API keys: create, list, revoke');
  const json = () => program.opts<{ json?: boolean }>().json === true;
  /** Exactly one of --tenant and --platform; a usage error otherwise. */
  const scopeOf = (options: Scope, command: Command): Scope => {
    if (Boolean(options.tenant) === Boolean(options.platform))
      command.error('error: give either --tenant <slug> or --platform', { exitCode: EXIT.usage });
    return options;
  };

  key
    .command('create')
    .description('create a key; its secret is printed once and never again')
    .option('--tenant <slug>', 'a key for this site, with --role')
    .option('--role <role>', 'owner, admin, editor or viewer (site keys)')
    .option('--platform', 'a platform key: everything a platform admin may do')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--expires <when>', 'e.g. 30d, 12h, 90m, or a date (default: never)')
    .action(async (options: Scope & { role?: string; name: string; expires?: string }, command: Command) => {
      const scope = scopeOf(options, command);
      if (scope.tenant && !options.role) command.error('error: --tenant needs --role <owner|admin|editor|viewer>', { exitCode: EXIT.usage });
      if (scope.platform && options.role) command.error('error: a platform key has no --role', { exitCode: EXIT.usage });
      const expiresAt = options.expires === undefined ? null : parseExpiry(options.expires, new Date());
      if (options.expires !== undefined && expiresAt === null)
        command.error(`error: --expires "${options.expires}" is not like 30d, 12h, 90m or a date`, { exitCode: EXIT.usage });
      finish(
        await runCommand({ json: json() }, async ({ context }) => {
          const created = scope.tenant
            ? await execute(context, createApiKey, { tenant: { slug: scope.tenant }, input: { name: options.name, role: options.role, expiresAt } })
            : await execute(context, createPlatformApiKey, { input: { name: options.name, expiresAt } });
          const where = scope.tenant ? `${scope.tenant} as ${created.key.role}` : 'the platform';
          return {
            json: created,
            text: `Created key ${created.key.prefix} "${created.key.name}" for ${where} (id ${created.key.id}).\nIts secret, shown this once:\n${created.secret}`,
          };
        }),
      );
    });

  key
    .command('list')
    .description('list a site’s keys, or the platform keys')
    .option('--tenant <slug>', 'this site’s keys')
    .option('--platform', 'platform keys')
    .action(async (options: Scope, command: Command) => {
      const scope = scopeOf(options, command);
      finish(
        await runCommand({ json: json() }, async ({ context }) => {
          const keys = scope.tenant
            ? await execute(context, listApiKeys, { tenant: { slug: scope.tenant } })
            : await execute(context, listPlatformApiKeys);
          return { json: keys, text: formatTable(keyRows(keys), ['prefix', 'name', 'role', 'active', 'created', 'expires', 'last used', 'id']) };
        }),
      );
    });

  key
    .command('revoke <key>')
    .description('revoke a key at once, by its id or its prefix (mk_…)')
    .action(async (which: string) => {
      finish(
        await runCommand({ json: json() }, async ({ context, admin }) => {
          const prefix = /^mk_([a-z0-9]{12})$/.exec(which)?.[1];
          const keyId = prefix ? (await findApiKey(admin, prefix))?.key_id : which;
          if (!keyId) throw new MosaicError('NotFound', `No key has the prefix ${which}.`);
          const revoked = await execute(context, revokeAnyApiKey, { input: { keyId } });
          return { json: revoked, text: `Revoked key ${revoked.prefix} "${revoked.name}".` };
        }),
      );
    });
}
