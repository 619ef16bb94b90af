import type { Kysely } from 'kysely';
import { catalog } from '../../registry/catalog.ts';
import { createSiteNotifier } from '../app/site-notifier.ts';
import type { MosaicConfig } from '../config/config.ts';
import { openAdminDatabase } from '../db/connect.ts';
import { migrateOrThrow } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import { isMosaicError } from '../errors/catalog.ts';
import { createLogger } from '../log/logger.ts';
import { adminOrigin, createAccountMail } from '../mail/account-mail.ts';
import { createSmtpMailer } from '../mail/mailer.ts';
import type { Actor } from '../operations/actor.ts';
import type { OperationContext } from '../operations/operation.ts';
import { loadConfigForCommand } from './command-line.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { remoteApi, type RemoteApi } from './remote-api.ts';

/** What a command prints: JSON with `--json`, text otherwise. */
export interface CommandOutput {
  json: unknown;
  text: string;
}

export interface CliSession {
  config: MosaicConfig;
  /** The owner connection (ADMIN_DATABASE_URL, or the embedded database). */
  admin: Kysely<Database>;
  /** Operations run as `cli:$USER`, on the owner connection. */
  context: OperationContext;
}

/** Notes for the operator go to stderr, so `--json` output on stdout stays parseable. */
const stderrLogger = {
  info: (obj: object, msg: string) => console.error(`${msg} ${JSON.stringify(obj)}`),
  warn: (obj: object, msg: string) => console.error(`Warning: ${msg} ${JSON.stringify(obj)}`),
};

/**
 * Prints what `work` returns, or its error (text, or `{ "error": { code, message, details } }` with
 * `--json`, on stderr, never with a stack trace), and returns the exit code (see `EXIT`).
 */
export async function settle(options: { json: boolean }, work: () => Promise<CommandOutput>): Promise<number> {
  try {
    const output = await work();
    console.log(options.json ? JSON.stringify(output.json, null, 2) : output.text);
    return EXIT.ok;
  } catch (error) {
    if (options.json) {
      const body = isMosaicError(error)
        ? { code: error.code, message: error.message.split('\n')[0], details: error.details }
        : { code: 'Failed', message: error instanceof Error ? error.message : String(error), details: [] };
      console.error(JSON.stringify({ error: body }));
    } else {
      console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    }
    return exitCodeFor(error);
  }
}

/**
 * Runs one command against the admin database as the operator (`{ kind: 'cli', name: $USER }`),
 * prints its output, and returns the exit code (see `EXIT`). Errors are printed as text, or as
 * `{ "error": { code, message, details } }` with `--json`, on stderr, never with a stack trace.
 */
export async function runCommand(options: { json: boolean; connections?: number }, work: (session: CliSession) => Promise<CommandOutput>): Promise<number> {
  const config = loadConfigForCommand();
  // Two connections do for one command; a bulk one asks for as many as it runs at once.
  const admin = await openAdminDatabase(config, options.connections);
  const opened: { notifier: ReturnType<typeof createSiteNotifier> | null } = { notifier: null };
  const mailer = config.accounts.smtpUrl ? createSmtpMailer(config.accounts.smtpUrl.reveal(), config.accounts.mailFrom) : null;
  const actor: Actor = { kind: 'cli', name: process.env.USER || process.env.LOGNAME || 'unknown' };
  const context: OperationContext = {
    db: admin,
    actor,
    clock: () => new Date(),
    // Only changes to sites need the instances told; most commands never open Redis.
    notify: (change) => (opened.notifier ??= createSiteNotifier(config, createLogger('warn', 'cli', 'stderr'), admin)).notify(change),
    registry: catalog,
    logger: stderrLogger,
    clientAddress: null,
    mail: createAccountMail({ mailer, adminOrigin: adminOrigin(config), logger: stderrLogger }),
  };
  try {
    return await settle(options, async () => {
      // The embedded database is brought up to date as the server would; PostgreSQL is migrated by its operator.
      if (config.database.kind === 'pglite') await migrateOrThrow(admin);
      return work({ config, admin, context });
    });
  } finally {
    mailer?.close();
    await opened.notifier?.close();
    await admin.destroy();
  }
}

/** How a command may run: `local` on the admin database, or `remote` over the admin API with `--api <url>`. */
export interface EitherWay {
  local: (session: CliSession) => Promise<CommandOutput>;
  /** Null when the admin API has no route for it: `--api` is then a usage error. */
  remote: ((api: RemoteApi) => Promise<CommandOutput>) | null;
}

/** Runs locally, or over the API when `--api <url>` is given (with the key in `MOSAIC_API_KEY`). */
export async function runEitherWay(options: { json: boolean; api?: string; connections?: number }, command: string, way: EitherWay): Promise<number> {
  if (!options.api) return runCommand(options, way.local);
  const key = process.env.MOSAIC_API_KEY;
  const remote = way.remote;
  if (!remote) {
    console.error(`Error: \`${command}\` runs locally only (the admin API has no route for it); leave out --api.`);
    return EXIT.usage;
  }
  if (!key) {
    console.error('Error: --api needs an API key in MOSAIC_API_KEY.');
    return EXIT.usage;
  }
  return settle(options, () => remote(remoteApi(options.api!, key)));
}
