import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitForPort } from './free-port.ts';

/**
 * A Redis server of the test's own, on a free port, that the test may kill, freeze and start
 * again — never the shared one. No persistence: a restart starts empty, as after a crash.
 */
export interface PrivateRedis {
  port: number;
  url: string;
  /** SIGKILL: the connections drop at once. */
  kill(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers. */
  freeze(): void;
  /** SIGCONT after `freeze`. */
  thaw(): void;
  /** Starts it again on the same port (after `kill`). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(port?: number): Promise<PrivateRedis> {
  const chosen = port ?? (await freePort());
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    child = spawn('redis-server', ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitForPort(chosen);
  }
  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGCONT');
    running.kill('SIGKILL');
    await exited;
  }

  await start();
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    kill,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    start,
    stop: kill,
  };
}

/** A Redis URL where nothing listens (for "Redis absent at start-up"); `start()` brings one up there. */
export async function absentRedis(): Promise<{ url: string; start(): Promise<PrivateRedis> }> {
  const port = await freePort();
  return { url: `redis://127.0.0.1:${port}`, start: () => startPrivateRedis(port) };
}
