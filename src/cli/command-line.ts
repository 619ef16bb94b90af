import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { ConfigError, loadConfig, type MosaicConfig } from '../config/config.ts';

/** Exit code of a command called the wrong way (arguments or configuration); nothing was changed. */
export const USAGE_EXIT_CODE = 2;

/** Prints the problem and the usage, and exits with code 2. */
export function exitWithUsage(usage: string, problem: string): never {
  console.error(`${problem}\n\n${usage}`);
  process.exit(USAGE_EXIT_CODE);
}

/**
 * Parses a script's arguments strictly: unknown flags, a missing flag value and a wrong number of
 * arguments are usage errors. `--help` prints the usage and exits.
 */
export function parseCommandLine<O extends ParseArgsOptionsConfig>(
  usage: string,
  spec: { options: O; positionals: { min: number; max: number } },
  args: string[] = process.argv.slice(2),
) {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true });
  } catch (error) {
    exitWithUsage(usage, (error as Error).message);
  }
  const count = parsed.positionals.length;
  if (count < spec.positionals.min) exitWithUsage(usage, 'Missing arguments.');
  if (count > spec.positionals.max) exitWithUsage(usage, `Unexpected argument${count - spec.positionals.max > 1 ? 's' : ''}: ${parsed.positionals.slice(spec.positionals.max).join(' ')}`);
  return parsed;
}

/** The configuration, or exit code 2 with every problem listed; warnings go to stderr. */
export function loadConfigForCommand(env: Record<string, string | undefined> = process.env): MosaicConfig {
  try {
    const config = loadConfig(env);
    for (const warning of config.warnings) console.warn(`Warning: ${warning}`);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(USAGE_EXIT_CODE);
  }
}
