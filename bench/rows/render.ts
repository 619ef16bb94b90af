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

    // BENCH_RENDER_CONCURRENCY (comma-separated) measures other gate sizes beside the default, one after another.
    const others = (process.env.BENCH_RENDER_CONCURRENCY ?? '').split(',').filter(Boolean);
    for (const concurrency of [null, ...others]) {
      const render = await ctx.startMosaic({ PAGE_CACHE: 'off', ...(concurrency ? { RENDER_CONCURRENCY: concurrency } : {}) });
      const [key, name] = concurrency ? [`render-c${concurrency}`, `, RENDER_CONCURRENCY=${concurrency}`] : ['render', ''];
      await ctx.measure(key, `Mosaic, render path (no page cache${name})`, [render.child.pid!], { port: render.port, hosts: ['codersinflow.localhost'], paths: ['/'] });
      await render.stop();
    }
  },
};
