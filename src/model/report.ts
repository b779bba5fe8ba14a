import type { DataSet } from '../data/dataset.js';
import { parsePlanDate, parsePlanDay } from '../data/dates.js';
import type { PlanDate, PlanDay } from '../data/dates.js';
import { compareDays } from '../data/dates.js';
import type { AppendixFile, ChangeKind, ExemptableText, Exemption, FrameworkBodyData, FrontSheet, NumberingStyle, SectionData, Status } from '../data/schema.js';
import { fieldExemption, fieldText } from './exempt.js';
import { findWord, worstStatus } from '../data/status.js';
import type { Direction, StatusScheme, Vocabulary } from '../data/status.js';
import { ragWords, tallyMeasures, workOutMeasures } from './scorecard.js';
import type { Measure, Rag, ScorecardTally } from './scorecard.js';
import type { Period, PeriodType } from '../data/measures.js';
import type { StatusWord } from '../data/status.js';

/** How many tracked items stand at each status; computed, never typed. */
export interface StatusTally {
  total: number;
  /** By status id, only the statuses some item has (the vocabulary gives their order). */
  counts: Record<Status, number>;
  /** True when a public build left exempt items out of this count. */
  withheld?: boolean;
}

export interface NumberedParagraph {
  /** "1.1", "1.2" …; empty where the report numbers no paragraphs. */
  number: string;
  text: string;
  /** Set when the paragraph is exempt from publication (Schedule 12A). */
  exempt?: Exemption | undefined;
}

/** Which of an item's fields are exempt on their own. */
export type ExemptFields<K extends string> = Partial<Record<K, Exemption>>;

/** A sub-heading of an implications section (Legal, Financial …) with its paragraphs. */
export interface Subsection {
  title: string;
  paragraphs: NumberedParagraph[];
  exempt?: Exemption | undefined;
}

export type Section = SectionData & {
  /** 1, 2 … from order. */
  number: number;
  /** The section's number as printed: "1.0", "1." or nothing, as the report's numbering says. */
  label: string;
  /** Paragraphs, or a recommendations section's recommendations, numbered. */
  numberedParagraphs: NumberedParagraph[];
  /** An implications section's sub-headings, their paragraphs numbered on from the section's. */
  subsections: Subsection[];
};

/** What an appendix calls one of its items and several, as in "Of 4 priorities" and a "Priority" column. */
export interface ItemName {
  one: string;
  many: string;
}

export interface ChronologyDate {
  date: PlanDate;
  entries: { id: string; event: string; exempt?: Exemption | undefined }[];
}

export interface Recommendation {
  id: string;
  /** The item's own number from the data, or "A2.1.3": appendix, group and place in it. */
  number: string;
  /** True when the number says something of the item (typed, or its reference), not only its place. */
  ownNumber?: boolean | undefined;
  text: string;
  /** Undefined only where a public build has withheld the item (see withhold.ts). */
  status: Status | undefined;
  /** Its place on each further scale the council rates on, by rating key (csi.config.yaml `ratings`). */
  ratings?: Record<string, Status> | undefined;
  reference?: string | undefined;
  owner?: string | undefined;
  due?: PlanDate | undefined;
  /** A due that is no date, in the council's words ("Ongoing"): csi.config.yaml `due_words`. */
  dueWord?: string | undefined;
  /** Not done, and due (the last day of a due month) before the meeting. */
  overdue?: boolean | undefined;
  measure?: string | undefined;
  /** A note on how it is going. */
  progress?: string | undefined;
  exempt?: Exemption | undefined;
  exemptFields?: ExemptFields<RecommendationField> | undefined;
  /**
   * Direction of travel, for a tracker's `previous` and `direction` columns: the last
   * meeting before this report's, the item's status at it (none where the item was not
   * in the plan then) and which way it has moved since. Read from the plan's history at
   * build time (diff/travel.ts); not set by the model.
   */
  previous?: { meeting: string; status?: Status | undefined; direction?: Direction | undefined } | undefined;
}

/** The fields of a recommendation that may be exempt on their own. */
export type RecommendationField = 'reference' | 'owner' | 'measure' | 'progress';

/** A tracker column: the field it shows (`ratings.KEY` for a rating) and its heading. */
export interface TrackerColumn {
  show: string;
  label: string;
}

/** Counts by rating key, for each rating the council names. */
export type RatingTallies = Record<string, StatusTally>;

export interface RecommendationGroup {
  id: string;
  number: number;
  /** The area's own reference ("AFI 1"), printed before its title instead of its number. */
  reference?: string | undefined;
  title?: string | undefined;
  /** Who leads the area. */
  lead?: string | undefined;
  /** What the group calls its items, where it says ("action", "actions"): a diff's labels use it. */
  itemName?: ItemName | undefined;
  /** The area's rating: given, or worked out by the appendix's rule. */
  rating?: Status | undefined;
  /** Whether the rating was worked out from the items (and so follows them when some are withheld). */
  ratingWorkedOut?: boolean | undefined;
  items: Recommendation[];
  tally: StatusTally;
  ratingTallies: RatingTallies;
  exempt?: Exemption | undefined;
}

export interface Aspiration {
  id: string;
  /** The item's own number from the data, or "A4.3": appendix and place in it. */
  number: string;
  /** True when the number was typed in the data, so says something of the item. */
  ownNumber?: boolean | undefined;
  text: string;
  status?: Status | undefined;
  exempt?: Exemption | undefined;
}

export interface ReportingLine {
  from: string;
  to: string;
  what: string;
  frequency: string;
  session?: 'public' | 'private' | undefined;
  exempt?: Exemption | undefined;
}

interface AppendixCommon {
  key: string;
  /** "Appendix N", from order. */
  number: number;
  title: string;
  heading: string;
  exempt?: Exemption | undefined;
}

export type Appendix = AppendixCommon &
  (
    | { kind: 'chronology'; dates: ChronologyDate[]; first: PlanDay; last: PlanDay }
    | {
        kind: 'recommendations';
        itemName: ItemName;
        groups: RecommendationGroup[];
        tally: StatusTally;
        ratingTallies: RatingTallies;
        /** The tracker's columns as the appendix chooses them; undefined for csi's own table. */
        columns?: TrackerColumn[] | undefined;
        /** How many items are overdue (counted after any withholding). */
        overdue: number;
      }
    | { kind: 'aspirations'; itemName: ItemName; aspirations: Aspiration[]; tally: StatusTally }
    | {
        kind: 'framework';
        summary?: string | undefined;
        exemptFields?: ExemptFields<'summary'> | undefined;
        bodies: FrameworkBodyData[];
        lines: ReportingLine[];
      }
    | {
        kind: 'scorecard';
        itemName: ItemName;
        periodType: PeriodType;
        /** The latest period any measure has; undefined when none has a figure. */
        latest: Period | undefined;
        measures: Measure[];
        /** RAG and direction counted over the measures (not `tally`: these are not statuses). */
        scorecardTally: ScorecardTally;
        /** The council's words for red, amber and green. */
        ragWords: Record<Rag, StatusWord>;
      }
  );

/** The committee report, as the plan's data says it should read. */
export interface ReportModel {
  title: string;
  council: string;
  committee: string;
  meetingDate: PlanDay;
  author: string;
  /** The plan's own version label, if report.yaml gives one. */
  version?: string | undefined;
  status: 'draft' | 'final';
  /** The heading block's lines (report of, wards, key decision …), as the data gives them. */
  frontSheet?: FrontSheet | undefined;
  numbering: NumberingStyle;
  /** Whether the report has a contents list (report.yaml `contents`, on by default). */
  contents: boolean;
  /** Printed after the last section when the data gives it. */
  signOff?: PlanDay | undefined;
  /** The report's language tag (HTML lang, PDF /Lang). */
  language: string;
  /** The PDF's Keywords: council, committee, then any the data adds. */
  keywords: string[];
  /** What a "Changes since …" appendix leaves out. */
  changesAppendix: { leaveOut: string[]; leaveOutChanges: ChangeKind[] };
  sections: Section[];
  appendices: Appendix[];
  glossary: { term: string; definition: string }[];
  /** The council's status words, which every status in the model is one of. */
  statuses: StatusScheme;
}

/** Counts items by status. */
export function tally(statuses: readonly (Status | undefined)[]): StatusTally {
  const counts: Record<Status, number> = {};
  let total = 0;
  for (const s of statuses) {
    if (s === undefined) continue;
    counts[s] = (counts[s] ?? 0) + 1;
    total++;
  }
  return { total, counts };
}

/** Counts items on each of the given rating keys. */
export function tallyRatings(items: readonly Pick<Recommendation, 'ratings'>[], keys: readonly string[]): RatingTallies {
  return Object.fromEntries(keys.map((key) => [key, tally(items.map((i) => i.ratings?.[key]))]));
}

function date(text: string): PlanDate {
  const parsed = parsePlanDate(text);
  if (typeof parsed === 'string') throw new Error(`unvalidated date reached the model: ${parsed}`);
  return parsed;
}

/** The ratings an item gives, without the keys it leaves out; undefined when it gives none. */
function ratings(given: Record<string, Status | undefined> | undefined): Record<string, Status> | undefined {
  const set = Object.entries(given ?? {}).filter((e): e is [string, Status] => e[1] !== undefined);
  return set.length ? Object.fromEntries(set) : undefined;
}

/** Only the fields that are exempt; undefined when none is. */
function exemptFields<K extends string>(fields: Record<K, ExemptableText | undefined>): ExemptFields<K> | undefined {
  const found = Object.entries<ExemptableText | undefined>(fields)
    .map(([k, v]) => [k, fieldExemption(v)] as const)
    .filter(([, e]) => e !== undefined);
  return found.length ? (Object.fromEntries(found) as ExemptFields<K>) : undefined;
}

/** What items are called where the data does not say. */
export const DEFAULT_ITEM_NAMES: Record<'recommendations' | 'aspirations', ItemName> = {
  recommendations: { one: 'recommendation or action', many: 'recommendations and actions' },
  aspirations: { one: 'aspiration', many: 'aspirations' },
};

/**
 * An appendix item's number: its own, where the data gives one, or "A" with the
 * appendix's number and its place ("A2.1.3"), which no paragraph number can be.
 */
function itemNumber(own: number | string | undefined, ...place: number[]): string {
  return own !== undefined ? String(own).trim() : `A${place.join('.')}`;
}

/**
 * An item's number by the appendix's pattern: `{group}`, `{n}`, `{appendix}` and
 * `{reference}` filled in ("{group}.{n}" → "3.2"); `none` numbers nothing.
 */
export function patternNumber(pattern: string, place: { appendix: number; group: number; n: number; reference?: string | undefined }): string {
  if (pattern === 'none') return '';
  return pattern.replace(/\{(appendix|group|n|reference)\}/g, (_, token: string) =>
    token === 'reference' ? (place.reference ?? '').trim() : String(place[token as 'appendix' | 'group' | 'n']),
  );
}

/** The last day a due date allows: the day itself, or the last of its month (a range's end). */
function lastDueDay(due: PlanDate): PlanDay {
  const d = due.end ?? due.start;
  return d.day !== undefined ? d : { ...d, day: new Date(Date.UTC(d.year, d.month, 0)).getUTCDate() };
}

/** True when an item not done was due before the meeting. */
export function isOverdue(item: Pick<Recommendation, 'due' | 'status'>, vocabulary: Vocabulary, meeting: PlanDay): boolean {
  if (item.due === undefined || item.status === undefined) return false;
  if (findWord(vocabulary, item.status)?.countsAs === 'done') return false;
  return compareDays(lastDueDay(item.due), meeting.day === undefined ? lastDueDay({ start: meeting }) : meeting) < 0;
}

/** A group's rating: its own, else the worst of its items' statuses if the rule says so. */
export function groupRating(given: Status | undefined, rule: 'worst' | 'none' | undefined, items: readonly Pick<Recommendation, 'status'>[], vocabulary: Vocabulary) {
  if (given !== undefined) return { rating: given, ratingWorkedOut: false };
  if (rule !== 'worst') return { rating: undefined, ratingWorkedOut: false };
  return { rating: worstStatus(vocabulary, items.map((i) => i.status)), ratingWorkedOut: true };
}

/** One kind of appendix file, as the data gives it. */
type AppendixFileOf<K extends AppendixFile['kind']> = Extract<AppendixFile, { kind: K }>;
/** One kind of modelled appendix. */
type AppendixOf<K extends Appendix['kind']> = Extract<Appendix, { kind: K }>;

function modelAppendix(data: AppendixFile, number: number, scheme: StatusScheme, meeting: PlanDay): Appendix {
  const common = { key: data.key, number, title: data.title, heading: data.heading ?? data.title, exempt: data.exempt };
  switch (data.kind) {
    case 'chronology':
      return modelChronology(data, common);
    case 'recommendations':
      return modelRecommendations(data, common, scheme, meeting);
    case 'aspirations':
      return modelAspirations(data, common);
    case 'framework':
      return modelFramework(data, common);
    case 'scorecard':
      return modelScorecard(data, common, scheme);
  }
}

/** A chronology: entries on the same date gathered under it, in the data's order. */
function modelChronology(data: AppendixFileOf<'chronology'>, common: AppendixCommon): AppendixOf<'chronology'> {
  const dates: ChronologyDate[] = [];
  for (const entry of data.entries) {
    const last = dates.at(-1);
    const modelled = { id: entry.id, event: entry.event, exempt: entry.exempt };
    if (last && JSON.stringify(last.date) === JSON.stringify(date(entry.date))) {
      last.entries.push(modelled);
    } else {
      dates.push({ date: date(entry.date), entries: [modelled] });
    }
  }
  const first = dates[0]!.date.start;
  const lastDate = dates.at(-1)!.date;
  return { ...common, kind: 'chronology', dates, first, last: lastDate.end ?? lastDate.start };
}

/** A recommendations tracker: its groups, their items, and the counts over them. */
function modelRecommendations(data: AppendixFileOf<'recommendations'>, common: AppendixCommon, scheme: StatusScheme, meeting: PlanDay): AppendixOf<'recommendations'> {
  const ratingKeys = scheme.ratings.map((r) => r.key);
  const groups = data.groups.map((group, g) => modelRecommendationGroup(data, group, g, common.number, scheme, meeting));
  // Where the appendix names nothing but every group names its items alike, they are the appendix's too.
  const groupNames = new Set(data.groups.map((g) => (g.item_name ? `${g.item_name.one}\u0000${g.item_name.many}` : undefined)));
  const shared = groupNames.size === 1 ? data.groups[0]?.item_name : undefined;
  const itemName = data.item_name ?? shared ?? DEFAULT_ITEM_NAMES.recommendations;
  const all = groups.flatMap((g) => g.items);
  return {
    ...common,
    kind: 'recommendations',
    itemName,
    groups,
    tally: tally(all.map((i) => i.status)),
    ratingTallies: tallyRatings(all, ratingKeys),
    columns: data.columns,
    overdue: all.filter((i) => i.overdue).length,
  };
}

type RecommendationGroupData = AppendixFileOf<'recommendations'>['groups'][number];

/** One group (area) of a tracker, `g` from 0: its items, rating and counts. */
function modelRecommendationGroup(data: AppendixFileOf<'recommendations'>, group: RecommendationGroupData, g: number, number: number, scheme: StatusScheme, meeting: PlanDay): RecommendationGroup {
  const ratingKeys = scheme.ratings.map((r) => r.key);
  const items = group.items.map((item, i) => modelRecommendation(data, item, number, g, i, scheme, meeting));
  return {
    id: group.id,
    number: g + 1,
    reference: group.reference,
    title: group.title,
    lead: group.lead,
    ...(group.item_name && { itemName: group.item_name }),
    ...groupRating(group.rating, data.group_rating, items, scheme.status),
    items,
    tally: tally(items.map((i) => i.status)),
    ratingTallies: tallyRatings(items, ratingKeys),
    exempt: group.exempt,
  };
}

/** One tracked item, `g` and `i` from 0: numbered by the appendix's pattern or its place, due date or due word, overdue flag. */
function modelRecommendation(data: AppendixFileOf<'recommendations'>, item: RecommendationGroupData['items'][number], number: number, g: number, i: number, scheme: StatusScheme, meeting: PlanDay): Recommendation {
  const dueWords = scheme.dueWords ?? [];
  const place = { appendix: number, group: g + 1, n: i + 1, reference: fieldText(item.reference) };
  const modelled: Recommendation = {
    id: item.id,
    number:
      data.numbering !== undefined && item.number === undefined
        ? patternNumber(data.numbering, place)
        : data.groups.length > 1
          ? itemNumber(item.number, number, g + 1, i + 1)
          : itemNumber(item.number, number, i + 1),
    ownNumber: item.number !== undefined || (data.numbering ?? '').includes('{reference}'),
    text: item.text,
    status: item.status,
    ratings: ratings(item.ratings),
    reference: fieldText(item.reference),
    owner: fieldText(item.owner),
    due: item.due === undefined || dueWords.includes(item.due) ? undefined : date(item.due),
    dueWord: item.due !== undefined && dueWords.includes(item.due) ? item.due : undefined,
    measure: fieldText(item.measure),
    progress: fieldText(item.progress),
    exempt: item.exempt,
    exemptFields: exemptFields({ reference: item.reference, owner: item.owner, measure: item.measure, progress: item.progress }),
  };
  return isOverdue(modelled, scheme.status, meeting) ? { ...modelled, overdue: true } : modelled;
}

/** An aspirations list: each numbered by its place unless the data numbers it. */
function modelAspirations(data: AppendixFileOf<'aspirations'>, common: AppendixCommon): AppendixOf<'aspirations'> {
  const aspirations = data.aspirations.map((a, i) => ({
    id: a.id,
    number: itemNumber(a.number, common.number, i + 1),
    ownNumber: a.number !== undefined,
    text: a.text,
    status: a.status,
    exempt: a.exempt,
  }));
  const itemName = data.item_name ?? DEFAULT_ITEM_NAMES.aspirations;
  return { ...common, kind: 'aspirations', itemName, aspirations, tally: tally(aspirations.map((a) => a.status)) };
}

/** A governance framework: its bodies, and the reporting lines flattened out of them. */
function modelFramework(data: AppendixFileOf<'framework'>, common: AppendixCommon): AppendixOf<'framework'> {
  const lines = data.bodies.flatMap((body) =>
    (body.reports_to ?? []).map((line) => ({
      from: body.id,
      to: line.body,
      what: line.what,
      frequency: line.frequency,
      session: line.session,
      exempt: line.exempt,
    })),
  );
  return {
    ...common,
    kind: 'framework',
    summary: fieldText(data.summary),
    exemptFields: exemptFields({ summary: data.summary }),
    bodies: data.bodies,
    lines,
  };
}

/** A performance scorecard: its measures worked out, with their RAG counts and the council's RAG words. */
function modelScorecard(data: AppendixFileOf<'scorecard'>, common: AppendixCommon, scheme: StatusScheme): AppendixOf<'scorecard'> {
  const { latest, measures } = workOutMeasures(data);
  return {
    ...common,
    kind: 'scorecard',
    itemName: data.item_name ?? { one: 'measure', many: 'measures' },
    periodType: data.period,
    latest,
    measures,
    scorecardTally: tallyMeasures(measures),
    ragWords: ragWords(scheme.status, data.rag_words),
  };
}

/** Numbers a section and its paragraphs in the report's numbering style. */
function modelSection(section: SectionData, s: number, style: NumberingStyle): Section {
  const number = s + 1;
  const label = style === '1.0' ? `${number}.0` : style === '1.' ? `${number}.` : '';
  let next = 0;
  const numbered = (p: ExemptableText): NumberedParagraph => ({
    number: style === 'none' ? '' : `${number}.${++next}`,
    text: fieldText(p),
    exempt: fieldExemption(p),
  });
  switch (section.kind) {
    case 'narrative':
    case 'progress':
    case 'trend':
    case 'scorecard':
      return { ...section, number, label, numberedParagraphs: (section.paragraphs ?? []).map(numbered), subsections: [] };
    case 'recommendations': {
      // Unnumbered reports still number what the committee is asked to do, so the minutes can refer to it.
      const own = (p: ExemptableText, i: number) => (style === 'none' ? { ...numbered(p), number: `(${i + 1})` } : numbered(p));
      return { ...section, number, label, numberedParagraphs: section.recommendations.map(own), subsections: [] };
    }
    case 'implications':
      return {
        ...section,
        number,
        label,
        numberedParagraphs: [],
        subsections: section.implications.map((im) => ({ title: im.title, exempt: im.exempt, paragraphs: im.paragraphs.map(numbered) })),
      };
    default:
      return { ...section, number, label, numberedParagraphs: [], subsections: [] };
  }
}

/** The language a report is in when its data does not say. */
export const DEFAULT_LANGUAGE = 'en-GB';

function day(text: string): PlanDay {
  const parsed = parsePlanDay(text);
  if (typeof parsed === 'string') throw new Error(`unvalidated date reached the model: ${parsed}`);
  return parsed;
}

/**
 * Appendices already modelled, by the checked appendix they came from and what else
 * they depend on (number, status words, meeting day): a history of hundreds of
 * commits, most changing one file, models each version of an appendix once, and
 * versions that share it share the same (never changed) object.
 */
export type ModelCache = WeakMap<AppendixFile, { scheme: StatusScheme; byPlace: Map<string, Appendix> }[]>;

/** An empty model cache. */
export function modelCache(): ModelCache {
  return new WeakMap();
}

/** modelAppendix, once per appendix, number, status words and meeting day when there is a cache. */
function cachedAppendix(cache: ModelCache | undefined, data: AppendixFile, number: number, scheme: StatusScheme, meeting: PlanDay): Appendix {
  if (!cache) return modelAppendix(data, number, scheme, meeting);
  let schemes = cache.get(data);
  if (!schemes) cache.set(data, (schemes = []));
  let known = schemes.find((s) => s.scheme === scheme);
  if (!known) schemes.push((known = { scheme, byPlace: new Map() }));
  const place = `${number} ${meeting.year}-${meeting.month}-${meeting.day}`;
  let appendix = known.byPlace.get(place);
  if (!appendix) known.byPlace.set(place, (appendix = modelAppendix(data, number, scheme, meeting)));
  return appendix;
}

/** Builds the report model from a checked data set. Pure (a cache only saves work). */
export function buildModel(data: DataSet, cache?: ModelCache): ReportModel {
  const { report } = data;
  const meetingDate = day(report.meeting_date);
  return {
    title: report.title,
    council: report.council,
    committee: report.committee,
    meetingDate,
    author: report.author,
    version: report.version,
    status: report.status,
    frontSheet: report.front_sheet,
    numbering: report.numbering ?? '1.0',
    contents: report.contents ?? true,
    signOff: report.sign_off === undefined ? undefined : day(report.sign_off),
    language: report.language ?? DEFAULT_LANGUAGE,
    keywords: [report.council, report.committee, ...(report.keywords ?? [])],
    changesAppendix: {
      leaveOut: report.changes_appendix?.leave_out ?? [],
      leaveOutChanges: report.changes_appendix?.leave_out_changes ?? [],
    },
    sections: report.sections.map((section, s) => modelSection(section, s, report.numbering ?? '1.0')),
    appendices: data.appendices.map((a, i) => cachedAppendix(cache, a, i + 1, data.statuses, meetingDate)),
    glossary: data.glossary?.terms ?? [],
    statuses: data.statuses,
  };
}
