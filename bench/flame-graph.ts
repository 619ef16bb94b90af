// A V8 CPU profile (`node --cpu-prof`) as a flame graph SVG: stacks folded by function, widths by
// samples, the root at the bottom. Hover a frame for its name, file and share of the samples.
//   node bench/flame-graph.ts profile.cpuprofile out.svg [title]
import { readFileSync, writeFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Frame {
  name: string;
  self: number;
  total: number;
  children: Map<string, Frame>;
}

const [input, output, title = 'CPU profile'] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: flame-graph.ts <profile.cpuprofile> <out.svg> [title]');
const profile = JSON.parse(readFileSync(input, 'utf8')) as { nodes: ProfileNode[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

const label = (node: ProfileNode): string => {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(node_modules\/)?/, (_m, modules: string | undefined) => (modules ? 'node_modules/' : '')).replace(/^file:\/\//, '');
  return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
};

/** Folds the call tree by label, so a function reached by the same path is one frame. */
function fold(node: ProfileNode, into: Frame): void {
  into.self += node.hitCount ?? 0;
  for (const id of node.children ?? []) {
    const child = byId.get(id)!;
    const name = label(child);
    // Idle time and the collector are not the request path.
    if (name.startsWith('(idle)') || name.startsWith('(program)')) continue;
    let frame = into.children.get(name);
    if (!frame) into.children.set(name, (frame = { name, self: 0, total: 0, children: new Map() }));
    fold(child, frame);
  }
}
const totals = (frame: Frame): number => (frame.total = frame.self + [...frame.children.values()].reduce((sum, child) => sum + totals(child), 0));

const root: Frame = { name: 'all', self: 0, total: 0, children: new Map() };
fold(profile.nodes[0]!, root);
totals(root);

const WIDTH = 1600;
const ROW = 16;
const rects: string[] = [];
let depthMax = 0;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function lay(frame: Frame, x: number, depth: number): void {
  const width = (frame.total / root.total) * WIDTH;
  if (width < 0.5) return;
  depthMax = Math.max(depthMax, depth);
  const share = ((100 * frame.total) / root.total).toFixed(1);
  const hue = frame.name.includes('node_modules') ? 40 : frame.name.includes('/src/') || frame.name.includes(' src/') ? 10 : 200;
  const text = width > 40 ? `<text x="${(x + 3).toFixed(1)}" y="{Y}" font-size="11">${escape(frame.name.slice(0, Math.floor(width / 6.5)))}</text>` : '';
  rects.push(`<g><title>${escape(frame.name)} — ${share} %</title><rect x="${x.toFixed(1)}" y="{Y0}" width="${width.toFixed(1)}" height="${ROW - 1}" fill="hsl(${hue},70%,${60 + (depth % 4) * 5}%)"/>${text}</g>`.replace(/\{D\}/g, String(depth)).replace('{Y0}', `{Y0:${depth}}`).replace('{Y}', `{Y:${depth}}`));
  let offset = x;
  for (const child of [...frame.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    lay(child, offset, depth + 1);
    offset += (child.total / root.total) * WIDTH;
  }
}
lay(root, 0, 0);
const height = (depthMax + 1) * ROW + 40;
const body = rects.map((r) => r.replace(/\{Y0:(\d+)\}/, (_m, d: string) => String(height - (Number(d) + 1) * ROW)).replace(/\{Y:(\d+)\}/, (_m, d: string) => String(height - Number(d) * ROW - 4)));
writeFileSync(
  output,
  `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="monospace">\n` +
    `<text x="4" y="16" font-size="14">${escape(title)} (${root.total} samples)</text>\n${body.join('\n')}\n</svg>\n`,
);
console.log(`${output}: ${rects.length} frames, ${root.total} samples`);
