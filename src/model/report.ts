import type { DataSet } from '../data/dataset.js';
import { parsePlanDate, parsePlanDay } from '../data/dates.js';
import type { PlanDate, PlanDay } from '../data/dates.js';
import { STATUSES } from '../data/schema.js';
import type { AppendixFile, ChangeKind, ExemptableText, Exemption, FrameworkBodyData, SectionData, Status } from '../data/schema.js';
import type { PlanChange } from '../diff/plan-change.js';
import { fieldExemption, fieldText } from './exempt.js';

/** How many tracked items stand at each status; computed, never typed. */
export interface StatusTally {
  total: number;
  counts: Record<Status, number>;
  /** True when a public build left exempt items out of this count. */
  withheld?: boolean;
}

export interface NumberedParagraph {
  number: string;
  text: string;
  /** Set when the paragraph is exempt from publication (Schedule 12A). */
  exempt?: Exemption | undefined;
}

/** Which of an item's fields are exempt on their own. */
export type ExemptFields<K extends string> = Partial<Record<K, Exemption>>;

export type Section = SectionData & {
  /** "1", "2" … from order. */
  number: number;
  numberedParagraphs: NumberedParagraph[];
};

export interface ChronologyDate {
  date: PlanDate;
  entries: { id: string; event: string; exempt?: Exemption | undefined }[];
}

export interface Recommendation {
  id: string;
  /** "1.3": group and position within it. */
  number: string;
  text: string;
  /** Undefined only where a public build has withheld the item (see withhold.ts). */
  status: Status | undefined;
  reference?: string | undefined;
  owner?: string | undefined;
  exempt?: Exemption | undefined;
  exemptFields?: ExemptFields<'reference' | 'owner'> | undefined;
}

export interface RecommendationGroup {
  id: string;
  number: number;
  title?: string | undefined;
  items: Recommendation[];
  tally: StatusTally;
  exempt?: Exemption | undefined;
}

export interface Aspiration {
  id: string;
  number: number;
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
    | { kind: 'recommendations'; groups: RecommendationGroup[]; tally: StatusTally }
    | { kind: 'aspirations'; aspirations: Aspiration[]; tally: StatusTally }
    | {
        kind: 'framework';
        summary?: string | undefined;
        exemptFields?: ExemptFields<'summary'> | undefined;
        bodies: FrameworkBodyData[];
        lines: ReportingLine[];
      }
    // Not from the data: added by `build-report --changes-since` (src/diff/appendix.ts).
    | { kind: 'changes'; change: PlanChange }
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
}

/** Counts items by status. */
export function tally(statuses: readonly (Status | undefined)[]): StatusTally {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  let total = 0;
  for (const s of statuses) {
    if (s === undefined) continue;
    counts[s]++;
    total++;
  }
  return { total, counts };
}

function date(text: string): PlanDate {
  const parsed = parsePlanDate(text);
  if (typeof parsed === 'string') throw new Error(`unvalidated date reached the model: ${parsed}`);
  return parsed;
}

/** Only the fields that are exempt; undefined when none is. */
function exemptFields<K extends string>(fields: Record<K, ExemptableText | undefined>): ExemptFields<K> | undefined {
  const found = Object.entries<ExemptableText | undefined>(fields)
    .map(([k, v]) => [k, fieldExemption(v)] as const)
    .filter(([, e]) => e !== undefined);
  return found.length ? (Object.fromEntries(found) as ExemptFields<K>) : undefined;
}

function modelAppendix(data: AppendixFile, number: number): Appendix {
  const common = { key: data.key, number, title: data.title, heading: data.heading ?? data.title, exempt: data.exempt };
  switch (data.kind) {
    case 'chronology': {
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
    case 'recommendations': {
      const groups = data.groups.map((group, g) => {
        const items = group.items.map((item, i) => ({
          id: item.id,
          number: data.groups.length > 1 ? `${g + 1}.${i + 1}` : `${i + 1}`,
          text: item.text,
          status: item.status,
          reference: fieldText(item.reference),
          owner: fieldText(item.owner),
          exempt: item.exempt,
          exemptFields: exemptFields({ reference: item.reference, owner: item.owner }),
        }));
        return { id: group.id, number: g + 1, title: group.title, items, tally: tally(items.map((i) => i.status)), exempt: group.exempt };
      });
      return { ...common, kind: 'recommendations', groups, tally: tally(groups.flatMap((g) => g.items.map((i) => i.status))) };
    }
    case 'aspirations': {
      const aspirations = data.aspirations.map((a, i) => ({ id: a.id, number: i + 1, text: a.text, status: a.status, exempt: a.exempt }));
      return { ...common, kind: 'aspirations', aspirations, tally: tally(aspirations.map((a) => a.status)) };
    }
    case 'framework': {
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
  }
}

/** The language a report is in when its data does not say. */
export const DEFAULT_LANGUAGE = 'en-GB';

function day(text: string): PlanDay {
  const parsed = parsePlanDay(text);
  if (typeof parsed === 'string') throw new Error(`unvalidated date reached the model: ${parsed}`);
  return parsed;
}

/** Builds the report model from a checked data set. Pure. */
export function buildModel(data: DataSet): ReportModel {
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
    signOff: report.sign_off === undefined ? undefined : day(report.sign_off),
    language: report.language ?? DEFAULT_LANGUAGE,
    keywords: [report.council, report.committee, ...(report.keywords ?? [])],
    changesAppendix: {
      leaveOut: report.changes_appendix?.leave_out ?? [],
      leaveOutChanges: report.changes_appendix?.leave_out_changes ?? [],
    },
    sections: report.sections.map((section, s) => ({
      ...section,
      number: s + 1,
      numberedParagraphs:
        section.kind === 'narrative'
          ? section.paragraphs.map((p, i) => ({ number: `${s + 1}.${i + 1}`, text: fieldText(p), exempt: fieldExemption(p) }))
          : [],
    })),
    appendices: data.appendices.map((a, i) => modelAppendix(a, i + 1)),
    glossary: data.glossary?.terms ?? [],
  };
}
