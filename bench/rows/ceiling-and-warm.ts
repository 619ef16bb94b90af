// The ceiling (nginx and raw Node serving the demo page's exact bytes) next to Mosaic's warm page
// cache serving the same page, then the bytes Mosaic sends per encoding.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from '../../tests/support/server-process.ts';
import type { BenchContext, BenchModule } from '../context.ts';
import { startNginx } from '../nginx.ts';
import { startHelper } from '../processes.ts';

const HOST = 'codersinflow.localhost';
export const ENCODINGS = ['identity', 'gzip', 'br'] as const;

async function bytesPerEncoding(ctx: BenchContext, port: number): Promise<void> {
  for (const encoding of ENCODINGS) {
    const response = await request(port, '/', { host: HOST, headers: { 'accept-encoding': encoding } });
    const served = response.headers['content-encoding'] ?? 'identity';
    if (served !== encoding) ctx.notes.push(`Asked for ${encoding}, Mosaic sent ${served}: the ${encoding} figure is the size of what it sent.`);
    ctx.values.set(`bytes-${encoding}`, response.bytes.length);
    ctx.log(`bytes per page, ${encoding}: ${response.bytes.length} (served ${served})`);
  }
}

export const ceilingAndWarm: BenchModule = {
  title: 'ceiling and warm page cache',
  async run(ctx) {
    const warm = await ctx.startMosaic();
    // The exact bytes a client gets; the request also fills the page cache.
    const page = (await request(warm.port, '/', { host: HOST })).bytes;
    const pageFile = path.join(mkdtempSync(path.join(tmpdir(), 'mosaic-bench-')), 'page.html');
    writeFileSync(pageFile, page);
    const one = { hosts: [HOST], paths: ['/'] };

    const nginx = await startNginx(page);
    await ctx.measure('nginx', 'nginx (1 worker), the same bytes', nginx.pids(), { ...one, port: nginx.port });
    await nginx.stop();

    const raw = await startHelper('./raw-node.ts', [pageFile]);
    await ctx.measure('raw-node', 'raw Node http, the same bytes', [raw.child.pid!], { ...one, port: raw.port });
    await raw.stop();

    const pid = [warm.child.pid!];
    await ctx.measure('warm', 'Mosaic, one page cached, identity', pid, { ...one, port: warm.port });
    await ctx.measure('warm-br', 'Mosaic, one page cached, Accept-Encoding: br', pid, { ...one, port: warm.port, headers: { 'Accept-Encoding': 'br' } });
    // Caddy's on-demand TLS ask, on the internal listener: answered from memory.
    await ctx.measure('tls-ask', 'TLS ask on the internal listener (verified domain)', pid, {
      port: warm.metricsPort!,
      hosts: ['127.0.0.1'],
      paths: ['/tls/ask?domain=codersinflow.com'],
    });
    await bytesPerEncoding(ctx, warm.port);
    await warm.stop();
  },
};
