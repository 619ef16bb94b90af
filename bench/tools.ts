// wrk and nginx come from Debian. Missing, they are installed when we are root (as on the project's
// machines), otherwise the run stops and says how.
import { execFileSync } from 'node:child_process';
import { NGINX_BINARY } from './nginx.ts';

const has = (command: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command} || test -x ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

export function ensureTools(): void {
  const missing = [has('wrk') ? null : 'wrk', has(NGINX_BINARY) ? null : 'nginx-light'].filter((p): p is string => p !== null);
  if (missing.length === 0) return;
  const install = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) throw new Error(`the benchmark needs ${missing.join(' and ')}: run \`sudo ${install}\``);
  console.error(`[bench] installing ${missing.join(' ')} from Debian`);
  execFileSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${install}`], { stdio: 'inherit' });
}
