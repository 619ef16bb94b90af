import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './free-port.ts';

/**
 * A real DNS server of the test's own: Debian's dnsmasq on a free loopback port, answering TXT
 * records from a generated config and NXDOMAIN for anything else under `zones`. Records change by
 * restarting it on the same port (dnsmasq reads `txt-record` only at start).
 */
export interface TestDnsServer {
  port: number;
  /** `127.0.0.1:<port>`, as DNS_RESOLVERS takes it. */
  address: string;
  setRecords(records: Readonly<Record<string, readonly string[]>>): Promise<void>;
  stop(): Promise<void>;
}

export function requireDnsmasq(): void {
  const found = spawnSync('dnsmasq', ['--version'], { stdio: 'ignore' });
  if (found.error || found.status !== 0) throw new Error('dnsmasq is not installed: `apt-get install -y dnsmasq` (the DNS verification tests need a real DNS server).');
}

export async function startDnsServer(zones: readonly string[], records: Readonly<Record<string, readonly string[]>> = {}): Promise<TestDnsServer> {
  requireDnsmasq();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'mosaic-dns-'));
  let child: ChildProcess | null = null;

  async function stopChild(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }
  async function start(current: Readonly<Record<string, readonly string[]>>): Promise<void> {
    const conf = path.join(dir, 'dnsmasq.conf');
    const lines = Object.entries(current).flatMap(([name, values]) => values.map((v) => `txt-record=${name},"${v}"`));
    writeFileSync(conf, [...lines, ...zones.map((zone) => `local=/${zone}/`), ''].join('\n'));
    child = spawn(
      'dnsmasq',
      ['--no-daemon', `--conf-file=${conf}`, `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts', '--pid-file', `--user=${userInfo().username}`],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  }

  await start(records);
  return {
    port,
    address: `127.0.0.1:${port}`,
    async setRecords(next) {
      await stopChild();
      await start(next);
    },
    async stop() {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
