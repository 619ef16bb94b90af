#!/usr/bin/env node
// The `mosaic` command. The CLI is TypeScript run by Node 24's type stripping; when this file is
// started by an older `node` (npx uses whichever is first on PATH), it runs the CLI again with
// the project's own Node 24 (the `node` dev dependency) and passes its exit code on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (Number(process.versions.node.split('.')[0]) >= 24) {
  await import(main);
} else {
  const node = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(node)) {
    console.error(`mosaic needs Node 24 (this is ${process.version}): run \`npm install\` in the project first.`);
    process.exit(1);
  }
  const child = spawnSync(node, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
