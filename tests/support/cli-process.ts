import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MOSAIC_BIN = path.join(ROOT, 'bin/mosaic.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a real process with only the given settings, feeding `stdin` when given. */
export function run(file: string, args: string[], env: Record<string, string>, options: { stdin?: string; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { cwd: options.cwd ?? ROOT, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.stdin ?? '');
  });
}

/** The environment a command gets: the test databases, nothing inherited but PATH. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    USER: 'tester',
    NODE_ENV: 'test',
    DATABASE_URL: inject('appDatabaseUrl'),
    ADMIN_DATABASE_URL: inject('adminDatabaseUrl'),
    ...extra,
  };
}
