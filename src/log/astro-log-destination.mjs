// Astro's logger destination (astro.config.mjs `logger`): in a running server, every message
// goes to the sink that src/log/astro-log-sink.ts registers, as one structured line; while
// building or under `astro dev`, there is none, and messages print as plain lines.
const SINK = Symbol.for('mosaic.astro-log-sink');
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export default function astroLogDestination() {
  return {
    write(event) {
      const sink = globalThis[SINK];
      if (typeof sink === 'function') {
        sink(event.level, event.label ?? null, String(event.message).replace(SGR, ''));
        return;
      }
      const stream = event.level === 'error' ? process.stderr : process.stdout;
      const prefix = event.label && event.label !== 'SKIP_FORMAT' ? `[${event.label}] ` : '';
      stream.write(`${prefix}${event.message}${event.newLine === false ? '' : '\n'}`);
    },
  };
}
