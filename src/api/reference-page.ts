import { createHash } from 'node:crypto';

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content?: Record<string, { example?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

interface DocumentLike {
  info: { title: string; description?: string };
  paths?: object;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h2{border-bottom:1px solid #ccc;margin-top:2.5rem}section{margin:1.25rem 0}code,pre{font:13px ui-monospace,monospace}
pre{background:#f4f4f5;padding:.75rem;overflow:auto}.m{display:inline-block;min-width:4.5rem;font-weight:700}
.open{color:#8a4b00}`;

/** The page is self-contained: its one style is allowed by hash, and nothing else loads. */
export const REFERENCE_PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
};

/** A readable reference of the document, rendered on the server (no script, works under the CSP). */
export function referencePage(document: DocumentLike): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths ?? {}) as [string, Record<string, unknown> | undefined][]) {
    for (const method of METHODS) {
      const operation = item?.[method] as Operation | undefined;
      if (!operation) continue;
      const tag = operation.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationSection(method, path, operation)]);
    }
  }
  const sections = [...byTag].map(([tag, items]) => `<h2 id="${escape(tag)}">${escape(tag)}</h2>\n${items.join('\n')}`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(document.info.title)}</title><style>${STYLE}</style></head>
<body><h1>${escape(document.info.title)}</h1><p>${escape(document.info.description ?? '')}</p>
<p>The machine-readable document: <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a>. Errors are
<code>application/problem+json</code> (RFC 9457) with a permanent <code>code</code> and, for invalid input, every failing path in <code>errors</code>.</p>
<nav>${[...byTag.keys()].map((tag) => `<a href="#${escape(tag)}">${escape(tag)}</a>`).join(' · ')}</nav>
${sections.join('\n')}
</body></html>`;
}

function operationSection(method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? []).map((p) => `<li><code>${escape(p.name)}</code> (${escape(p.in)}${p.required ? ', required' : ''})${p.description ? ` — ${escape(p.description)}` : ''}</li>`);
  const example = op.requestBody?.content?.['application/json']?.example;
  const responses = Object.entries(op.responses ?? {}).map(([status, r]) => `<li><code>${escape(status)}</code> ${escape(r.description ?? '')}</li>`);
  const open = Array.isArray(op.security) && op.security.length === 0;
  return `<section id="${escape(op.operationId ?? '')}"><h3><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p><strong>${escape(op.summary ?? '')}</strong>${open ? ' <span class="open">(no sign-in needed)</span>' : ''}</p>
${op.description ? `<p>${escape(op.description)}</p>` : ''}
${params.length ? `<ul>${params.join('')}</ul>` : ''}
${example === undefined ? '' : `<p>Example body:</p><pre>${escape(JSON.stringify(example, null, 2))}</pre>`}
<ul>${responses.join('')}</ul></section>`;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
