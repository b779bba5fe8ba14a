import type { ChangeDisplay, DisplayDetail, DisplayEntry } from './present.js';
import type { WordPart } from './words.js';

// `csi diff --format markdown`: for a pull-request comment. Data text is shown as
// written (its own Markdown escaped, so a change inside **bold** stays readable);
// rewording uses <del>/<ins>, which GitHub, GitLab and marked all render.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Text from data, safe to drop into a Markdown line: no markup, no HTML, no line breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[&<>]/g, (ch) => HTML_ESCAPES[ch]!)
    .replace(/[\\`*_[\]#|~]/g, (ch) => `\\${ch}`)
    .replace(/\n+/g, '<br>');
}

function words(parts: readonly WordPart[]): string {
  return parts
    .map((p) => {
      const text = escapeMarkdown(p.text);
      if (p.op === 'equal') return text;
      return p.op === 'removed' ? `<del>${text}</del>` : `<ins>${text}</ins>`;
    })
    .join('');
}

function detail(d: DisplayDetail): string {
  const label = d.label ? `${escapeMarkdown(d.label)}: ` : '';
  if (d.note !== undefined) return `*${escapeMarkdown(d.note)}*`;
  if (d.words) return `${label}${words(d.words)}`;
  if (d.text !== undefined) {
    const tag = d.op === 'added' ? 'added' : 'removed';
    return `${d.label ? `${escapeMarkdown(d.label)} (${tag}): ` : `(${tag}) `}${escapeMarkdown(d.text)}`;
  }
  if (d.value !== undefined) return `${label}${escapeMarkdown(d.value)}`;
  return `${label}~~${escapeMarkdown(d.from ?? '')}~~ → **${escapeMarkdown(d.to ?? '')}**`;
}

function entry(e: DisplayEntry): string {
  const notice = e.notice ? ` · **${escapeMarkdown(e.notice)}**` : '';
  const lines = [`- **${escapeMarkdown(e.label)}** ${e.verb} · \`${e.id}\`${notice}`];
  for (const d of e.details) lines.push(`  - ${detail(d)}`);
  return lines.join('\n');
}

/** The change as a Markdown comment. */
export function formatMarkdown(display: ChangeDisplay): string {
  const sides = `${escapeMarkdown(display.from)} → ${escapeMarkdown(display.to)}`;
  if (display.empty) return `### Plan changes\n\nNo changes: ${sides}.\n`;
  const out = ['### Plan changes', '', `**${escapeMarkdown(display.summary)}**`, '', ...(display.travel ? [escapeMarkdown(display.travel), ''] : []), `<sub>${sides}</sub>`, ''];
  for (const group of display.groups) {
    out.push(`#### ${escapeMarkdown(group.heading)}`, '');
    for (const e of group.entries) out.push(entry(e));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
