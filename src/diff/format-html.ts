import { escapeXml } from '../text/escape.js';
import type { ChangeDisplay, DisplayDetail, DisplayEntry } from './present.js';
import type { WordPart } from './words.js';

// `csi diff --format html`: one self-contained page (inline CSS, no requests).
// Data text is escaped, never rendered as Markdown, so a diff cannot inject markup.

const CSS = `
html { font-family: 'Liberation Sans', Arial, Helvetica, sans-serif; font-size: 12pt; line-height: 1.45; color: #1a1a1a; background: #fff; }
body { margin: 0 auto; max-width: 52rem; padding: 1rem; }
h1, h2 { color: #1d4f76; line-height: 1.25; }
h1 { font-size: 20pt; }
h2 { font-size: 14pt; margin-top: 1.6rem; border-bottom: 1px solid #9aa5b1; }
.summary { font-weight: bold; }
.sides { color: #4a4a4a; }
ul.entries { list-style: none; padding: 0; }
li.entry { margin: 0.6rem 0; padding-left: 0.6rem; border-left: 4px solid #9aa5b1; }
li.entry-added { border-color: #1e5e2f; }
li.entry-removed { border-color: #8a1c1c; }
.entry-head .verb { font-style: italic; }
.entry-head code { color: #4a4a4a; font-size: 0.9em; }
ul.details { margin: 0.2rem 0 0; padding-left: 1.2rem; white-space: pre-line; }
.field { color: #4a4a4a; }
del, .from { color: #8a1c1c; text-decoration: line-through; }
ins, .to { color: #1e5e2f; text-decoration: underline; }
.text-added { color: #1e5e2f; }
.text-removed { color: #8a1c1c; }
.note { font-style: italic; }
.exempt-notice { color: #8a1c1c; }
`;

function words(parts: readonly WordPart[]): string {
  return parts
    .map((p) => (p.op === 'equal' ? escapeXml(p.text) : p.op === 'removed' ? `<del>${escapeXml(p.text)}</del>` : `<ins>${escapeXml(p.text)}</ins>`))
    .join('');
}

function detail(d: DisplayDetail): string {
  const label = d.label ? `<span class="field">${escapeXml(d.label)}:</span> ` : '';
  if (d.note !== undefined) return `<span class="note">${escapeXml(d.note)}</span>`;
  if (d.words) return `${label}${words(d.words)}`;
  if (d.text !== undefined) {
    const tag = d.op === 'added' ? 'added' : 'removed';
    const head = d.label ? `<span class="field">${escapeXml(d.label)} (${tag}):</span> ` : `<span class="field">(${tag})</span> `;
    return `${head}<span class="text-${tag}">${escapeXml(d.text)}</span>`;
  }
  if (d.value !== undefined) return `${label}${escapeXml(d.value)}`;
  return `${label}<span class="from"><span class="visually-hidden">was </span>${escapeXml(d.from ?? '')}</span> → <span class="to">${escapeXml(d.to ?? '')}</span>`;
}

function entry(e: DisplayEntry): string {
  const details = e.details.map((d) => `<li>${detail(d)}</li>`).join('');
  return (
    `<li class="entry entry-${e.change}"><p class="entry-head"><strong>${escapeXml(e.label)}</strong> ` +
    `<span class="verb">${escapeXml(e.verb)}</span> <code>${escapeXml(e.id)}</code>` +
    (e.notice ? ` <strong class="exempt-notice">${escapeXml(e.notice)}</strong>` : '') +
    '</p>' +
    (details ? `<ul class="details">${details}</ul>` : '') +
    '</li>'
  );
}

/** The change as one self-contained HTML page. */
export function formatHtml(display: ChangeDisplay): string {
  const sides = `Comparing ${escapeXml(display.from)} with ${escapeXml(display.to)}.`;
  const body = display.empty
    ? `<p class="summary">No changes.</p><p class="sides">${sides}</p>`
    : [
        `<p class="summary">${escapeXml(display.summary)}</p>`,
        ...(display.travel ? [`<p class="travel">${escapeXml(display.travel)}</p>`] : []),
        `<p class="sides">${sides}</p>`,
        ...display.groups.map(
          (g) => `<section><h2>${escapeXml(g.heading)}</h2><ul class="entries">${g.entries.map(entry).join('\n')}</ul></section>`,
        ),
      ].join('\n');
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plan changes</title>
<style>${CSS}.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }</style>
</head>
<body>
<main>
<h1>Plan changes</h1>
${body}
</main>
</body>
</html>
`;
}
