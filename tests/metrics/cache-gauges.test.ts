import { expect, test } from 'vitest';
import { createMetrics } from '../../src/metrics/metrics.ts';

test('cache holdings and array-buffer memory are exported as gauges, read at scrape time', async () => {
  const metrics = createMetrics();
  let pages = 3;
  metrics.observeCaches(() => ({ page: { entries: pages, bytes: pages * 1000 }, data: { entries: 7, bytes: 4096 } }));
  const first = await metrics.registry.metrics();
  expect(first).toContain('mosaic_memory_cache_entries{cache="page"} 3');
  expect(first).toContain('mosaic_memory_cache_bytes{cache="page"} 3000');
  expect(first).toContain('mosaic_memory_cache_bytes{cache="data"} 4096');
  expect(first).toMatch(/^mosaic_nodejs_array_buffers_bytes \d+$/m);
  pages = 5;
  const second = await metrics.registry.metrics();
  expect(second).toContain('mosaic_memory_cache_entries{cache="page"} 5');
  expect(second).toContain('mosaic_memory_cache_bytes{cache="page"} 5000');
});
