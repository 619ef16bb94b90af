// The render path (page cache off: every request resolves the host, reads the data cache and
// renders) next to bare Astro rendering the same layout and sections hard-coded.
import type { BenchModule } from '../context.ts';
import { startHelper } from '../processes.ts';

export const renderPath: BenchModule = {
  title: 'render path vs bare Astro',
  async run(ctx) {
    const bare = await startHelper('./bare-astro-server.ts');
    await ctx.measure('bare-astro', 'bare Astro, hard-coded page', [bare.child.pid!], { port: bare.port, hosts: ['any.localhost'], paths: ['/'] });
    await bare.stop();

    const render = await ctx.startMosaic({ PAGE_CACHE: 'off' });
    await ctx.measure('render', 'Mosaic, render path (no page cache)', [render.child.pid!], { port: render.port, hosts: ['codersinflow.localhost'], paths: ['/'] });
    await render.stop();
  },
};
