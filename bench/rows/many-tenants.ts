// Many tenants (clones of the demo site, three pages each), requests Zipf-like over hosts and paths.
import { BENCH_PATHS, cloneTenants } from '../fixtures.ts';
import type { BenchModule } from '../context.ts';
import { runLoad } from '../processes.ts';

const MIB = 1024 * 1024;
// The page budget holds the whole working set (pages change only on publish, so the steady state
// is every page cached); the data cache keeps its default, page hits need only host and tenant.
const PAGE_BUDGET_MIB = 1024;
const DATA_BUDGET_MIB = 64;

export const manyTenants: BenchModule = {
  title: 'many tenants, Zipf',
  async run(ctx) {
    const { tenants } = ctx.options;
    ctx.log(`cloning ${tenants} tenants`);
    const slugs = await cloneTenants(ctx.db.admin, 'bench', tenants);
    const server = await ctx.startMosaic({
      PAGE_CACHE_MAX_BYTES: String(PAGE_BUDGET_MIB * MIB),
      PAGE_CACHE_MAX_ENTRIES: String(tenants * BENCH_PATHS.length + 1000),
      CACHE_MAX_BYTES: String(DATA_BUDGET_MIB * MIB),
    });
    const hosts = slugs.map((s) => `${s}.localhost`);
    ctx.log(`rendering every page of the ${tenants} tenants once (steady state: pages change only on publish)`);
    const sweep = await runLoad({ kind: 'sweep', port: server.port, hosts, paths: BENCH_PATHS, concurrency: 8 });
    ctx.log(`sweep: ${Math.round(sweep.requestsPerSecond)} pages/s, non-2xx ${sweep.non2xx}`);
    await ctx.measure('zipf', `Mosaic, ${tenants} tenants, Zipf over hosts and paths`, [server.child.pid!], { port: server.port, hosts, paths: BENCH_PATHS });
    ctx.values.set('zipf-budget-mib', PAGE_BUDGET_MIB + DATA_BUDGET_MIB);
    await server.stop();
  },
};
