import { stdin } from 'node:process';
import type { Command } from 'commander';
import { MosaicError } from '../errors/catalog.ts';
import { execute } from '../operations/execute.ts';
import { createUser, listUsers, readUser } from '../operations/users/create-user.ts';
import { setUserDisabled } from '../operations/users/manage-user.ts';
import type { UserView } from '../operations/users/user-view.ts';
import { runCommand } from './cli-session.ts';
import { formatTable } from './output.ts';
import { promptHidden, readPasswordFromStdin } from './read-password.ts';

type Finish = (code: number) => void;

const describeUser = (user: UserView) =>
  `${user.email} (${user.id})${user.name ? ` "${user.name}"` : ''}${user.platformAdmin ? ', platform admin' : ''}${user.disabled ? ', disabled' : ''}`;

/** The password for a new account: from stdin, asked twice on a terminal, or none. */
async function newPassword(fromStdin: boolean): Promise<string | undefined> {
  if (fromStdin) return readPasswordFromStdin();
  if (!stdin.isTTY) return undefined;
  const first = await promptHidden('Password (empty for none): ');
  if (first === '') return undefined;
  if ((await promptHidden('Password again: ')) !== first)
    throw new MosaicError('InvalidInput', undefined, [{ path: 'password', message: 'the two entries differ' }]);
  return first;
}

export function registerUserCommands(program: Command, finish: Finish): void {
  const user = program.command('user').description('accounts: create, list, disable, enable');
  const json = () => program.opts<{ json?: boolean }>().json === true;

  user
    .command('create')
    .description('create an account (the first platform admin of an installation: --platform-admin)')
    .requiredOption('--email <email>', 'its email address')
    .option('--name <name>', 'the person’s name')
    .option('--platform-admin', 'platform staff: every site, every platform action')
    .option('--password-stdin', 'read the password from standard input (otherwise asked on a terminal; none without one)')
    .action(async (options: { email: string; name?: string; platformAdmin?: boolean; passwordStdin?: boolean }) => {
      finish(
        await runCommand({ json: json() }, async ({ context }) => {
          const password = await newPassword(options.passwordStdin === true);
          const created = await execute(context, createUser, {
            input: { email: options.email, name: options.name, platformAdmin: options.platformAdmin === true, password },
          });
          const how = password === undefined ? 'without a password (send a password reset, or set one with --password-stdin)' : 'with a password';
          return { json: created, text: `Created ${describeUser(created)}, ${how}.` };
        }),
      );
    });

  user
    .command('list')
    .description('list accounts by email')
    .option('--search <text>', 'only emails or names containing this')
    .option('--limit <n>', 'at most this many (1–500)', '100')
    .action(async (options: { search?: string; limit: string }) => {
      finish(
        await runCommand({ json: json() }, async ({ context }) => {
          const limit = Number(options.limit);
          const page = await execute(context, listUsers, { input: { search: options.search, limit: Number.isInteger(limit) ? limit : Number.NaN } });
          const rows = page.items.map((u) => ({
            email: u.email,
            name: u.name,
            platform: u.platformAdmin ? 'admin' : '',
            disabled: u.disabled ? 'yes' : '',
            id: u.id,
          }));
          const more = page.nextAfter ? `\n(more: raise --limit)` : '';
          return { json: page.items, text: `${formatTable(rows, ['email', 'name', 'platform', 'disabled', 'id'])}${more}` };
        }),
      );
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(`${name} <email>`)
      .description(disabled ? 'stop an account from signing in; its sessions end at once' : 'let a disabled account sign in again')
      .action(async (email: string) => {
        finish(
          await runCommand({ json: json() }, async ({ context }) => {
            const found = await execute(context, readUser, { input: { email } });
            const result = await execute(context, setUserDisabled, { input: { userId: found.id, disabled } });
            const sessions = result.sessionsRevoked ? ` (${result.sessionsRevoked} session${result.sessionsRevoked === 1 ? '' : 's'} ended)` : '';
            return { json: result, text: `${disabled ? 'Disabled' : 'Enabled'} ${describeUser(result)}${sessions}.` };
          }),
        );
      });
  }
}
