// A row module that lives in its own file and may not be in this checkout: bench/<file> exports
// `benchRow: BenchModule` (and guards its stand-alone run with `if (import.meta.main)`).
// Missing, it is skipped with a note — the only row that may be skipped.
import { existsSync } from 'node:fs';
import type { BenchModule } from '../context.ts';

export function plugIn(file: string, title: string): BenchModule {
  return {
    title,
    async run(ctx) {
      const url = new URL(`../${file}`, import.meta.url);
      if (!existsSync(url)) {
        ctx.notes.push(`${title}: skipped, bench/${file} is not in this checkout.`);
        ctx.log(`${title}: skipped (bench/${file} missing)`);
        return;
      }
      const module = (await import(url.href)) as { benchRow?: BenchModule };
      if (!module.benchRow) throw new Error(`bench/${file} exports no benchRow`);
      await module.benchRow.run(ctx);
    },
  };
}
