// Memory over time as a plain SVG (no dependencies): one polyline per series.
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
}

const SERIES: { key: keyof MemorySample; label: string; color: string }[] = [
  { key: 'rssMiB', label: 'RSS', color: '#d62728' },
  { key: 'heapUsedMiB', label: 'JS heap used', color: '#1f77b4' },
  { key: 'externalMiB', label: 'external', color: '#2ca02c' },
  { key: 'arrayBuffersMiB', label: 'array buffers', color: '#9467bd' },
  { key: 'pageCacheMiB', label: 'page cache (counted)', color: '#ff7f0e' },
  { key: 'dataCacheMiB', label: 'data cache (counted)', color: '#8c564b' },
];

/** A round step for axis ticks: 1, 2 or 5 times a power of ten, giving about `count` ticks. */
function step(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

export function memoryPlotSvg(samples: readonly MemorySample[], title: string, budgets: { label: string; mib: number }[] = []): string {
  const width = 900;
  const height = 480;
  const pad = { left: 64, right: 200, top: 40, bottom: 48 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const maxX = Math.max(1, ...samples.map((s) => s.minutes));
  const maxY = Math.max(1, ...samples.flatMap((s) => SERIES.map(({ key }) => s[key])), ...budgets.map((b) => b.mib)) * 1.1;
  const x = (minutes: number) => pad.left + (minutes / maxX) * plotW;
  const y = (mib: number) => pad.top + plotH - (mib / maxY) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${pad.left}" y="24" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
  const yStep = step(maxY, 6);
  for (let v = 0; v <= maxY; v += yStep) {
    out.push(`<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  }
  const xStep = step(maxX, 8);
  for (let v = 0; v <= maxX + 1e-9; v += xStep) {
    out.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${pad.top + plotH}" y2="${pad.top + plotH + 4}" stroke="#333"/>`);
    out.push(`<text x="${x(v)}" y="${pad.top + plotH + 18}" text-anchor="middle">${Number(v.toFixed(2))}</text>`);
  }
  out.push(`<rect x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${pad.left + plotW / 2}" y="${height - 10}" text-anchor="middle">minutes under load</text>`);
  out.push(`<text transform="translate(16 ${pad.top + plotH / 2}) rotate(-90)" text-anchor="middle">MiB</text>`);
  for (const budget of budgets) {
    out.push(`<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${y(budget.mib)}" y2="${y(budget.mib)}" stroke="#999" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${pad.left + 4}" y="${y(budget.mib) - 4}" fill="#666">${escape(budget.label)}</text>`);
  }
  SERIES.forEach(({ key, label, color }, i) => {
    const points = samples.map((s) => `${x(s.minutes).toFixed(1)},${y(s[key]).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/>`);
    const ly = pad.top + 10 + i * 20;
    out.push(`<line x1="${pad.left + plotW + 16}" x2="${pad.left + plotW + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${pad.left + plotW + 46}" y="${ly + 4}">${escape(label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node bench/soak-plot.ts <samples.json> <out.svg>');
    process.exit(2);
  }
  const data = JSON.parse(readFileSync(input, 'utf8')) as { title: string; samples: MemorySample[]; budgets?: { label: string; mib: number }[] };
  writeFileSync(output, memoryPlotSvg(data.samples, data.title, data.budgets));
}
