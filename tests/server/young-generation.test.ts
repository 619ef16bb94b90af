import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

// Every way the project starts a server holds V8's young generation at 2 × 16 MiB: left to
// itself, V8 sizes it from the heap limit and lets it grow to 128 MiB under render load.
const FLAG = '--max-semi-space-size=16';
const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe('the young generation of a production process', () => {
  test('npm start, serve and serve:cluster start Node with the semi-space limit', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain(`node ${FLAG} src/server/main.ts`);
    expect(scripts.serve).toBe(`node ${FLAG} src/server/main.ts`);
    expect(scripts['serve:cluster']).toBe(`node ${FLAG} src/server/cluster.ts`);
  });

  test('the image starts Node with it too', () => {
    expect(read('Dockerfile')).toMatch(new RegExp(`^CMD \\["node", "${FLAG}", "src/server/main.ts"\\]$`, 'm'));
  });

  test('cluster workers inherit the primary’s Node flags (no execArgv of their own)', () => {
    expect(read('src/server/cluster.ts')).not.toMatch(/execArgv/);
  });
});
