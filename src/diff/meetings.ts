import { formatPlainDate, parsePlanDay } from '../data/dates.js';
import type { HistoryCommit, HistoryVersion } from './history.js';

// The plan's meetings, found in its own history: each version of report.yaml names
// the meeting it goes to (`meeting_date`), so the plan as it went to a meeting is
// the last commit that still names that meeting. Nothing to configure. Pure.

/** A meeting of the committee, and the version of the plan it was given. */
export interface Meeting {
  /** `YYYY-MM-DD`, as report.yaml writes it. */
  date: string;
  commit: HistoryCommit;
  /** The version's place in the history (oldest first). */
  index: number;
}

/** Every meeting the history names, in date order, each with the last commit that went to it. */
export function meetingsIn(versions: readonly HistoryVersion[]): Meeting[] {
  const last = new Map<string, Meeting>();
  versions.forEach((v, index) => {
    if (v.items) last.set(v.items.meetingDate, { date: v.items.meetingDate, commit: v.commit, index });
  });
  return [...last.values()].sort((a, b) => a.date.localeCompare(b.date));
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
