import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, waitForPort } from './free-port.ts';

const run = promisify(execFile);

/** A Redis Cluster of the test's own: three masters on loopback, no replicas, no persistence. */
export interface PrivateRedisCluster {
  ports: number[];
  /** The URL of one node, as `REDIS_URL` with `REDIS_CLUSTER=true` takes it. */
  url: string;
  /** `CLUSTER KEYSLOT key`, asked of the cluster itself. */
  keySlot(key: string): Promise<number>;
  /** The port of the master that holds `key`'s slot. */
  nodeOf(key: string): Promise<number>;
  /** Every key held by one node (small test data sets only). */
  keysOn(port: number, pattern: string): Promise<string[]>;
  stop(): Promise<void>;
}

const cli = async (port: number, ...args: string[]): Promise<string> => (await run('redis-cli', ['-p', String(port), ...args])).stdout.trim();

export async function startPrivateRedisCluster(masters = 3): Promise<PrivateRedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mosaic-redis-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      ports.push(port);
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes'];
      args.push('--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--dir', dir, '--cluster-node-timeout', '2000');
      children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    await Promise.all(ports.map((port) => waitForPort(port)));
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    // Every node must agree that all slots are served before clients route by them.
    const deadline = Date.now() + 15_000;
    for (const port of ports) {
      while (!(await cli(port, 'cluster', 'info')).includes('cluster_state:ok')) {
        if (Date.now() > deadline) throw new Error(`the test's Redis Cluster did not become ready (node ${port})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }

  // A plain connection to one node answers questions about the cluster (not routed by slot).
  const admin = new Redis(ports[0]!, '127.0.0.1', { maxRetriesPerRequest: 1 });
  const keySlot = async (key: string) => Number(await admin.call('cluster', 'keyslot', key));
  return {
    ports,
    url: `redis://127.0.0.1:${ports[0]}`,
    keySlot,
    async nodeOf(key) {
      const slot = await keySlot(key);
      const ranges = (await admin.call('cluster', 'slots')) as [number, number, [string, number, ...unknown[]]][];
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!owner) throw new Error(`no node serves slot ${slot}`);
      return owner[2][1];
    },
    keysOn: async (port, pattern) => (await cli(port, '--scan', '--pattern', pattern)).split('\n').filter(Boolean),
    async stop() {
      admin.disconnect();
      await stop();
    },
  };
}
