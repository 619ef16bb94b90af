// The upper ceiling: Debian's nginx, one worker, serving one saved page's exact bytes from a
// config written to a temp dir (no root, no system config touched).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunningNginx {
  port: number;
  /** The master and its worker, for resident memory. */
  pids(): number[];
  stop(): Promise<void>;
}

export const NGINX_BINARY = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((file) => existsSync(file)) ?? 'nginx';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    probe.on('error', reject);
  });
}

const config = (dir: string, port: number) => `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { }
  default_type "text/html; charset=utf-8";
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    root ${dir};
    location / { try_files /page.html =404; }
  }
}
`;

/** Starts nginx serving `page` on a free port; resolves once it answers. */
export async function startNginx(page: Buffer): Promise<RunningNginx> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mosaic-nginx-'));
  // Started as root, nginx's worker runs as nobody: it must be able to read the page.
  chmodSync(dir, 0o755);
  writeFileSync(path.join(dir, 'page.html'), page, { mode: 0o644 });
  const port = await freePort();
  writeFileSync(path.join(dir, 'nginx.conf'), config(dir, port));
  const child = spawn(NGINX_BINARY, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  for (let i = 0; i < 100 && !(await answers(port)); i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}; see ${dir}/error.log`);
    await sleep(50);
  }
  const children = () => {
    const file = `/proc/${child.pid}/task/${child.pid}/children`;
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
  };
  return {
    port,
    pids: () => [child.pid!, ...children()],
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
