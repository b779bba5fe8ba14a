import { join, relative, resolve } from 'node:path';
import type { DataSet } from '../data/dataset.js';
import { direction, findWord, vocabularyFor } from '../data/status.js';
import type { StatusScheme, Vocabulary } from '../data/status.js';
import { readFile } from 'node:fs/promises';
import { REPORT_FILE } from '../data/dataset.js';
import { positionOf, readYamlSource } from '../data/yaml-source.js';
import type { YamlSource } from '../data/yaml-source.js';
import { CsiError } from '../errors.js';
import type { AudienceModel } from '../model/withhold.js';
import { collectItems } from './items.js';
import type { PlanItem, PlanItems } from './items.js';
import { meetingName } from './meetings.js';
import type { Meeting } from './meetings.js';
import type { VersionReader } from './source.js';
import type { HistoryVersion } from './history.js';
import { trackedItems } from './status.js';

// A report's "Progress since …" section (`kind: trend`): the items that carry a status
// at each meeting the plan's own git history names, read when the report is built.
// The history is read through VersionReader for the build's audience, so for the
// public no exempt item is counted at any meeting. Reading is here; the series a
// section shows, and its sums, are pure.

/** One item that carries a status, as it stood at one meeting. */
export interface TrackedAt {
  id: string;
  /** "Recommendation 2.3", as the report printed it then. */
  label: string;
  noun: string;
  plural?: string | undefined;
  /** The appendix key. */
  appendix: string;
  /** By field: `status`, and each rating's key. */
  words: Record<string, string>;
}

/** The plan at one meeting. */
export interface HistoryPoint {
  /** `YYYY-MM-DD`: report.yaml's meeting_date. */
  meeting: string;
  /** The data folder as it is now, changed since its last commit. */
  uncommitted: boolean;
  items: TrackedAt[];
}

/** The plan at each meeting, oldest first, for one audience. */
export interface ProgressHistory {
  points: HistoryPoint[];
  statuses: StatusScheme;
}

function trackedAt(items: PlanItems, fields: readonly string[]): TrackedAt[] {
  return trackedItems(items).map((item: PlanItem) => ({
    id: item.id,
    label: item.label,
    noun: item.noun,
    plural: item.plural,
    appendix: item.collection,
    words: Object.fromEntries(fields.flatMap((f) => (typeof item.fields[f] === 'string' ? [[f, item.fields[f]]] : []))),
  }));
}

/**
 * The plan at each meeting the history names; the data folder as it is now (`now`,
 * when it differs from its last commit) is the last point, under its own meeting
 * date, in place of any commit that named the same meeting. Pure.
 */
export function progressHistory(
  versions: readonly HistoryVersion[],
  meetings: readonly Meeting[],
  statuses: StatusScheme,
  now?: PlanItems,
): ProgressHistory {
  const fields = ['status', ...statuses.ratings.map((r) => r.key)];
  const points: HistoryPoint[] = meetings.flatMap((m) => {
    const items = versions[m.index]?.items;
    return items ? [{ meeting: m.date, uncommitted: false, items: trackedAt(items, fields) }] : [];
  });
  if (now) {
    const kept = points.filter((p) => p.meeting !== now.meetingDate);
    kept.push({ meeting: now.meetingDate, uncommitted: true, items: trackedAt(now, fields) });
    kept.sort((a, b) => a.meeting.localeCompare(b.meeting));
    return { points: kept, statuses };
  }
  return { points, statuses };
}

const HINT_NO_GIT = 'a section of kind: trend counts items at each meeting from the plan\'s git history: put the data folder in git (git init, git add, git commit), or remove the section';

/**
 * The history stage of a build whose report has a `kind: trend` section: the plan at
 * each meeting, for the audience of `now` (the model the withhold stage made from the
 * data being built). `modified`: the data folder differs from its last commit.
 * A data folder outside git, a shallow clone or a repository with no commits stops
 * the build with the fix, and so does a `since:` that names no meeting of it.
 */
export async function readProgressHistory(
  reader: VersionReader,
  dataDir: string,
  data: DataSet,
  now: AudienceModel,
  modified: boolean,
  cwd = process.cwd(),
): Promise<ProgressHistory> {
  await reader.repository(HINT_NO_GIT);
  const shown = relative(cwd, resolve(cwd, dataDir)) || '.';
  const plan = await reader.plan(now.audience).catch((error: unknown) => {
    if (error instanceof CsiError && (error.code === 'SHALLOW_CLONE' || error.code === 'NO_COMMITS')) {
      const why = error.code === 'SHALLOW_CLONE' ? 'is a shallow clone, so its history of the data is cut short' : 'has no commits yet';
      throw new CsiError(`the repository holding "${shown}" ${why}: a section of kind: trend cannot count items at each meeting`, {
        code: error.code,
        kind: error.kind,
        hint: error.hint,
        cause: error,
      });
    }
    throw error;
  });
  const history = progressHistory(plan.versions, plan.meetings, data.statuses, modified ? collectItems(now, data.appendixFiles) : undefined);
  // Where report.yaml writes a `since:`, read again only for the error that names its line.
  const report = () => readFile(join(resolve(cwd, dataDir), REPORT_FILE)).then((bytes) => readYamlSource(REPORT_FILE, bytes).source, () => undefined);
  await checkSince(history, data, shown, report);
  return history;
}

/**
 * Every `kind: trend` section's `since:` names a meeting of the history (or of the
 * data as it is now): otherwise a usage error naming the line (in `dataDir`, as shown;
 * `report` reads report.yaml for it), listing the meetings there are.
 */
async function checkSince(history: ProgressHistory, data: DataSet, dataDir: string, report: () => Promise<YamlSource | undefined>): Promise<void> {
  const known = history.points.map((p) => p.meeting);
  for (const [i, section] of data.report.sections.entries()) {
    if (!unknownSince(section, known)) continue;
    // One error, not a data problem: the data reads, the history lacks the meeting. Its place leads the message.
    const source = await report();
    const at = source ? positionOf(source, ['sections', i, 'since']) : undefined;
    const where = at ? `${join(dataDir, 'report.yaml')}:${at.line}:${at.column}  ` : '';
    throw new CsiError(`${where}no meeting on ${meetingName(section.since)} in the history of the plan, so the section "${section.title}" cannot start there`, {
      code: 'UNKNOWN_MEETING',
      kind: 'usage',
      ...(at ? { position: at } : {}),
      hint: known.length > 0
        ? `write since: as one of the meetings its commits name (report.yaml's meeting_date): ${known.join(', ')}; or leave since: out to start at the first`
        : 'no commit of the plan names a meeting yet: commit the data first',
    });
  }
}

type SectionData = DataSet['report']['sections'][number];

/** A trend section whose `since:` names no meeting of the history. */
function unknownSince(section: SectionData, known: readonly string[]): section is Extract<SectionData, { kind: 'trend' }> & { since: string } {
  return section.kind === 'trend' && section.since !== undefined && !known.includes(section.since);
}

// ---- what one section shows (pure) ------------------------------------------------

/** What a `kind: trend` section asks for. */
export interface TrendSpec {
  since?: string | undefined;
  appendix?: string | undefined;
  /** `status` (default) or a rating's key. */
  by?: string | undefined;
}

/** One bar and one row of the table. */
export interface SeriesPoint {
  meeting: string;
  uncommitted: boolean;
  /** By word id. */
  counts: Record<string, number>;
  total: number;
}

/** An item whose word moved down the vocabulary between two meetings. */
export interface Regression {
  id: string;
  label: string;
  from: string;
  to: string;
  /** The meeting it was first reported worse at. */
  meeting: string;
}

/** The numbers a `kind: trend` section shows. */
export interface ProgressSeries {
  /** `status` or the rating's key. */
  by: string;
  /** The words counted, best first. */
  words: Vocabulary;
  points: SeriesPoint[];
  regressions: Regression[];
  /** What the counted items are called, where they are all called the same. */
  noun: { one: string; many: string } | undefined;
}

/** The series a section shows: from its `since:` meeting (or the first), of one appendix or all, by status or a rating. */
export function progressSeries(history: ProgressHistory, spec: TrendSpec): ProgressSeries {
  const by = spec.by ?? 'status';
  const words = vocabularyFor(history.statuses, by) ?? [];
  const start = spec.since === undefined ? 0 : Math.max(0, history.points.findIndex((p) => p.meeting === spec.since));
  const chosen = history.points.slice(start).map((p) => ({ ...p, items: p.items.filter((i) => spec.appendix === undefined || i.appendix === spec.appendix) }));
  const points = chosen.map((p) => {
    const counts: Record<string, number> = Object.fromEntries(words.map((w) => [w.id, 0]));
    let total = 0;
    for (const item of p.items) {
      const word = item.words[by];
      if (word === undefined || findWord(words, word) === undefined) continue;
      counts[word] = (counts[word] ?? 0) + 1;
      total++;
    }
    return { meeting: p.meeting, uncommitted: p.uncommitted, counts, total };
  });
  const regressions: Regression[] = [];
  const named = new Set<string>();
  for (let i = 1; i < chosen.length; i++) {
    const before = new Map(chosen[i - 1]!.items.map((item) => [item.id, item.words[by]]));
    for (const item of chosen[i]!.items) {
      const from = before.get(item.id);
      const to = item.words[by];
      if (from === undefined || to === undefined || named.has(item.id) || direction(words, from, to) !== 'worse') continue;
      named.add(item.id);
      regressions.push({ id: item.id, label: item.label, from, to, meeting: chosen[i]!.meeting });
    }
  }
  const all = chosen.flatMap((p) => p.items);
  const nouns = new Set(all.map((i) => i.noun));
  const first = all[0];
  const noun = nouns.size === 1 && first ? { one: first.noun, many: first.plural ?? `${first.noun}s` } : undefined;
  return { by, words, points, regressions, noun };
}
