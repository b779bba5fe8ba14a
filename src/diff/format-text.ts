import type { ChalkInstance } from 'chalk';
import type { ChangeDisplay, DisplayDetail, DisplayEntry } from './present.js';
import type { WordPart } from './words.js';

// `csi diff` for a terminal: coloured with chalk when it is one; plain otherwise,
// where a word diff reads as git's --word-diff=plain does: [-old-]{+new+}.

function words(parts: readonly WordPart[], c: ChalkInstance): string {
  const plain = c.level === 0;
  return parts
    .map((p) => {
      if (p.op === 'equal') return p.text;
      if (plain) return p.op === 'removed' ? `[-${p.text}-]` : `{+${p.text}+}`;
      return p.op === 'removed' ? c.red.strikethrough(p.text) : c.green.underline(p.text);
    })
    .join('');
}

/** One detail line of an entry. */
export function formatDetail(d: DisplayDetail, c: ChalkInstance): string {
  const label = d.label ? `${c.dim(`${d.label}:`)} ` : '';
  if (d.note !== undefined) return c.cyan(d.note);
  if (d.words) return `${label}${words(d.words, c)}`;
  if (d.text !== undefined) {
    const tag = d.op === 'added' ? 'added' : 'removed';
    const text = d.op === 'added' ? c.green(d.text) : c.red(d.text);
    return `${d.label ? c.dim(`${d.label} (${tag}):`) : c.dim(`(${tag})`)} ${text}`;
  }
  if (d.value !== undefined) return `${label}${d.value}`;
  return `${label}${c.red(d.from ?? '')} → ${c.green(d.to ?? '')}`;
}

const MARKERS = { added: '+', removed: '-', changed: '~' } as const;

function entry(e: DisplayEntry, c: ChalkInstance): string {
  const colour = e.change === 'added' ? c.green : e.change === 'removed' ? c.red : c.yellow;
  const notice = e.notice ? ` ${c.magenta(`[${e.notice}]`)}` : '';
  const lines = [`  ${colour(MARKERS[e.change])} ${c.bold(e.label)} ${c.dim(`(${e.id})`)} ${colour(e.verb)}${notice}`];
  for (const d of e.details) lines.push(`      ${formatDetail(d, c).replace(/\n/g, '\n      ')}`);
  return lines.join('\n');
}

/** The change as text for a terminal or a pipe. */
export function formatText(display: ChangeDisplay, c: ChalkInstance): string {
  if (display.empty) return `No changes between ${display.from} and ${display.to}.\n`;
  const out = [`Changes from ${display.from} to ${display.to}`, c.bold(display.summary), ...(display.travel ? [display.travel] : []), ''];
  for (const group of display.groups) {
    out.push(c.bold.underline(group.heading));
    for (const e of group.entries) out.push(entry(e, c));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
