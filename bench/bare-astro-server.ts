// The framework baseline's server: Astro's middleware-mode handler behind a plain Node server.
import http from 'node:http';
import { fileURLToPath } from 'node:url';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void, locals?: object) => Promise<void>;
const entry = fileURLToPath(new URL('./bare-astro/dist/server/entry.mjs', import.meta.url));
const { handler } = (await import(entry)) as { handler: Handler };
const server = http.createServer((req, res) =>
  handler(req, res, () => {
    res.statusCode = 404;
    res.end();
  }),
);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
