import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type MosaicConfig } from '../config/config.ts';

const GENERATED_BYTES = 48;

/**
 * The key every signing key is derived from. `SECRET_KEY` when set. Without it: with PostgreSQL
 * in production, a refusal (instances must share one key, and a key that changes at each start
 * would sign everyone out) — unless `strict` is false, for processes that are not the server
 * entry; with the embedded database, a key generated at first start and kept beside the database
 * (`<PGLITE_DIR>/../secret-key`, mode 600), or a throw-away one for `memory://`; with PostgreSQL
 * otherwise, a throw-away key and a warning.
 */
export async function resolveSecretKey(
  config: Pick<MosaicConfig, 'accounts' | 'database' | 'mode'>,
  logger: { warn(obj: object, msg: string): void },
  options: { strict?: boolean } = {},
): Promise<Buffer> {
  const configured = config.accounts.secretKey;
  if (configured) return Buffer.from(configured.reveal(), 'utf8');
  if (config.database.kind === 'postgres') {
    if (config.mode === 'production' && options.strict !== false) {
      throw new ConfigError(
        'Invalid configuration:\n  SECRET_KEY is required with DATABASE_URL in production: set it to at least 32 random bytes ' +
          '(e.g. `openssl rand -base64 48`), the same on every instance, and keep it secret.',
      );
    }
    logger.warn({}, 'SECRET_KEY is not set: using a key for this process only; sign-in tokens will not work across instances or restarts');
    return randomBytes(GENERATED_BYTES);
  }
  if (config.database.dir.startsWith('memory://')) return randomBytes(GENERATED_BYTES);
  return keyFileBeside(config.database.dir);
}

/** Reads the key file, or creates it once: `wx` fails if another process created it first, which then wins. */
async function keyFileBeside(databaseDir: string): Promise<Buffer> {
  const file = secretKeyFile(databaseDir);
  await mkdir(path.dirname(file), { recursive: true });
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${randomBytes(GENERATED_BYTES).toString('base64url')}\n`);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = (await readFile(file, 'utf8')).trim();
  if (Buffer.byteLength(key, 'utf8') < 32)
    throw new ConfigError(`Invalid configuration:\n  the secret key in ${file} is shorter than 32 bytes; delete the file to make a new one.`);
  return Buffer.from(key, 'utf8');
}

/** Where the embedded database's key lives: beside the database folder, not inside it. */
export const secretKeyFile = (databaseDir: string): string => path.join(path.dirname(path.resolve(databaseDir)), 'secret-key');
