// Memory over time as a plain SVG (no dependencies): one polyline per series, and below it the
// load the server was under (requests a second, the machine's load average).
//   node bench/soak-plot.ts <samples.json> <out.svg>
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface MemorySample {
  /** Minutes since the load started. */
  minutes: number;
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  pageCacheMiB: number;
  dataCacheMiB: number;
  /** Requests sent so far. */
  requests: number;
  /** The machine's one-minute load average. */
  load1: number;
}

interface Series {
  label: string;
  color: string;
  values: number[];
}

interface Box {
  top: number;
  height: number;
}

const WIDTH = 900;
const PAD = { left: 64, right: 200 };
const PLOT_W = WIDTH - PAD.left - PAD.right;

/** A round step for axis ticks: 1, 2 or 5 times a power of ten, giving about `count` ticks. */
function step(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One chart: grid, axes, dashed reference lines, a polyline per series and its legend. */
function chart(minutes: number[], series: Series[], box: Box, unit: string, references: { label: string; value: number }[] = []): string[] {
  const maxX = Math.max(1, ...minutes);
  const maxY = Math.max(1, ...series.flatMap((s) => s.values), ...references.map((r) => r.value)) * 1.1;
  const x = (m: number) => PAD.left + (m / maxX) * PLOT_W;
  const y = (v: number) => box.top + box.height - (v / maxY) * box.height;
  const out: string[] = [];
  const yStep = step(maxY, 5);
  for (let v = 0; v <= maxY; v += yStep) {
    out.push(`<line x1="${PAD.left}" x2="${PAD.left + PLOT_W}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${Number(v.toFixed(2))}</text>`);
  }
  const xStep = step(maxX, 8);
  for (let v = 0; v <= maxX + 1e-9; v += xStep) {
    out.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${box.top + box.height}" y2="${box.top + box.height + 4}" stroke="#333"/>`);
    out.push(`<text x="${x(v)}" y="${box.top + box.height + 18}" text-anchor="middle">${Number(v.toFixed(2))}</text>`);
  }
  out.push(`<rect x="${PAD.left}" y="${box.top}" width="${PLOT_W}" height="${box.height}" fill="none" stroke="#333"/>`);
  out.push(`<text transform="translate(16 ${box.top + box.height / 2}) rotate(-90)" text-anchor="middle">${escape(unit)}</text>`);
  for (const reference of references) {
    out.push(`<line x1="${PAD.left}" x2="${PAD.left + PLOT_W}" y1="${y(reference.value)}" y2="${y(reference.value)}" stroke="#999" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${PAD.left + PLOT_W + 6}" y="${y(reference.value) + 4}" fill="#666">${escape(reference.label)}</text>`);
  }
  series.forEach(({ label, color, values }, i) => {
    const points = values.map((v, j) => `${x(minutes[j]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/>`);
    const ly = box.top + 10 + i * 20;
    out.push(`<line x1="${PAD.left + PLOT_W + 16}" x2="${PAD.left + PLOT_W + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${PAD.left + PLOT_W + 46}" y="${ly + 4}">${escape(label)}</text>`);
  });
  return out;
}

/** Requests a second between consecutive samples (the first sample has none before it). */
function rates(samples: readonly MemorySample[]): number[] {
  return samples.map((s, i) => {
    const before = samples[i - 1];
    if (!before || s.minutes <= before.minutes) return 0;
    return (s.requests - before.requests) / ((s.minutes - before.minutes) * 60);
  });
}

export function memoryPlotSvg(samples: readonly MemorySample[], title: string, budgets: { label: string; mib: number }[] = []): string {
  const minutes = samples.map((s) => s.minutes);
  const pick = (key: keyof MemorySample) => samples.map((s) => s[key]);
  const memory = chart(
    minutes,
    [
      { label: 'RSS', color: '#d62728', values: pick('rssMiB') },
      { label: 'JS heap used', color: '#1f77b4', values: pick('heapUsedMiB') },
      { label: 'external', color: '#2ca02c', values: pick('externalMiB') },
      { label: 'array buffers', color: '#9467bd', values: pick('arrayBuffersMiB') },
      { label: 'page cache (counted)', color: '#ff7f0e', values: pick('pageCacheMiB') },
      { label: 'data cache (counted)', color: '#8c564b', values: pick('dataCacheMiB') },
    ],
    { top: 40, height: 340 },
    'MiB',
    budgets.map((b) => ({ label: b.label, value: b.mib })),
  );
  const load = chart(
    minutes,
    [
      { label: 'requests / s', color: '#17becf', values: rates(samples) },
      { label: 'load average × 10', color: '#7f7f7f', values: pick('load1').map((l) => l * 10) },
    ],
    { top: 440, height: 140 },
    'load',
  );
  const height = 640;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="24" font-size="15" font-weight="bold">${escape(title)}</text>`,
    ...memory,
    ...load,
    `<text x="${PAD.left + PLOT_W / 2}" y="${height - 12}" text-anchor="middle">minutes under load</text>`,
    '</svg>',
  ].join('\n') + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node bench/soak-plot.ts <samples.json> <out.svg>');
    process.exit(2);
  }
  const data = JSON.parse(readFileSync(input, 'utf8')) as { title: string; samples: MemorySample[]; budgets?: { label: string; mib: number }[] };
  writeFileSync(output, memoryPlotSvg(data.samples, data.title, data.budgets));
}
