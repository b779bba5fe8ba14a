import { APPENDIX_REFERENCE } from '../data/checks.js';
import type { ReportModel } from '../model/report.js';
import type { AudienceModel } from '../model/withhold.js';
import { APPENDICES_COLLECTION, GLOSSARY_COLLECTION, REPORT_COLLECTION, SECTIONS_COLLECTION } from './items.js';
import type { PlanChange } from './plan-change.js';
import { changesTitle, present } from './present.js';
import type { DisplayDetail } from './present.js';

// `csi build-report --changes-since REV`: the diff as one more appendix, written
// for the committee (labels as the report prints them, no ids).

/** The "Changes since …" appendix: not from the data, but added after the others by the pipeline. */
export interface ChangesAppendix {
  key: string;
  number: number;
  title: string;
  heading: string;
  kind: 'changes';
  change: PlanChange;
  /** Never exempt itself: the comparison leaves out what the audience may not see. */
  exempt?: undefined;
}

/** A report model with the changes appendix, if any, after the appendices from the data. */
export type WithChanges<M extends ReportModel> = Omit<M, 'appendices'> & { appendices: (M['appendices'][number] | ChangesAppendix)[] };

/** Adds the "Changes since …" appendix after the others. Pure. */
export function addChangesAppendix<M extends AudienceModel>(model: M, change: PlanChange): WithChanges<M> {
  // The comparison withheld exempt information from both versions before it was made
  // (diff/withhold.ts); one made for members must never go into a public report.
  if (model.audience === 'public' && change.audience !== 'public') {
    throw new Error('a list of changes compared for the exempt audience reached a public report');
  }
  const keys = new Set(model.appendices.map((a) => a.key));
  let key = 'changes-since';
  for (let n = 2; keys.has(key); n++) key = `changes-since-${n}`;
  const title = changesTitle(change);
  const appendix: ChangesAppendix = { key, number: model.appendices.length + 1, title, heading: title, kind: 'changes', change };
  return { ...model, appendices: [...model.appendices, appendix] };
}

/** Headings that read as "Changes to …" and do not repeat another appendix's bookmark. */
const GROUP_HEADINGS: Record<string, string> = {
  [REPORT_COLLECTION]: 'Changes to the report details',
  [SECTIONS_COLLECTION]: "Changes to the report's sections",
  [GLOSSARY_COLLECTION]: 'Changes to the glossary',
  [APPENDICES_COLLECTION]: 'Changes to the list of appendices',
};

type AppendixLookup = (key: string) => { number: number } | undefined;

/** Data text for the committee: appendix references as the report prints them, no emphasis marks. */
function readable(text: string, lookup: AppendixLookup): string {
  return text
    .replace(APPENDIX_REFERENCE, (whole, key: string) => {
      const target = lookup(key);
      return target ? `Appendix ${target.number}` : whole;
    })
    .replace(/\*\*|__/g, '');
}

function detailView(d: DisplayDetail, lookup: AppendixLookup) {
  return {
    ...d,
    ...(d.text === undefined ? {} : { text: readable(d.text, lookup) }),
    ...(d.words
      ? {
          words: d.words.map((w) => ({
            text: readable(w.text, lookup),
            added: w.op === 'added',
            removed: w.op === 'removed',
          })),
        }
      : {}),
  };
}

/** What templates/partials/appendix-changes.hbs shows. Pure. */
export function changesAppendixView(change: PlanChange, anchor: string, lookup: AppendixLookup) {
  const display = present(change);
  return {
    summary: display.empty ? 'No changes to the plan.' : display.summary,
    comparedWith: display.from,
    // `groups` with an `id` and a `title`, as a recommendations appendix has: the view's
    // outline then lists each heading (level 3), and the PDF gets a bookmark for it.
    groups: display.groups.map((g, i) => ({
      id: `${anchor}-${i + 1}`,
      number: undefined,
      title: GROUP_HEADINGS[g.id] ?? `Changes to ${g.heading}`,
      rows: g.entries.map((e) => ({
        label: e.label,
        change: e.change,
        verb: e.verb.charAt(0).toUpperCase() + e.verb.slice(1),
        notice: e.notice,
        details: e.details.map((d) => detailView(d, lookup)),
      })),
    })),
  };
}
