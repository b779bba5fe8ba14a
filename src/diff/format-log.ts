import type { ChalkInstance } from 'chalk';
import { exemptJson, fieldJson, placeJson } from './format-json.js';
import { formatDetail } from './format-text.js';
import type { ItemHistory } from './history.js';
import { plainDate, presentEntry } from './present.js';

// `csi log <id>` as text or JSON.

/** One block per commit: the commit line, what happened, then the details. */
export function formatLogText(history: ItemHistory, c: ChalkInstance): string {
  const out: string[] = [];
  const latest = history.events.at(-1);
  out.push(c.bold(`History of ${history.id}${latest ? ` (${latest.place.label}, ${latest.place.where})` : ''}`), '');
  for (const event of history.events) {
    const { commit } = event;
    const entry = presentEntry(event, history.statuses);
    out.push(`${c.yellow(commit.short)}  ${plainDate(commit.date)}  ${commit.author}  ${c.dim(commit.subject)}`);
    const as = event.change === 'changed' ? '' : ` as ${entry.label} in ${event.place.where}`;
    out.push(`    ${c.bold(entry.verb)}${as}${entry.notice ? ` ${c.magenta(`[${entry.notice}]`)}` : ''}`);
    for (const d of entry.details) out.push(`      ${formatDetail(d, c).replace(/\n/g, '\n      ')}`);
    out.push('');
  }
  if (history.skipped.length > 0) {
    const n = history.skipped.length;
    out.push(c.dim(`${n} commit${n === 1 ? '' : 's'} with invalid data skipped: ${history.skipped.map((s) => s.short).join(', ')}`));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** `{ id, events: [{ commit, date, author, subject, change, … }], skipped: [commit] }`, oldest first. */
export function formatLogJson(history: ItemHistory): string {
  const json = {
    id: history.id,
    events: history.events.map((e) => ({
      commit: e.commit.commit,
      short: e.commit.short,
      date: e.commit.date,
      author: e.commit.author,
      subject: e.commit.subject,
      change: e.change,
      kind: e.kind,
      ...placeJson(e.place),
      ...exemptJson(e.exempt),
      ...(e.value ? { value: e.value } : {}),
      ...(e.movedFrom ? { movedFrom: placeJson(e.movedFrom) } : {}),
      ...(e.change === 'changed' ? { fields: e.fields.map(fieldJson) } : {}),
    })),
    skipped: history.skipped.map((s) => s.commit),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
