import type { ChalkInstance } from 'chalk';
import { exemptJson, fieldJson, placeJson } from './format-json.js';
import { formatDetail } from './format-text.js';
import type { HistoryEvent, HistoryVersion, ItemHistory, PlanHistory } from './history.js';
import { meetingName, meetingOf } from './meetings.js';
import type { Meeting } from './meetings.js';
import { plainDate, presentEntry } from './present.js';

// `csi log <id>` and `csi log --all` as text or JSON.

/** The first meeting each commit's changes went to, by commit. */
function meetingsByCommit(versions: readonly HistoryVersion[], meetings: readonly Meeting[]): Map<string, Meeting | undefined> {
  return new Map(versions.map((v, i) => [v.commit.commit, meetingOf(meetings, i)]));
}

/** One event as a block: the commit line, what happened (and the meeting it first went to), then the details. */
function eventText(event: HistoryEvent, history: PlanHistory, meeting: Meeting | undefined, c: ChalkInstance, withLabel: boolean): string[] {
  const { commit } = event;
  const entry = presentEntry(event, history.statuses);
  const out = [`${c.yellow(commit.short)}  ${plainDate(commit.date)}  ${commit.author}  ${c.dim(commit.subject)}`];
  const as = event.change === 'changed' ? (withLabel ? ` ${entry.label} (${event.id})` : '') : ` as ${entry.label}${withLabel ? ` (${event.id})` : ''} in ${event.place.where}`;
  const reported = meeting ? `, first reported at the meeting of ${meetingName(meeting.date)}` : '';
  out.push(`    ${c.bold(entry.verb)}${as}${reported}${entry.notice ? ` ${c.magenta(`[${entry.notice}]`)}` : ''}`);
  for (const d of entry.details) out.push(`      ${formatDetail(d, c).replace(/\n/g, '\n      ')}`);
  out.push('');
  return out;
}

function skippedText(history: PlanHistory, c: ChalkInstance): string[] {
  if (history.skipped.length === 0) return [];
  const n = history.skipped.length;
  return [c.dim(`${n} commit${n === 1 ? '' : 's'} with invalid data skipped: ${history.skipped.map((s) => s.short).join(', ')}`)];
}

/** One block per commit: the commit line, what happened, then the details. */
export function formatLogText(history: ItemHistory, c: ChalkInstance, versions: readonly HistoryVersion[] = [], meetings: readonly Meeting[] = []): string {
  const out: string[] = [];
  const met = meetingsByCommit(versions, meetings);
  const latest = history.events.at(-1);
  out.push(c.bold(`History of ${history.id}${latest ? ` (${latest.place.label}, ${latest.place.where})` : ''}`), '');
  for (const event of history.events) out.push(...eventText(event, history, met.get(event.commit.commit), c, false));
  out.push(...skippedText(history, c));
  return `${out.join('\n').trimEnd()}\n`;
}

/** Every item's changes, commit by commit, each naming its item. */
export function formatAllText(history: PlanHistory, versions: readonly HistoryVersion[], meetings: readonly Meeting[], c: ChalkInstance): string {
  const out: string[] = [];
  const met = meetingsByCommit(versions, meetings);
  for (const event of history.events) out.push(...eventText(event, history, met.get(event.commit.commit), c, true));
  out.push(...skippedText(history, c));
  return `${out.join('\n').trimEnd()}\n`;
}

function eventJson(e: HistoryEvent, meeting: Meeting | undefined) {
  return {
    commit: e.commit.commit,
    short: e.commit.short,
    date: e.commit.date,
    author: e.commit.author,
    subject: e.commit.subject,
    ...(meeting ? { meeting: meeting.date } : {}),
    change: e.change,
    kind: e.kind,
    ...placeJson(e.place),
    ...exemptJson(e.exempt),
    ...(e.value ? { value: e.value } : {}),
    ...(e.movedFrom ? { movedFrom: placeJson(e.movedFrom) } : {}),
    ...(e.change === 'changed' ? { fields: e.fields.map(fieldJson) } : {}),
  };
}

/** `{ id, events: [{ commit, date, author, subject, meeting, change, … }], skipped: [commit] }`, oldest first. */
export function formatLogJson(history: ItemHistory, versions: readonly HistoryVersion[] = [], meetings: readonly Meeting[] = []): string {
  const met = meetingsByCommit(versions, meetings);
  const json = {
    id: history.id,
    events: history.events.map((e) => eventJson(e, met.get(e.commit.commit))),
    skipped: history.skipped.map((s) => s.commit),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** `{ meetings: [{ date, commit }], events: [{ id, … }], skipped }`: every item's history, oldest first. */
export function formatAllJson(history: PlanHistory, versions: readonly HistoryVersion[], meetings: readonly Meeting[]): string {
  const met = meetingsByCommit(versions, meetings);
  const json = {
    meetings: meetings.map((m) => ({ date: m.date, commit: m.commit.commit })),
    events: history.events.map((e) => ({ id: e.id, ...eventJson(e, met.get(e.commit.commit)) })),
    skipped: history.skipped.map((s) => s.commit),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
