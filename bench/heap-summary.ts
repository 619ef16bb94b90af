// node bench/heap-summary.ts <file.heapsnapshot> [top] — where a heap snapshot's bytes are: self
// size summed by node type and by constructor, largest first. For bench:memory's snapshots.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/heap-summary.ts <file.heapsnapshot> [top]');
const top = Number(process.argv[3] ?? 30);
const heap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = heap.snapshot.meta.node_fields;
const types = heap.snapshot.meta.node_types[0];
const [TYPE, NAME, SIZE] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];

const byType = new Map<string, number>();
const byName = new Map<string, { bytes: number; count: number }>();
let total = 0;
for (let i = 0; i < heap.nodes.length; i += fields.length) {
  const type = types[heap.nodes[i + TYPE]!]!;
  const size = heap.nodes[i + SIZE]!;
  total += size;
  byType.set(type, (byType.get(type) ?? 0) + size);
  // Objects and native nodes by constructor; strings, code and arrays by kind alone.
  const name = type === 'object' || type === 'native' ? `${type}: ${heap.strings[heap.nodes[i + NAME]!]}` : type;
  const entry = byName.get(name) ?? { bytes: 0, count: 0 };
  entry.bytes += size;
  entry.count += 1;
  byName.set(name, entry);
}

const mib = (n: number) => (n / 2 ** 20).toFixed(1);
console.log(`total self size ${mib(total)} MiB\n\n| node type | MiB |\n| --- | ---: |`);
for (const [type, bytes] of [...byType].sort((a, b) => b[1] - a[1])) console.log(`| ${type} | ${mib(bytes)} |`);
console.log(`\n| constructor / kind | MiB | count |\n| --- | ---: | ---: |`);
for (const [name, { bytes, count }] of [...byName].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top)) {
  console.log(`| ${name.slice(0, 80).replaceAll('|', '\\|')} | ${mib(bytes)} | ${count} |`);
}
