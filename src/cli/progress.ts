/** A progress bar on stderr when it is a terminal; nothing otherwise, so pipes and logs stay clean. */
export interface Progress {
  tick(): void;
  done(): void;
}

/** One redrawn line: `label [####......] done/total`. */
function barLine(label: string, done: number, total: number): string {
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  return `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

export function createProgress(total: number, label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total === 0) return { tick: () => undefined, done: () => undefined };
  let count = 0;
  const started = Date.now();
  const draw = () => stream.write(`${barLine(label, count, total)} ${((Date.now() - started) / 1000).toFixed(1)}s`);
  draw();
  return {
    tick() {
      count += 1;
      draw();
    },
    done() {
      stream.write('\n');
    },
  };
}

/** A step of long work as operations report it (`OperationContext.progress`). */
export type ProgressStep = { what: string; done: number; total: number };

/**
 * Steps of long work on stderr: one redrawn bar per kind of step on a terminal, ended when it is
 * full; a line per step otherwise, so a log still shows how far the work went.
 */
export function createStepProgress(stream: NodeJS.WriteStream = process.stderr): (step: ProgressStep) => void {
  return ({ what, done, total }) => {
    if (stream.isTTY) stream.write(`${barLine(what, done, total)}${done === total ? '\n' : ''}`);
    else stream.write(`${what}: ${done}/${total}\n`);
  };
}

/** Runs `work` on every item, at most `limit` at a time, keeping the items' order in the answer. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
