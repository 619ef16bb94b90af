/** A progress bar on stderr when it is a terminal; nothing otherwise, so pipes and logs stay clean. */
export interface Progress {
  tick(): void;
  done(): void;
}

export function createProgress(total: number, label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total === 0) return { tick: () => undefined, done: () => undefined };
  let count = 0;
  const started = Date.now();
  const draw = () => {
    const width = 30;
    const filled = Math.round((count / total) * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total} ${seconds}s`);
  };
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
