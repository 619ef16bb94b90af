import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { createPostgresDatabase } from '../../src/db/postgres-database.ts';
import type { Database } from '../../src/db/schema.ts';
import { freePort } from './free-port.ts';

const run = promisify(execFile);
const BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the test's own (initdb in a temp dir, run as the `postgres` OS user, on
 * a free port), migrated, that the test may stop, start and lock — never the shared server.
 */
export interface PrivatePostgres {
  port: number;
  /** The owner (superuser), for set-up and for doing harm (terminate, lock). */
  adminUrl: string;
  /** The unprivileged app role, as servers connect. */
  appUrl: string;
  admin: Kysely<Database>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mosaic-pg-'));
  await chown(dir, ...(await postgresIds()));
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asPostgres = (command: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', path.join(BIN, command), ...args]);
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = async () => void (await asPostgres('pg_ctl', ['-D', data, '-o', options, '-w', '-t', '20', '-l', path.join(dir, 'log'), 'start']));
  const stop = async () => void (await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']));
  await start();

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = createPostgresDatabase(adminUrl, 2, { onConnectionLost: () => {} });
  await migrateOrThrow(admin);
  return {
    port,
    adminUrl,
    appUrl: `postgres://mosaic_app@127.0.0.1:${port}/postgres`,
    admin,
    stop,
    start,
    async destroy() {
      await admin.destroy().catch(() => undefined);
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<[number, number]> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
}
