import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './free-port.ts';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));

export function requireCaddy(): void {
  const found = spawnSync('caddy', ['version'], { stdio: 'ignore' });
  if (found.error || found.status !== 0) throw new Error("caddy is not installed: `apt-get install -y caddy` (the HTTPS tests run the shipped deploy/Caddyfile in Debian's caddy).");
}

export interface RunningCaddy {
  httpsPort: number;
  output: string[];
  stop(): Promise<void>;
}

/**
 * Runs the shipped deploy/Caddyfile in a private caddy: the file as is, with test-only global
 * options put in front (certificates from caddy's internal CA, spare ports, no admin endpoint,
 * its data in a temp directory).
 */
export async function startCaddy(env: { PLATFORM_DOMAIN: string; ADMIN_HOST: string; MOSAIC_UPSTREAM: string; MOSAIC_INTERNAL: string }): Promise<RunningCaddy> {
  requireCaddy();
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(path.join(tmpdir(), 'mosaic-caddy-'));
  const shipped = readFileSync(path.join(DEPLOY, 'Caddyfile'), 'utf8');
  const testGlobals = ['local_certs', 'skip_install_trust', 'admin off', `http_port ${httpPort}`, `https_port ${httpsPort}`].map((l) => `\t${l}`).join('\n');
  const config = shipped.replace(/^\{\n/m, `{\n${testGlobals}\n`);
  if (config === shipped) throw new Error('deploy/Caddyfile has no global options block to extend');
  // Kept beside the shipped file's imports, which are relative to the Caddyfile.
  const file = path.join(DEPLOY, `.test-${path.basename(dir)}.Caddyfile`);
  writeFileSync(file, config);
  const output: string[] = [];
  const child: ChildProcess = spawn('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], {
    env: { ...process.env, ...env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) stream?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(file, { force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(httpsPort, 15_000);
  } catch (error) {
    await stop();
    throw new Error(`caddy did not start: ${output.join('')}`, { cause: error });
  }
  return { httpsPort, output, stop };
}

export interface CurlResult {
  /** curl's exit code: 0 on success, 35 for a failed TLS handshake. */
  exitCode: number;
  status: number;
  headers: string;
  body: string;
}

/** `curl --resolve host:port:127.0.0.1 -k https://host:port/path`: SNI and Host name the site, as a browser's would. */
export function curlHttps(host: string, port: number, pathname = '/', headers: string[] = []): Promise<CurlResult> {
  const args = ['-sS', '-k', '--max-time', '15', '--resolve', `${host}:${port}:127.0.0.1`, '-D', '-', ...headers.flatMap((h) => ['-H', h]), `https://${host}:${port}${pathname}`];
  return new Promise((resolve) => {
    execFile('curl', args, { encoding: 'utf8' }, (error, stdout) => {
      const exitCode = error ? Number((error as { code?: number }).code ?? 1) : 0;
      const split = stdout.indexOf('\r\n\r\n');
      const head = split === -1 ? stdout : stdout.slice(0, split);
      const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ exitCode, status, headers: head, body: split === -1 ? '' : stdout.slice(split + 4) });
    });
  });
}
