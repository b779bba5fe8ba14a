import { APPENDIX_REFERENCE } from '../text/references.js';
import type { ReportModel } from '../model/report.js';
import type { AudienceModel } from '../model/withhold.js';
import type { StatusScheme } from '../data/status.js';
import type { ItemChange } from './compare.js';
import { committeeSummary, fieldKind, forCommittee, statusLabel } from './for-committee.js';
import { APPENDICES_COLLECTION, GLOSSARY_COLLECTION, REPORT_COLLECTION, SECTIONS_COLLECTION } from './items.js';
import type { PlanChange } from './plan-change.js';
import { comparedWith, travelSentence, presentEntry } from './present.js';
import type { DisplayDetail } from './present.js';
import { similarity } from './words.js';

// `csi build-report --changes-since REV`: the diff as one more appendix, written
// for the committee: labels as the report prints them, no ids, no revisions, and
// none of the report's own bookkeeping (see for-committee.ts).

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
  const title = comparedWith(change).title;
  const appendix: ChangesAppendix = {
    key,
    number: model.appendices.length + 1,
    title,
    heading: title,
    kind: 'changes',
    change: forCommittee(change, model.changesAppendix),
  };
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

/** Below this share of words in common, a text is shown as it was and as it is now, not word by word. */
const WORD_MARKS_THRESHOLD = 0.4;

/** A value that changed as a whole reads "was … now …" on one line while it is this short. */
const SHORT_VALUE = 60;

/** One line under an item, as the template lays it out. */
function detailView(d: DisplayDetail, lookup: AppendixLookup) {
  const label = d.label;
  if (d.note !== undefined) return { note: d.note };
  if (d.words) {
    if (similarity(d.words) < WORD_MARKS_THRESHOLD && d.from !== undefined && d.to !== undefined) {
      return { label, was: readable(d.from, lookup), now: readable(d.to, lookup), long: true };
    }
    return {
      label,
      // Already the reader's words (compare.ts readWords); where only marks changed, the marks are the change.
      words: d.words.map((w) => ({ text: w.text, added: w.op === 'added', removed: w.op === 'removed' })),
    };
  }
  if (d.text !== undefined) return { label: `${label} (${d.op === 'added' ? 'new' : 'removed'})`, value: readable(d.text, lookup) };
  if (d.value !== undefined) return { label, value: readable(d.value, lookup) };
  // present.ts shows a field not set as "none".
  const was = d.from === 'none' ? 'not given' : readable(d.from ?? '', lookup);
  const now = d.to === 'none' ? 'not given' : readable(d.to ?? '', lookup);
  return { label, was, now, long: was.length + now.length > SHORT_VALUE };
}

/** "New", "Removed", or what changed: "Now Complete; reworded". */
function rowVerb(entry: ItemChange, statuses: StatusScheme): string {
  if (entry.change === 'added') return 'New';
  if (entry.change === 'removed') return 'Removed';
  const parts: string[] = [];
  for (const f of entry.fields) {
    const kind = fieldKind(entry, f);
    const part =
      kind === 'status'
        ? typeof f.to === 'string'
          ? `now ${statusLabel(statuses, f.field, f.to)}`
          : 'status removed'
        : { reworded: 'reworded', redated: 're-dated', updated: 'details changed' }[kind as string] ?? kind;
    if (!parts.includes(part)) parts.push(part);
  }
  if (entry.movedFrom) parts.push('moved');
  const verb = parts.join('; ');
  return verb.charAt(0).toUpperCase() + verb.slice(1);
}

/** What templates/partials/appendix-changes.hbs shows. Pure. */
export function changesAppendixView(change: PlanChange, anchor: string, lookup: AppendixLookup) {
  const since = comparedWith(change).since;
  const groups = change.collections
    .map((c) => ({ collection: c, entries: change.entries.filter((e) => e.place.collection === c.id) }))
    // Withholding exempt changes can empty a heading: it is then left out too.
    .filter((g) => g.entries.length > 0)
    .map(({ collection, entries }, i) => ({
      // `groups` with an `id` and a `title`, as a recommendations appendix has: the view's
      // outline then lists each heading (level 3), and the PDF gets a bookmark for it.
      id: `${anchor}-${i + 1}`,
      number: undefined,
      title: GROUP_HEADINGS[collection.id] ?? `Changes to ${collection.removed ? `${collection.heading} (removed)` : collection.heading}`,
      rows: entries.map((e) => {
        const shown = presentEntry(e, change.statuses);
        const details = shown.details.map((d) => detailView(d, lookup));
        // Where it was, as the report named it: no data file names.
        if (e.movedFrom) details[0] = { note: `Moved from ${e.movedFrom.label}${e.movedFrom.where === e.place.where ? '' : ` in ${e.movedFrom.where}`}` };
        return { label: shown.label, change: e.change, verb: rowVerb(e, change.statuses), notice: shown.notice, details };
      }),
    }));
  const entries = groups.flatMap((g) => g.rows);
  return {
    summary: entries.length === 0 ? `Nothing in the plan has changed since ${since}.` : committeeSummary(change.entries, change.statuses),
    travel: travelSentence(change) ?? '',
    introduction: `This appendix lists what has changed in the plan since ${since}.`,
    marksLegend: entries.some((r) => r.details.some((d) => 'words' in d))
      ? 'Where words changed, words added are in bold and words removed are struck through.'
      : '',
    groups,
  };
}
