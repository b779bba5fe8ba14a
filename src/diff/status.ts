import { parsePlanDate, parsePlanDay } from '../data/dates.js';
import { direction, findWord, statusLabel } from '../data/status.js';
import type { Direction, StatusScheme } from '../data/status.js';
import type { HistoryCommit, HistoryVersion, PlanHistory } from './history.js';
import type { PlanItem, PlanItems } from './items.js';
import { meetingBefore, meetingOf } from './meetings.js';
import type { Meeting } from './meetings.js';
import { isOverdue as overdueBy } from '../model/report.js';

// `csi status` and `csi trend`: the plan's tracked items at one version, and counts
// by status at each meeting. Pure: the caller reads the history.

/** Kinds of item that carry a status. */
const TRACKED = new Set<PlanItem['kind']>(['recommendation', 'aspiration']);

/** The items of a version that carry a status (recommendations, actions, aspirations), in report order. */
export function trackedItems(items: PlanItems): PlanItem[] {
  return items.items.filter((i) => TRACKED.has(i.kind));
}

/** One tracked item at one version. */
export interface StatusRow {
  id: string;
  /** "A2.1.3". */
  number: string;
  /** "Recommendation A2.1.3". */
  label: string;
  noun: string;
  appendix: string;
  /** "Appendix 2 – …". */
  appendixHeading: string;
  group?: string | undefined;
  status: string;
  ratings: Record<string, string>;
  owner?: string | undefined;
  due?: string | undefined;
  overdue: boolean;
  /** When the status was last set (or the item added): the commit, and the first meeting it went to. */
  since?: { date: string; commit: string; meeting?: string | undefined } | undefined;
  /** The status at the meeting before, and which way it has moved since. */
  previous?: { meeting: string; status: string; direction: Direction | undefined } | undefined;
}

/** The plan's tracked items at one version. */
export interface PlanStatus {
  commit: HistoryCommit;
  /** The report's meeting date at that version. */
  meetingDate: string;
  /** The meeting this version went to, if it is one. */
  meeting?: string | undefined;
  rows: StatusRow[];
  statuses: StatusScheme;
}

/** The items the audience may see: the versions passed through the withhold stage (model/withhold.ts), so for the public nothing exempt is left. */
function shown(version: HistoryVersion): PlanItem[] {
  return version.items!.items;
}

const text = (v: PlanItem['fields'][string] | undefined) => (typeof v === 'string' ? v : undefined);

/** True when a due date (its last day) is before the meeting and the item is not done. */
function isOverdue(due: string | undefined, status: string, meetingDate: string, statuses: StatusScheme): boolean {
  if (!due) return false;
  const date = parsePlanDate(due);
  const meeting = parsePlanDay(meetingDate);
  // A due word ("Ongoing") is no date, so never overdue; a date is judged by the report's own rule.
  if (typeof date === 'string' || typeof meeting === 'string') return false;
  return overdueBy({ due: date, status }, statuses.status, meeting);
}

/**
 * Every tracked item at the version `index` of the history, with when its status
 * was last set and its status at the meeting before. Exempt items are left out for
 * the public: the versions were read for an audience, and withheld as the diff withholds.
 */
export function planStatus(versions: readonly HistoryVersion[], history: PlanHistory, meetings: readonly Meeting[], index: number): PlanStatus {
  const version = versions[index]!;
  const items = version.items!;
  const statuses = items.statuses;
  const place = new Map(versions.map((v, i) => [v.commit.commit, i]));
  // The last commit at or before this version that set each item's status.
  const since = new Map<string, { index: number; commit: HistoryCommit }>();
  for (const event of history.events) {
    const at = place.get(event.commit.commit) ?? Infinity;
    if (at > index || !TRACKED.has(event.kind)) continue;
    if (event.change === 'added' || (event.change === 'changed' && event.fields.some((f) => f.field === 'status'))) {
      since.set(event.id, { index: at, commit: event.commit });
    }
  }
  const thisMeeting = meetings.find((m) => m.index === index);
  const before = meetingBefore(meetings, thisMeeting ? thisMeeting.index : index + 1);
  const earlier = before && versions[before.index]?.items ? new Map(shown(versions[before.index]!).map((i) => [i.id, i])) : undefined;
  const headings = new Map(items.collections.map((c) => [c.id, c.heading]));
  const rows: StatusRow[] = [];
  for (const item of shown(version)) {
    if (!TRACKED.has(item.kind)) continue;
    const status = text(item.fields.status) ?? '';
    const ratings = Object.fromEntries(statuses.ratings.flatMap((r) => (text(item.fields[r.key]) ? [[r.key, text(item.fields[r.key])!]] : [])));
    const set = since.get(item.id);
    const was = text(earlier?.get(item.id)?.fields.status);
    rows.push({
      id: item.id,
      number: item.label.split(' ').at(-1) ?? '',
      label: item.label,
      noun: item.noun,
      appendix: item.collection,
      appendixHeading: headings.get(item.collection) ?? item.collection,
      group: item.group,
      status,
      ratings,
      owner: text(item.fields.owner),
      due: text(item.fields.due),
      overdue: isOverdue(text(item.fields.due), status, items.meetingDate, statuses),
      since: set && { date: set.commit.date, commit: set.commit.commit, meeting: meetingOf(meetings, set.index)?.date },
      previous: before && was !== undefined ? { meeting: before.date, status: was, direction: direction(statuses.status, was, status) } : undefined,
    });
  }
  return { commit: version.commit, meetingDate: items.meetingDate, meeting: thisMeeting?.date, rows, statuses };
}

/** A length of time as `--unchanged-for` writes it: `12m`, `1y`, `6w`, `90d`; undefined if it is none. */
export function parseDuration(text: string): { days?: number; months?: number } | undefined {
  const m = /^(\d+)([dwmy])$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'd' ? { days: n } : m[2] === 'w' ? { days: 7 * n } : m[2] === 'm' ? { months: n } : { months: 12 * n };
}

/**
 * Rows whose status has not changed for at least `span` before the version's own
 * commit date, and that have a status that is not done: "in progress for more than a year".
 */
export function unchangedFor(status: PlanStatus, span: { days?: number; months?: number }): StatusRow[] {
  const cut = new Date(status.commit.date);
  cut.setUTCMonth(cut.getUTCMonth() - (span.months ?? 0));
  cut.setUTCDate(cut.getUTCDate() - (span.days ?? 0));
  return status.rows.filter(
    (r) => r.status !== '' && r.since !== undefined && new Date(r.since.date) <= cut && findWord(status.statuses.status, r.status)?.countsAs !== 'done',
  );
}

/** Counts by status (and each rating's words) of one set of items. */
export interface TrendCounts {
  total: number;
  status: Record<string, number>;
  ratings: Record<string, Record<string, number>>;
}

/** Counts at one meeting: overall and per appendix (in report order). */
export interface TrendPoint {
  meeting: string;
  commit: string;
  overall: TrendCounts;
  appendices: { key: string; heading: string; counts: TrendCounts }[];
}

export interface Trend {
  points: TrendPoint[];
  statuses: StatusScheme;
}

function count(items: readonly PlanItem[], statuses: StatusScheme): TrendCounts {
  const counts: TrendCounts = {
    total: 0,
    status: Object.fromEntries(statuses.status.map((w) => [w.id, 0])),
    ratings: Object.fromEntries(statuses.ratings.map((r) => [r.key, Object.fromEntries(r.vocabulary.map((w) => [w.id, 0]))])),
  };
  for (const item of items) {
    counts.total++;
    const status = text(item.fields.status);
    if (status !== undefined) counts.status[status] = (counts.status[status] ?? 0) + 1;
    for (const r of statuses.ratings) {
      const word = text(item.fields[r.key]);
      if (word !== undefined) counts.ratings[r.key]![word] = (counts.ratings[r.key]![word] ?? 0) + 1;
    }
  }
  return counts;
}

/** Counts by status at each meeting, overall and per appendix, told in the latest version's words. */
export function planTrend(versions: readonly HistoryVersion[], meetings: readonly Meeting[], statuses: StatusScheme): Trend {
  const points = meetings.flatMap((m) => {
    const version = versions[m.index];
    if (!version?.items) return [];
    const tracked = shown(version).filter((i) => TRACKED.has(i.kind));
    const headings = new Map(version.items.collections.map((c) => [c.id, c.heading]));
    const keys = [...new Set(tracked.map((i) => i.collection))];
    return [{
      meeting: m.date,
      commit: m.commit.commit,
      overall: count(tracked, statuses),
      appendices: keys.map((key) => ({ key, heading: headings.get(key) ?? key, counts: count(tracked.filter((i) => i.collection === key), statuses) })),
    }];
  });
  return { points, statuses };
}

/** A status's label, for the formatters. */
export function labelOf(statuses: StatusScheme, id: string): string {
  return statusLabel(statuses.status, id);
}
