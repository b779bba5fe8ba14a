import { formatPlainDate, parsePlanDay } from '../data/dates.js';
import type { HistoryCommit, HistoryVersion } from './history.js';

// The plan's meetings, found in its own history: each version of report.yaml names
// the meeting it goes to (`meeting_date`), so the plan as it went to a meeting is
// the last commit that names that meeting and was made by the day of the meeting
// (a commit made later, still naming it, cannot have gone to it; if every commit
// naming it is later, the last of them). Where that guess is wrong, csi.config.yaml
// says which revision went to a meeting (`meetings`), or names the tags that mark
// them (`meeting_tags`); those beat meeting_date for the dates they name. Pure.

/** A meeting of the committee, and the version of the plan it was given. */
export interface Meeting {
  /** `YYYY-MM-DD`, as report.yaml writes it. */
  date: string;
  commit: HistoryCommit;
  /** The version's place in the history (oldest first). */
  index: number;
  /** Where the meeting was found: report.yaml's meeting_date, csi.config.yaml's `meetings`, or a tag matching `meeting_tags`. */
  from?: 'meeting_date' | 'config' | 'tag';
}

/** csi.config.yaml's word on the plan's meetings. */
export interface MeetingSettings {
  /** Meeting date (YYYY-MM-DD) → the revision that went to it. */
  revisions?: Record<string, string> | undefined;
  /** A tag name pattern whose `{date}` part is the meeting's date: "osc-{date}". */
  tags?: string | undefined;
}

/** The part of a tag pattern that stands for the meeting's date. */
export const DATE_PART = '{date}';

/** The meeting date a tag names under `pattern` ("osc-{date}" and "osc-2016-05-17" → "2016-05-17"), or undefined. */
export function tagDate(pattern: string, tag: string): string | undefined {
  const at = pattern.indexOf(DATE_PART);
  if (at < 0) return undefined;
  const [before, after] = [pattern.slice(0, at), pattern.slice(at + DATE_PART.length)];
  if (!tag.startsWith(before) || !tag.endsWith(after) || tag.length < before.length + after.length) return undefined;
  const date = tag.slice(before.length, tag.length - after.length);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && typeof parsePlanDay(date) !== 'string' ? date : undefined;
}

/**
 * The meetings of the history and those named by the config (already placed in
 * the history), in date order: a date the config names is the config's.
 */
export function withNamedMeetings(found: readonly Meeting[], named: readonly Meeting[]): Meeting[] {
  const byDate = new Map<string, Meeting>();
  for (const m of found) byDate.set(m.date, { ...m, from: m.from ?? 'meeting_date' });
  for (const m of named) byDate.set(m.date, m);
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Every meeting the history names, in date order, each with the last commit that went to it. */
export function meetingsIn(versions: readonly HistoryVersion[]): Meeting[] {
  const last = new Map<string, Meeting & { inTime: boolean }>();
  versions.forEach((v, index) => {
    if (!v.items) return;
    const date = v.items.meetingDate;
    // Author dates are ISO 8601 with the author's offset: the calendar day is the first ten characters.
    const inTime = v.commit.date.slice(0, 10) <= date;
    const known = last.get(date);
    if (!known || inTime || !known.inTime) last.set(date, { date, commit: v.commit, index, inTime });
  });
  return [...last.values()].sort((a, b) => a.date.localeCompare(b.date)).map(({ inTime: _, ...m }) => m);
}

/** The first meeting a change at this place in the history went to (none yet: undefined). */
export function meetingOf(meetings: readonly Meeting[], index: number): Meeting | undefined {
  let best: Meeting | undefined;
  for (const m of meetings) if (m.index >= index && (!best || m.index < best.index)) best = m;
  return best;
}

/** The meeting before the one at `index` (or before that place in the history). */
export function meetingBefore(meetings: readonly Meeting[], index: number): Meeting | undefined {
  let best: Meeting | undefined;
  for (const m of meetings) if (m.index < index && (!best || m.index > best.index)) best = m;
  return best;
}

/** "17 May 2016". */
export function meetingName(date: string): string {
  const day = parsePlanDay(date);
  return typeof day === 'string' ? date : formatPlainDate(day);
}

/** `meeting:2016-05-17`, as a revision may be written; the date, or undefined for any other revision. */
export function meetingSpec(spec: string): string | undefined {
  return /^meeting:(\d{4}-\d{2}-\d{2})$/.exec(spec)?.[1];
}
