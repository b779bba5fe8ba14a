import type { ChangeKind } from '../data/schema.js';
import { findWord, vocabularyFor } from '../data/status.js';
import type { StatusScheme } from '../data/status.js';
import { summaryChanges } from './compare.js';
import type { ChangeCollection, FieldChange, ItemChange } from './compare.js';
import { REPORT_COLLECTION } from './items.js';
import type { PlanChange } from './plan-change.js';

// The changes appendix is published in the agenda pack: it lists what changed in the
// plan, in the committee's words, and leaves out the report's own bookkeeping and
// whatever the author chose to leave out (report.yaml, `changes_appendix`).

/** What the author leaves out of the appendix: items by id, and kinds of change. */
export interface LeaveOut {
  leaveOut: readonly string[];
  leaveOutChanges: readonly ChangeKind[];
}

/** How a status (or a rating: `field` is its key) reads in the report: the council's label. */
export function statusLabel(statuses: StatusScheme, field: string, id: string): string {
  return findWord(vocabularyFor(statuses, field) ?? [], id)?.label ?? id;
}

/** The kind of change one field is, in the words of `leave_out_changes`. */
export function fieldKind(entry: ItemChange, field: FieldChange): ChangeKind {
  const { movedFrom: _, ...rest } = entry;
  const [part] = summaryChanges({ ...rest, fields: [field] });
  if (!part || part.change === 'completed' || part.change === 'regressed') return 'status';
  return part.change as ChangeKind;
}

/** Fields that are a heading, whose year moving on with the report is no change to the plan. */
const HEADING_FIELDS = new Set(['title', 'heading']);

/** "2012 – 2017" → "2012 – 2018": a heading whose only change is its numbers. */
function onlyNumbersChanged(field: FieldChange): boolean {
  return (
    HEADING_FIELDS.has(field.field) &&
    field.words !== undefined &&
    field.words.every((w) => w.op === 'equal' || /^[\s\d–—\-/.,]*$/.test(w.text))
  );
}

/** A data file renamed, its item in the same place: nothing a reader of the report could see. */
function onlyFileMoved(entry: ItemChange): boolean {
  const from = entry.movedFrom;
  if (!from) return false;
  const to = entry.place;
  return from.label === to.label && from.where === to.where && from.collection === to.collection && from.group === to.group && from.position === to.position;
}

/**
 * One entry as the committee should see it: the report's own details (meeting date,
 * reference, author, draft or final) and headings whose years moved on are left out,
 * with anything the author left out. Undefined when nothing is left.
 */
function entryForCommittee(entry: ItemChange, leaveOut: LeaveOut): ItemChange | undefined {
  if (entry.place.collection === REPORT_COLLECTION) return undefined;
  if (leaveOut.leaveOut.includes(entry.id)) return undefined;
  if (entry.change !== 'changed') return leaveOut.leaveOutChanges.includes(entry.change) ? undefined : entry;
  const fields = entry.fields.filter((f) => !onlyNumbersChanged(f) && !leaveOut.leaveOutChanges.includes(fieldKind(entry, f)));
  const moved = entry.movedFrom !== undefined && !onlyFileMoved(entry) && !leaveOut.leaveOutChanges.includes('moved');
  if (fields.length === 0 && !moved) return undefined;
  const { movedFrom, ...rest } = entry;
  return { ...rest, fields, ...(moved && movedFrom ? { movedFrom } : {}) };
}

/** The change with only what the committee should read, its headings those that still have entries. Pure. */
export function forCommittee(change: PlanChange, leaveOut: LeaveOut): PlanChange {
  const entries = change.entries.map((e) => entryForCommittee(e, leaveOut)).filter((e): e is ItemChange => e !== undefined);
  const used = new Set(entries.map((e) => e.place.collection));
  const collections: ChangeCollection[] = change.collections.filter((c) => used.has(c.id));
  return { ...change, entries, collections };
}

// ---- the summary, in the committee's words ---------------------------------

/** Nouns as the committee reads them: one, many. */
const NOUNS: Record<string, [string, string]> = {
  'chronology entry': ['event', 'events'],
  'framework body': ['body in the framework', 'bodies in the framework'],
  appendix: ['appendix', 'appendices'],
};

function inWords(n: number, noun: string, plural?: string): string {
  const [one, many] = NOUNS[noun] ?? [noun, plural ?? `${noun}s`];
  return `${n} ${n === 1 ? one : many}`;
}

/** The status a field moved from and to, as the report labels them. */
function statusMove(field: FieldChange, statuses: StatusScheme): string {
  const from = typeof field.from === 'string' ? statusLabel(statuses, field.field, field.from) : undefined;
  const to = typeof field.to === 'string' ? statusLabel(statuses, field.field, field.to) : undefined;
  if (from && to) return `moved from ${from} to ${to}`;
  return to ? `now ${to}` : `no longer ${from ?? ''}`.trim();
}

const ORDER = ['status', 'added', 'removed', 'reworded', 'redated', 'moved', 'updated'] as const;

/** "2 aspirations moved from At risk to On track; 1 new event; 1 section reworded." Pure. */
export function committeeSummary(entries: readonly ItemChange[], statuses: StatusScheme): string {
  // Phrases in the order they first occur within each kind of change; counts by phrase.
  const phrases = new Map<string, { order: number; noun: string; plural?: string | undefined; count: number; text: (n: string) => string }>();
  const add = (kind: (typeof ORDER)[number], { noun, plural }: ItemChange, key: string, text: (n: string) => string) => {
    const id = `${kind}\u0000${noun}\u0000${key}`;
    const phrase = phrases.get(id);
    if (phrase) phrase.count++;
    else phrases.set(id, { order: ORDER.indexOf(kind), noun, plural, count: 1, text });
  };
  for (const entry of entries) {
    if (entry.change === 'added') add('added', entry, '', (n) => n.replace(/^(\d+) /, '$1 new '));
    else if (entry.change === 'removed') add('removed', entry, '', (n) => `${n} removed`);
    else {
      const kinds = new Set<string>();
      for (const field of entry.fields) {
        const kind = fieldKind(entry, field);
        if (kind === 'status') {
          const move = statusMove(field, statuses);
          add('status', entry, move, (n) => `${n} ${move}`);
        } else if (!kinds.has(kind)) {
          kinds.add(kind);
          const words = { reworded: 'reworded', redated: 're-dated', updated: 'updated' } as Record<string, string>;
          add(kind as (typeof ORDER)[number], entry, '', (n) => `${n} ${words[kind] ?? kind}`);
        }
      }
      if (entry.movedFrom) add('moved', entry, '', (n) => `${n} moved to another place`);
    }
  }
  const sorted = [...phrases.values()].sort((a, b) => a.order - b.order);
  return sorted.length === 0 ? '' : `${sorted.map((p) => p.text(inWords(p.count, p.noun, p.plural))).join('; ')}.`;
}
