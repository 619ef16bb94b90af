/** Reads until `done` says yes or `withinMs` has passed; returns the last value read. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, withinMs: number, everyMs = 50): Promise<T> {
  const started = Date.now();
  let value = await read();
  while (!done(value) && Date.now() - started < withinMs) {
    await new Promise((r) => setTimeout(r, everyMs));
    value = await read();
  }
  return value;
}
