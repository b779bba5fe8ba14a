import { formatPlainDate, formatPlanDate, parsePlanDate, parsePlanDay } from '../data/dates.js';
import { exemptNotice } from '../model/exempt.js';
import { DEFAULT_SCHEME, statusLabel, vocabularyFor } from '../data/status.js';
import type { StatusScheme } from '../data/status.js';
import { changeVerb, summaryChanges, summarySentence } from './compare.js';
import type { ItemChange, Place } from './compare.js';
import { APPENDICES_COLLECTION, fieldType } from './items.js';
import type { FieldValue } from './items.js';
import type { PlanChange } from './plan-change.js';
import type { PlanSide } from './source.js';
import type { WordPart } from './words.js';

// What every output format shows, worked out once: labels, verbs, values as people
// read them. The formatters only lay it out.

/** One line under an entry. Exactly one of the shapes below is filled (a text field's `words` come with its `from` and `to`). */
export interface DisplayDetail {
  /** "Status", "Text", "Paragraph 2.3". */
  label?: string;
  /** A value that changed. */
  from?: string;
  to?: string;
  /** A value (or text) of an item added or removed. */
  value?: string;
  /** Text reworded, word by word. */
  words?: WordPart[];
  /** A list entry (a paragraph) added or removed within an item that stayed. */
  text?: string;
  op?: 'added' | 'removed';
  /** A sentence: "Moved from Recommendation 1.3 in Appendix 2 – …". */
  note?: string;
}

export interface DisplayEntry {
  id: string;
  change: ItemChange['change'];
  label: string;
  /** "added", "removed", "completed, reworded". */
  verb: string;
  /** For the exempt audience, on a change that touches exempt information: "Exempt information, paragraph 3 of Schedule 12A". */
  notice?: string;
  details: DisplayDetail[];
}

export interface DisplayGroup {
  id: string;
  heading: string;
  removed: boolean;
  entries: DisplayEntry[];
}

export interface ChangeDisplay {
  from: string;
  to: string;
  summary: string;
  /** Direction of travel: "1 better, 1 worse, 21 the same since the meeting of 19 September 2017." */
  travel?: string | undefined;
  empty: boolean;
  groups: DisplayGroup[];
}

const MONTH_DAY = /^\d{4}-\d{2}-\d{2}/;

/** "2 February 2024" from an ISO date-time. */
export function plainDate(iso: string): string {
  const day = parsePlanDay(iso.slice(0, 10));
  return typeof day === 'string' ? iso : formatPlainDate(day);
}

/** "HEAD~1 (3f2a1b0, 2 February 2024)", "plans/2017", "the working tree (data)". */
export function sideLabel(side: PlanSide): string {
  switch (side.source) {
    case 'git': {
      const when = side.date ? `, ${plainDate(side.date)}` : '';
      return side.short && side.commit?.startsWith(side.name)
        ? `${side.short}${when ? ` (${when.slice(2)})` : ''}`
        : `${side.name} (${side.short ?? ''}${when})`;
    }
    case 'directory':
      return side.location;
    case 'working-tree':
      return `the working tree (${side.location})`;
  }
}

/** What a changes appendix compares with, in the committee's words: a meeting or a date, never a revision. */
export interface ComparedWith {
  /** "Changes since the meeting of 5 December 2017". */
  title: string;
  /** "it was reported to the meeting of 5 December 2017", to end "… has changed in the plan since …". */
  since: string;
}

/**
 * What the older version was, as a committee knows it: the meeting it was reported
 * to, when the new version is for a later meeting; else the date of that version
 * (its commit); else the meeting it was prepared for. Never a revision name or hash.
 */
export function comparedWith(change: Pick<PlanChange, 'from' | 'to'>): ComparedWith {
  const { from, to } = change;
  const meeting = plainDate(from.meetingDate);
  if (from.meetingDate < to.meetingDate) {
    return { title: `Changes since the meeting of ${meeting}`, since: `it was reported to the meeting of ${meeting}` };
  }
  if (from.date && MONTH_DAY.test(from.date)) {
    const date = plainDate(from.date);
    return { title: `Changes since ${date}`, since: `the version of ${date}` };
  }
  return {
    title: `Changes since the version for the meeting of ${meeting}`,
    since: `the version prepared for the meeting of ${meeting}`,
  };
}

const FIELD_LABELS: Record<string, string> = {
  meeting_date: 'Meeting date',
  reports_to: 'Reports to',
  text: 'Text',
  latest: 'Latest figure',
  rag: 'RAG',
  values: 'Figures',
};

/** "Meeting date" for `meeting_date`; a rating's own label for its key. */
export function fieldLabel(field: string, statuses: StatusScheme = DEFAULT_SCHEME): string {
  const label = statuses.ratings.find((r) => r.key === field)?.label ?? FIELD_LABELS[field] ?? field.replace(/_/g, ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** A field's value as the report would print it: a status or rating by its label in the council's words. */
export function displayValue(field: string, value: FieldValue | null, kind?: ItemChange['kind'], statuses: StatusScheme = DEFAULT_SCHEME): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.join('; ');
  const vocabulary = kind === 'recommendation' || kind === 'aspiration' ? vocabularyFor(statuses, field) : undefined;
  if (vocabulary) return statusLabel(vocabulary, value);
  if (field === 'date' || field === 'due') {
    const d = parsePlanDate(value);
    return typeof d === 'string' ? value : formatPlanDate(d);
  }
  if (field === 'meeting_date') return plainDate(value);
  return value;
}

/** Fields the label already shows, left out when an item is added or removed. */
const IN_LABEL: Partial<Record<ItemChange['kind'], string[]>> = {
  section: ['title', 'kind'],
  appendix: ['title', 'heading', 'kind'],
  'chronology-entry': ['date'],
  group: ['title'],
  body: ['name'],
  term: [],
  measure: ['title'],
};

/** "24% (target 18%)" → "24%" when the target did not change: "24% → 20% (target 18%)" names it once. */
function latestFrom(from: string, to: string): string {
  const target = / \(target [^)]*\)$/.exec(from)?.[0];
  return target !== undefined && to.endsWith(target) ? from.slice(0, -target.length) : from;
}

/** "Moved from Recommendation 1.3 in Appendix 2 – …", or from one file to another. */
export function moveNote(from: Place, to: Place): string {
  if (from.label === to.label && from.where === to.where && from.file !== to.file) {
    return `Moved from file ${from.file} to ${to.file}`;
  }
  const where = from.where === to.where ? '' : ` in ${from.where}`;
  const file = from.file !== to.file && from.collection !== APPENDICES_COLLECTION ? ` (${from.file})` : '';
  return `Moved from ${from.label}${where}${file}`;
}

/**
 * Word parts as people read them: spaces at the edges of an edit belong to the
 * text around it (so underlines and strike-throughs cover words only), and a
 * removed run directly followed by an added one gets a space between them.
 */
export function tidyWords(parts: readonly WordPart[]): WordPart[] {
  const out: WordPart[] = [];
  const push = (op: WordPart['op'], text: string) => {
    if (!text) return;
    const last = out.at(-1);
    if (last && last.op === op) last.text += text;
    else out.push({ op, text });
  };
  for (const p of parts) {
    if (p.op === 'equal') {
      push('equal', p.text);
      continue;
    }
    const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/.exec(p.text) ?? [];
    push('equal', lead);
    if (p.op === 'added' && out.at(-1)?.op === 'removed') push('equal', ' ');
    push(p.op, core);
    push('equal', trail);
  }
  return out;
}

function listLabel(entry: ItemChange, field: string, n: number): string {
  return field === 'paragraphs' && entry.kind === 'section' ? `Paragraph ${entry.place.position}.${n}` : fieldLabel(field);
}

function wholeItem(entry: ItemChange, statuses: StatusScheme): DisplayDetail[] {
  const details: DisplayDetail[] = [];
  const skip = IN_LABEL[entry.kind] ?? [];
  for (const [field, value] of Object.entries(entry.value ?? {})) {
    if (skip.includes(field)) continue;
    if (fieldType(field) === 'list' && Array.isArray(value)) {
      value.forEach((text, i) => details.push({ label: listLabel(entry, field, i + 1), value: text }));
    } else {
      details.push({ label: fieldLabel(field, statuses), value: displayValue(field, value, entry.kind, statuses) });
    }
  }
  return details;
}

function changedItem(entry: ItemChange, statuses: StatusScheme): DisplayDetail[] {
  const details: DisplayDetail[] = [];
  if (entry.movedFrom) details.push({ note: moveNote(entry.movedFrom, entry.place) });
  for (const f of entry.fields) {
    if (f.words) {
      details.push({ label: fieldLabel(f.field), words: tidyWords(f.words), from: f.read?.from ?? String(f.from), to: f.read?.to ?? String(f.to) });
    } else if (f.list) {
      for (const part of f.list) {
        const n = part.to ?? part.from ?? 0;
        if (part.op === 'changed') details.push({ label: listLabel(entry, f.field, n), words: tidyWords(part.words ?? []) });
        else details.push({ label: listLabel(entry, f.field, n), text: part.text ?? '', op: part.op });
      }
    } else {
      const from = displayValue(f.field, f.from, entry.kind, statuses);
      const to = displayValue(f.field, f.to, entry.kind, statuses);
      details.push({
        label: fieldLabel(f.field, statuses),
        from: entry.kind === 'measure' && f.field === 'latest' ? latestFrom(from, to) : from,
        to,
      });
    }
  }
  return details;
}

/** "completed, reworded", from what the entry counts as in the summary. */
export function entryVerb(entry: ItemChange, statuses: StatusScheme = DEFAULT_SCHEME): string {
  return summaryChanges(entry, statuses)
    .map(({ change, status, was }) => changeVerb(change, status, statuses, was))
    .join(', ');
}

/** One item's change, laid out for people, its statuses in the council's words. */
export function presentEntry(entry: ItemChange, statuses: StatusScheme = DEFAULT_SCHEME): DisplayEntry {
  return {
    id: entry.id,
    change: entry.change,
    label: entry.place.label,
    verb: entryVerb(entry, statuses),
    ...(entry.exempt ? { notice: exemptNotice(entry.exempt) } : {}),
    details: entry.change === 'changed' ? changedItem(entry, statuses) : wholeItem(entry, statuses),
  };
}

/**
 * Direction of travel in a sentence: "1 better, 1 worse, 21 the same since the
 * meeting of 19 September 2017.", by the order of the status words; undefined where
 * no tracked item with a status is in both versions, or nothing changed at all (the
 * summary has said so).
 */
export function travelSentence(change: Pick<PlanChange, 'from' | 'to' | 'travel' | 'entries'>): string | undefined {
  const t = change.travel;
  if (!t || t.better + t.same + t.worse === 0 || change.entries.length === 0) return undefined;
  const since = comparedWith(change).title.replace(/^Changes since /, '');
  return `${t.better} better, ${t.worse} worse, ${t.same} the same since ${since}.`;
}

/** The change, laid out for people: groups in report order, entries with their details. Pure. */
export function present(change: PlanChange): ChangeDisplay {
  const byCollection = new Map<string, DisplayGroup>();
  const groups: DisplayGroup[] = [];
  for (const c of change.collections) {
    const group: DisplayGroup = { id: c.id, heading: c.removed ? `${c.heading} (removed)` : c.heading, removed: c.removed, entries: [] };
    byCollection.set(c.id, group);
    groups.push(group);
  }
  for (const entry of change.entries) byCollection.get(entry.place.collection)?.entries.push(presentEntry(entry, change.statuses));
  return {
    from: sideLabel(change.from),
    to: sideLabel(change.to),
    summary: summarySentence(change.summary),
    travel: travelSentence(change),
    empty: change.entries.length === 0,
    groups,
  };
}
