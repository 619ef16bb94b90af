import type { APIContext, MiddlewareNext } from 'astro';
import { describe, expect, test } from 'vitest';
import type { AppServices } from '../../src/app/app-services.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { createRenderGate } from '../../src/render/render-gate.ts';
import { handleSiteRequest } from '../../src/request/site-middleware.ts';
import type { ResolvedSite } from '../../src/request/resolve-site.ts';
import { tenantRecord } from '../support/tenant-record.ts';

const tenant = tenantRecord({ id: '00000000-0000-4000-8000-0000000000dd' });
const site: ResolvedSite = { kind: 'site', tenant, origin: 'https://acme.localhost', host: 'acme.localhost' };

/** Astro as it streams: the page is rendered while its body is read, chunk by chunk. */
function streamingPage(name: string, events: string[]): Response {
  let chunk = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (chunk === 0) events.push(`${name} renders`);
      if (chunk++ === 3) {
        events.push(`${name} rendered`);
        controller.close();
        return;
      }
      controller.enqueue(new TextEncoder().encode(`<p>${name} ${chunk}</p>`));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

describe('an uncached render stays inside the render gate until its page is whole', () => {
  test('with one render at a time, the second page starts rendering only after the first is rendered', async () => {
    const renders = createRenderGate({ concurrency: 1, queue: 10, deadlineMs: 5000 });
    const app = { renders, metrics: createMetrics(), pages: null, config: { trustProxy: { kind: 'none' } } } as unknown as AppServices;
    const events: string[] = [];
    const ask = (name: string) => {
      const context = { locals: { front: { site, secure: false, cacheable: false } }, url: new URL('https://acme.localhost/'), request: new Request('https://acme.localhost/') };
      const next = (async () => streamingPage(name, events)) as unknown as MiddlewareNext;
      return handleSiteRequest(app, context as unknown as APIContext, next);
    };
    const [a, b] = await Promise.all([ask('a'), ask('b')]);
    expect(events).toEqual(['a renders', 'a rendered', 'b renders', 'b rendered']);
    expect(await a.text()).toBe('<p>a 1</p><p>a 2</p><p>a 3</p>');
    expect(await b.text()).toBe('<p>b 1</p><p>b 2</p><p>b 3</p>');
    expect(a.headers.get('cache-control')).toBe('no-store');
    expect(renders.inFlight).toBe(0);
  });
});

describe('the render gate', () => {
  test('renders waiting for a slot start in the order they arrived', async () => {
    const gate = createRenderGate({ concurrency: 1, queue: 10, deadlineMs: 5000 });
    const started: number[] = [];
    let release!: () => void;
    const first = gate.run(() => new Promise<void>((resolve) => (release = resolve)));
    const rest = [1, 2, 3, 4, 5].map((n) => gate.run(async () => void started.push(n)));
    expect(gate.queued).toBe(5);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, ...rest]);
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });
});
