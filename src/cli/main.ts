import { Command, CommanderError } from 'commander';
import { registerDomainCommands } from './domain-commands.ts';
import { EXIT } from './exit-codes.ts';
import { registerKeyCommands } from './key-commands.ts';
import { registerOnboardCommands } from './onboard-commands.ts';
import { registerSiteArchiveCommands } from './site-archive-commands.ts';
import { registerTenantCommands } from './tenant-commands.ts';
import { registerUserCommands } from './user-commands.ts';

// `mosaic`: platform administration from the command line (run it through `npx mosaic`, which
// uses the project's Node 24). Each command calls the operations as `cli:$USER` on the admin
// database. Exit codes: see src/cli/exit-codes.ts and the README.

const program = new Command('mosaic')
  .description('Administer a Mosaic installation: sites and their life cycle, plans, accounts and API keys (configured by the environment, like the server)')
  .option('--json', 'print machine-readable JSON')
  .option('--api <url>', 'call the admin API of a running installation (with MOSAIC_API_KEY) instead of its database')
  .showHelpAfterError('(add --help for usage)')
  // Usage errors exit 2 like the other commands; help and version exit 0.
  .exitOverride((error: CommanderError) => {
    const shown = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    process.exit(shown ? EXIT.ok : error.exitCode === EXIT.refused ? EXIT.refused : EXIT.usage);
  });

let exitCode: number = EXIT.ok;
const finish = (code: number) => {
  exitCode = code;
};
registerUserCommands(program, finish);
registerKeyCommands(program, finish);
registerTenantCommands(program, finish);
registerDomainCommands(program, finish);
registerOnboardCommands(program, finish);
registerSiteArchiveCommands(program, finish);

await program.parseAsync(process.argv);
process.exitCode = exitCode;
