import type { Audience, Exemption } from '../model/exempt.js';
import { DEFAULT_SCHEME, direction, findWord, statusInText, statusLabel } from '../data/status.js';
import type { StatusScheme } from '../data/status.js';
import { fieldType } from './items.js';
import type { ExemptPart, FieldValue, ItemKind, PlanItem, PlanItems } from './items.js';
import { listDiff, wordDiff } from './words.js';
import type { ListPart, WordPart } from './words.js';

/** Where an item sits in one version of the plan. */
export interface Place {
  collection: string;
  group?: string;
  file: string;
  /** How the report names it there: "Recommendation 1.3". */
  label: string;
  /** 1-based place in its collection (and group). */
  position: number;
  /** The heading it sits under: "Appendix 2 – Title, group 1: Ofsted Recommendations". */
  where: string;
}

/** One field that differs. `from`/`to` are null where the field is not set. */
export interface FieldChange {
  field: string;
  from: FieldValue | null;
  to: FieldValue | null;
  /** For text: the rewording, word by word. */
  words?: WordPart[];
  /** For Markdown text: each side as its reader reads it (PlanItems.read), where that differs from the data. */
  read?: { from: string; to: string };
  /** For lists (paragraphs, reporting lines): the entries that changed. */
  list?: ListPart[];
}

/** What happened to one item between the two versions. */
export interface ItemChange {
  id: string;
  kind: ItemKind;
  /** "recommendation", "action", "chronology entry", or the appendix's `item_name`: for summaries. */
  noun: string;
  /** The noun for several, where the plan names it ("priorities"). */
  plural?: string;
  change: 'added' | 'removed' | 'changed';
  /** Where it is now; for an item removed, where it was. */
  place: Place;
  /** Every field, for an item added or removed. */
  value?: Record<string, FieldValue>;
  /** Where it was, for an item that moved (to another appendix, group or file, or within its list). */
  movedFrom?: Place;
  /** Fields that differ, for an item that is in both versions. */
  fields: FieldChange[];
  /**
   * For the exempt audience: the exemption the change touches (the item's, its
   * container's, or a changed field's, in either version). Never set for the
   * public, whose comparison holds nothing exempt.
   */
  exempt?: Exemption;
}

/** A heading the changes are grouped under, in report order. */
export interface ChangeCollection {
  id: string;
  heading: string;
  /** The collection (an appendix) is only in the old version. */
  removed: boolean;
}

export type SummaryChange = 'regressed' | 'completed' | 'status' | 'added' | 'removed' | 'moved' | 'reworded' | 'redated' | 'updated';

/** One phrase of the summary: "3 recommendations completed". */
export interface SummaryPart {
  change: SummaryChange;
  noun: string;
  /** The noun for several, where the plan names it. */
  plural?: string;
  count: number;
  /** The new status, for `status` and `regressed`. */
  status?: string;
  /** The status it went back from, for `regressed`. */
  was?: string;
  text: string;
}

/** The result of comparing two versions of the plan. Pure data; formatters print it. */
export interface PlanComparison {
  /** Who it is for: `public` holds no exempt information; `exempt` marks every change that touches some. */
  audience: Audience;
  summary: SummaryPart[];
  /** Ordered by collection as the report orders them, then by item. */
  entries: ItemChange[];
  /** The collections that have entries, in the same order. */
  collections: ChangeCollection[];
  /** The status words the statuses are printed with: the newer version's. */
  statuses: StatusScheme;
  /**
   * Direction of travel: of the tracked items (recommendations, actions, aspirations)
   * both versions hold with a status, how many are better, the same and worse by the
   * order of the status words. Only what the audience may see is counted.
   */
  travel?: Travel;
}

/** How many tracked items moved which way between two versions. */
export interface Travel {
  better: number;
  same: number;
  worse: number;
}

/** Fields whose change is a rewording in the summary. */
const WORDING_FIELDS = new Set(['text', 'event', 'paragraphs', 'title', 'heading', 'summary', 'role', 'definition', 'name']);
/** Kinds whose `status` is progress (the report's own `status` is draft/final). */
const PROGRESS_KINDS = new Set<ItemKind>(['recommendation', 'aspiration']);

/** Where an item sits, as a diff reports it. */
export const place = (item: PlanItem): Place => ({
  collection: item.collection,
  ...(item.group === undefined ? {} : { group: item.group }),
  file: item.file,
  label: item.label,
  position: item.position,
  where: item.where,
});

function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** What compareFields reads of an item: its fields, and which parts of them are exempt. */
export type Fields = Pick<PlanItem, 'fields' | 'exemptParts'>;

/** The exemption of list entry `n` (1-based) of a field, if it has one. */
function entryExemption(part: ExemptPart | undefined, n: number | undefined): Exemption | undefined {
  return Array.isArray(part) && n !== undefined ? part[n - 1] : undefined;
}

/** How many entries of a list are exempt. */
const exemptEntries = (part: ExemptPart | undefined) => (Array.isArray(part) ? part.filter((e) => e !== undefined).length : 0);

/**
 * For the public: a list's change without what touches an entry exempt in either
 * version (each reads as its notice, so the others keep their numbers). List entries
 * (paragraphs) have no ids, so the withhold stage cannot find an entry exempt now in
 * the older version: when the list gained exempt entries, none is told as removed,
 * since one public then and exempt now would read as removed, with its old text.
 * Undefined when nothing is left.
 */
function publicList(change: FieldChange, before: ExemptPart | undefined, after: ExemptPart | undefined): FieldChange | undefined {
  const gained = exemptEntries(after) > exemptEntries(before);
  const hidden = new Set<number>();
  const list = (change.list ?? []).filter((p) => {
    const shown = !entryExemption(before, p.from) && !entryExemption(after, p.to) && !(gained && p.op === 'removed');
    if (!shown && gained && p.from !== undefined) hidden.add(p.from);
    return shown;
  });
  if (list.length === 0) return undefined;
  const from = Array.isArray(change.from) ? change.from.filter((_, i) => !hidden.has(i + 1)) : change.from;
  return { ...change, from, list };
}

/** How each version's texts read (PlanItems.read): the words a diff shows. */
export interface Readers {
  from: (text: string) => string;
  to: (text: string) => string;
}

const AS_WRITTEN: Readers = { from: (t) => t, to: (t) => t };

/** Fields written in Markdown, with references: shown as their reader reads them. */
const READ_FIELDS = new Set(['text', 'progress', 'measure', 'commentary', 'summary', 'event', 'definition', 'paragraphs', 'recommendations', 'implications']);

/**
 * The words that changed, in the text the reader reads ("See Appendix 2"), not its
 * source ("**See [[appendix:chronology]]**"); where only the marks changed, so that
 * both read the same, in the source, or the change would show nothing.
 */
function readWords(a: string, b: string, read: Readers): WordPart[] {
  const [ra, rb] = [read.from(a), read.to(b)];
  return ra === rb ? wordDiff(a, b) : wordDiff(ra, rb);
}

/** Both sides as their readers read them, where that is not the data as written and not the same for both. */
function readSides(a: string, b: string, read: Readers): { from: string; to: string } | undefined {
  const [ra, rb] = [read.from(a), read.to(b)];
  return ra === rb || (ra === a && rb === b) ? undefined : { from: ra, to: rb };
}

/** A list's changes, compared as written, each entry shown as its reader reads it. */
function readList(a: readonly string[], b: readonly string[], read: Readers): ListPart[] {
  return listDiff(a, b).map((p) => {
    if (p.op === 'changed') return { ...p, words: readWords(a[p.from! - 1]!, b[p.to! - 1]!, read) };
    return p.text === undefined ? p : { ...p, text: p.op === 'added' ? read.to(p.text) : read.from(p.text) };
  });
}

/** An added or removed item's fields, its Markdown texts as the reader reads them. */
export function readValue(fields: Record<string, FieldValue>, read: (text: string) => string): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [field, value] of Object.entries(fields)) {
    out[field] = !READ_FIELDS.has(field) ? value : Array.isArray(value) ? value.map(read) : read(value);
  }
  return out;
}

/**
 * The fields that differ, in the order the item lists them, compared as written;
 * `read` gives the words shown (readWords). For the public, a change to a list entry
 * that is exempt in either version is left out, and so is a list whose only changes
 * those were (publicList).
 */
export function compareFields(from: Fields, to: Fields, audience: Audience, read: Readers = AS_WRITTEN): FieldChange[] {
  // Versions that share an appendix share its items' fields (diff/items.ts ItemsCache): nothing to compare.
  if (from.fields === to.fields && from.exemptParts === to.exemptParts) return [];
  const changes: FieldChange[] = [];
  const check = (field: string) => {
    const a = from.fields[field];
    const b = to.fields[field];
    if (sameValue(a, b)) return;
    const change: FieldChange = { field, from: a ?? null, to: b ?? null };
    const type = fieldType(field);
    const reading = READ_FIELDS.has(field) ? read : AS_WRITTEN;
    if (type === 'text' && typeof a === 'string' && typeof b === 'string') {
      change.words = readWords(a, b, reading);
      const sides = readSides(a, b, reading);
      if (sides) change.read = sides;
    }
    if (type === 'list') {
      change.list = readList(Array.isArray(a) ? a : [], Array.isArray(b) ? b : [], reading);
      const shown = audience === 'public' ? publicList(change, from.exemptParts?.[field], to.exemptParts?.[field]) : change;
      if (shown) changes.push(shown);
      return;
    }
    changes.push(change);
  };
  for (const field in to.fields) check(field);
  for (const field in from.fields) if (!(field in to.fields)) check(field);
  return changes;
}

/** The first exemption a field's change touches, in either version. */
function changedFieldExemption(change: FieldChange, from: Fields | undefined, to: Fields | undefined): Exemption | undefined {
  const before = from?.exemptParts?.[change.field];
  const after = to?.exemptParts?.[change.field];
  if (before !== undefined && !Array.isArray(before)) return before;
  if (after !== undefined && !Array.isArray(after)) return after;
  if (!change.list) return undefined;
  for (const p of change.list) {
    const e = entryExemption(before, p.from) ?? entryExemption(after, p.to);
    if (e) return e;
  }
  return undefined;
}

/** The first exemption an item added or removed holds: its own, or one of its fields'. */
function itemExemption(item: PlanItem): Exemption | undefined {
  if (item.exempt) return item.exempt;
  for (const part of Object.values(item.exemptParts ?? {})) {
    const e = Array.isArray(part) ? part.find((x) => x !== undefined) : part;
    if (e) return e;
  }
  return undefined;
}

/** For the exempt audience: what a change touches that is exempt, if anything. */
function changeExemption(before: PlanItem | undefined, after: PlanItem | undefined, fields: readonly FieldChange[]): Exemption | undefined {
  if (!before || !after) return itemExemption((after ?? before)!);
  return after.exempt ?? before.exempt ?? fields.map((f) => changedFieldExemption(f, before, after)).find((e) => e !== undefined);
}

/** Marks an item change with the exemption it touches, for the exempt audience only. */
export function markExempt<T extends ItemChange>(entry: T, audience: Audience, before: PlanItem | undefined, after: PlanItem | undefined): T {
  if (audience !== 'exempt') return entry;
  const exempt = changeExemption(before, after, entry.fields);
  return exempt ? { ...entry, exempt } : entry;
}

/**
 * Indexes (into `values`) of a longest strictly increasing subsequence: the items
 * that kept their order. O(n log n).
 */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const kept = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i]!) kept.add(i);
  return kept;
}

const PLURALS: Record<string, string> = {
  'chronology entry': 'chronology entries',
  'framework body': 'framework bodies',
  appendix: 'appendices',
};
/** What an item or change is called in a summary: its noun, and its plural where the plan names one. */
const nouns = ({ noun, plural }: { noun: string; plural?: string | undefined }) => ({ noun, ...(plural && { plural }) });
/** "3 priorities": the plan's own plural where it names one, else the usual English one. */
const counted = (n: number, noun: string, named?: string) => `${n} ${n === 1 ? noun : named ?? PLURALS[noun] ?? `${noun}s`}`;

const VERBS: Record<Exclude<SummaryChange, 'status' | 'regressed'>, string> = {
  completed: 'completed',
  added: 'added',
  removed: 'removed',
  moved: 'moved',
  reworded: 'reworded',
  redated: 'redated',
  updated: 'updated',
};

/**
 * What an entry counts as in the summary; each at most once per entry. A status
 * that counts as done (in the council's words) is "completed".
 */
export function summaryChanges(entry: ItemChange, statuses: StatusScheme = DEFAULT_SCHEME): { change: SummaryChange; status?: string; was?: string; count: number }[] {
  if (entry.change !== 'changed') return [{ change: entry.change, count: 1 }];
  const out: { change: SummaryChange; status?: string; was?: string; count: number }[] = [];
  const seen = new Set<string>();
  const add = (change: SummaryChange, status?: string, was?: string) => {
    if (seen.has(change)) return;
    seen.add(change);
    out.push({ change, count: 1, ...(status ? { status } : {}), ...(was ? { was } : {}) });
  };
  let updated = 0;
  for (const f of entry.fields) {
    if (f.field === 'status' && PROGRESS_KINDS.has(entry.kind) && typeof f.to === 'string') {
      // A move backwards is named on its own, never counted as progress.
      if (typeof f.from === 'string' && direction(statuses.status, f.from, f.to) === 'worse') add('regressed', f.to, f.from);
      else if (findWord(statuses.status, f.to)?.countsAs === 'done') add('completed');
      else add('status', f.to);
    } else if (f.field === 'date') add('redated');
    else if (WORDING_FIELDS.has(f.field) && entry.kind !== 'report') add('reworded');
    else updated++;
  }
  if (entry.movedFrom) add('moved');
  // The report has one of each detail: count the details, not the report.
  if (updated > 0) out.push({ change: 'updated', count: entry.kind === 'report' ? updated : 1 });
  return out;
}

/** "completed", "now at risk", "now amber", "reworded", "went backwards (Complete → On track)". */
export function changeVerb(change: SummaryChange, status?: string, statuses: StatusScheme = DEFAULT_SCHEME, was?: string): string {
  if (change === 'regressed') return `went backwards (${statusLabel(statuses.status, was ?? '')} → ${statusLabel(statuses.status, status ?? '')})`;
  return change === 'status' ? `now ${statusInText(statuses.status, status ?? '')}` : VERBS[change];
}

const SUMMARY_ORDER: SummaryChange[] = ['regressed', 'completed', 'status', 'added', 'removed', 'moved', 'reworded', 'redated', 'updated'];

/** "3 recommendations completed, 2 aspirations added, …", counted from the entries. */
export function summarise(entries: readonly ItemChange[], statuses: StatusScheme = DEFAULT_SCHEME): SummaryPart[] {
  const parts = new Map<string, SummaryPart>();
  for (const entry of entries) {
    for (const { change, status, was, count } of summaryChanges(entry, statuses)) {
      const key = `${change}\u0000${status ?? ''}\u0000${was ?? ''}\u0000${entry.noun}`;
      const part = parts.get(key);
      if (part) part.count += count;
      else parts.set(key, { change, ...nouns(entry), count, ...(status ? { status } : {}), ...(was ? { was } : {}), text: '' });
    }
  }
  const ordered = [...parts.values()].sort(
    (a, b) => SUMMARY_ORDER.indexOf(a.change) - SUMMARY_ORDER.indexOf(b.change),
  );
  for (const p of ordered) p.text = `${counted(p.count, p.noun, p.plural)} ${changeVerb(p.change, p.status, statuses, p.was)}`;
  return ordered;
}

/** The summary as one sentence, or "no changes". */
export function summarySentence(summary: readonly SummaryPart[]): string {
  return summary.length === 0 ? 'No changes.' : `${summary.map((p) => p.text).join(', ')}.`;
}

/** An item in both versions, while it is being compared. */
interface Kept {
  before: PlanItem;
  after: PlanItem;
  fields: FieldChange[];
  moved: boolean;
}

/** Whether `a` is there and the same kind of item as `b`: an id reused by another kind is a new item. */
const sameKind = (a: PlanItem | undefined, b: PlanItem) => a !== undefined && a.kind === b.kind;

/** The items in both versions, each with the fields that differ and whether it left its collection, group or file. */
function keptItems(fromByKey: ReadonlyMap<string, PlanItem>, to: PlanItems, audience: Audience, read: Readers): Kept[] {
  const kept: Kept[] = [];
  for (const after of to.items) {
    const before = fromByKey.get(after.key);
    if (!before || !sameKind(before, after)) continue;
    const moved =
      before.collection !== after.collection ||
      before.group !== after.group ||
      (after.kind === 'appendix' && before.file !== after.file);
    kept.push({ before, after, fields: compareFields(before, after, audience, read), moved });
  }
  return kept;
}

/** A group that moved takes its items with it: report the group, not each item. */
function keepItemsWithMovedGroups(kept: readonly Kept[]): void {
  const movedGroups = new Map<string, Kept>();
  for (const k of kept) if (k.after.kind === 'group' && k.before.collection !== k.after.collection) movedGroups.set(k.after.id, k);
  if (movedGroups.size > 0) {
    for (const k of kept) {
      const group = k.after.group === undefined ? undefined : movedGroups.get(k.after.group);
      if (group && k.before.group === k.after.group && group.before.collection === k.before.collection && group.after.collection === k.after.collection) {
        k.moved = false;
      }
    }
  }
}

/** Within a list that stayed, the items outside the longest run kept in order moved. */
function markReordered(kept: readonly Kept[]): void {
  const lists = new Map<string, Map<string, Kept[]>>();
  for (const k of kept) {
    if (k.moved) continue;
    // The chronology is in date order: an entry that moved because its date changed is redated, not moved.
    if (k.after.kind === 'chronology-entry' && k.fields.some((f) => f.field === 'date')) continue;
    let groups = lists.get(k.after.collection);
    if (!groups) lists.set(k.after.collection, (groups = new Map()));
    const group = k.after.group ?? '';
    let list = groups.get(group);
    if (!list) groups.set(group, (list = []));
    list.push(k);
  }
  for (const groups of lists.values()) {
    for (const list of groups.values()) {
      list.sort((a, b) => a.before.order - b.before.order);
      const inOrder = longestIncreasing(list.map((k) => k.after.order));
      list.forEach((k, i) => {
        if (!inOrder.has(i)) k.moved = true;
      });
    }
  }
}

/** Collections as the new version orders them, an old-only one just after the one it followed. */
function collectionRanks(from: PlanItems, to: PlanItems): Map<string, number[]> {
  const collectionRank = new Map(to.collections.map((c, i) => [c.id, [i, 0]]));
  let previous = -1;
  let sub = 0;
  for (const c of from.collections) {
    const rank = collectionRank.get(c.id);
    if (rank) [previous, sub] = [rank[0]!, 0];
    else collectionRank.set(c.id, [previous, ++sub]);
  }
  return collectionRank;
}

/**
 * The entries in report order: collections ranked by collectionRanks; items in the
 * new version's order, a removed one just after the item it followed in its list.
 */
function orderedEntries(from: PlanItems, to: PlanItems, kept: readonly Kept[], audience: Audience): ItemChange[] {
  const fromByKey = new Map(from.items.map((item) => [item.key, item]));
  const toByKey = new Map(to.items.map((item) => [item.key, item]));
  const collectionRank = collectionRanks(from, to);
  const keyed: { entry: ItemChange; rank: number[] }[] = [];
  const push = (entry: ItemChange, item: number, after: number) => {
    const c = collectionRank.get(entry.place.collection) ?? [Infinity, 0];
    keyed.push({ entry, rank: [c[0]!, c[1]!, item, after] });
  };

  for (const after of to.items) if (!sameKind(fromByKey.get(after.key), after)) push(markExempt(added(after, to.read), audience, undefined, after), after.order, 0);
  for (const k of kept) {
    if (k.fields.length === 0 && !k.moved) continue;
    const entry: ItemChange = { id: k.after.id, kind: k.after.kind, ...nouns(k.after), change: 'changed', place: place(k.after), fields: k.fields };
    if (k.moved) entry.movedFrom = place(k.before);
    push(markExempt(entry, audience, k.before, k.after), k.after.order, 0);
  }
  let anchor: PlanItem | undefined;
  let offset = 0;
  for (const before of from.items) {
    const after = toByKey.get(before.key);
    if (sameKind(after, before)) {
      if (after!.collection === before.collection) [anchor, offset] = [after!, 0];
      continue;
    }
    const follows = anchor !== undefined && anchor.collection === before.collection;
    push(markExempt(removed(before, from.read), audience, before, undefined), follows ? anchor!.order : -1, ++offset);
  }

  keyed.sort((a, b) => a.rank[0]! - b.rank[0]! || a.rank[1]! - b.rank[1]! || a.rank[2]! - b.rank[2]! || a.rank[3]! - b.rank[3]!);
  return keyed.map((x) => x.entry);
}

/** The headings the ordered entries fall under, each once; a collection only the old version has is marked removed. */
function changeCollections(from: PlanItems, to: PlanItems, ordered: readonly ItemChange[]): ChangeCollection[] {
  const headings = new Map(from.collections.map((c) => [c.id, { heading: c.heading, removed: true }]));
  for (const c of to.collections) headings.set(c.id, { heading: c.heading, removed: false });
  const collections: ChangeCollection[] = [];
  for (const entry of ordered) {
    const id = entry.place.collection;
    if (collections.at(-1)?.id === id) continue;
    const h = headings.get(id) ?? { heading: id, removed: false };
    collections.push({ id, heading: h.heading, removed: h.removed });
  }
  return collections;
}

/**
 * Compares two versions of the plan item by item, by stable id: what was added,
 * removed, moved or changed, field by field. Pure. Items are matched through maps
 * and each list's order is checked in O(n log n); only texts that changed are
 * diffed word by word.
 */
export function compare(from: PlanItems, to: PlanItems): PlanComparison {
  const audience = to.audience;
  if (from.audience !== audience) throw new Error('both versions must be read for the same audience');
  const read: Readers = { from: from.read ?? AS_WRITTEN.from, to: to.read ?? AS_WRITTEN.to };
  const kept = keptItems(new Map(from.items.map((item) => [item.key, item])), to, audience, read);
  keepItemsWithMovedGroups(kept);
  markReordered(kept);
  const ordered = orderedEntries(from, to, kept, audience);
  const collections = changeCollections(from, to, ordered);
  return { audience, summary: summarise(ordered, to.statuses), entries: ordered, collections, statuses: to.statuses, travel: travelOf(kept, to.statuses) };
}

/** Direction of travel over the tracked items both versions hold with a status (PlanComparison.travel). */
function travelOf(kept: readonly Kept[], statuses: StatusScheme): Travel {
  const travel: Travel = { better: 0, same: 0, worse: 0 };
  for (const { before, after } of kept) {
    if (!PROGRESS_KINDS.has(after.kind)) continue;
    const [was, now] = [before.fields.status, after.fields.status];
    if (typeof was !== 'string' || typeof now !== 'string') continue;
    const way = direction(statuses.status, was, now);
    if (way) travel[way]++;
  }
  return travel;
}

function added(item: PlanItem, read?: (text: string) => string): ItemChange {
  return { id: item.id, kind: item.kind, ...nouns(item), change: 'added', place: place(item), value: read ? readValue(item.fields, read) : item.fields, fields: [] };
}

function removed(item: PlanItem, read?: (text: string) => string): ItemChange {
  return { id: item.id, kind: item.kind, ...nouns(item), change: 'removed', place: place(item), value: read ? readValue(item.fields, read) : item.fields, fields: [] };
}
