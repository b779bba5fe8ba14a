import { compare } from './compare.js';
import type { ItemChange } from './compare.js';
import type { Commit } from '../git.js';
import type { PlanItems } from './items.js';
import { DEFAULT_SCHEME } from '../data/status.js';
import type { StatusScheme } from '../data/status.js';

// `csi log`: the plan's story across commits, told by the same comparison `csi diff`
// makes (so every move, rewording and status change the diff reports is in the log).
// Pure: the caller reads the commits.

export type HistoryCommit = Commit;

/** One version of the plan at a commit; `items` (for one audience) is undefined where the data was invalid. */
export interface HistoryVersion {
  commit: HistoryCommit;
  items: PlanItems | undefined;
}

/** What one commit did to an item: an item change, told with the commit that made it. */
export interface HistoryEvent extends ItemChange {
  commit: HistoryCommit;
}

/** Every item's changes, commit by commit, oldest first. */
export interface PlanHistory {
  events: HistoryEvent[];
  /** Commits whose data was invalid, so items could not be followed through them. */
  skipped: HistoryCommit[];
  /** The status words the history is told in: the latest readable version's. */
  statuses: StatusScheme;
}

export interface ItemHistory extends PlanHistory {
  id: string;
}

/** A plan with nothing in it: what the first commit is compared with. */
function empty(like: PlanItems): PlanItems {
  return { ...like, items: [], collections: [] };
}

/**
 * What changed between two versions, for the audience both were read for (as `csi diff`
 * compares them). The versions passed through the withhold stage together
 * (VersionReader.history), so for the public neither holds anything exempt now.
 */
function changes(before: PlanItems, after: PlanItems): ItemChange[] {
  return compare(before, after).entries;
}

const eventKey = (e: Pick<ItemChange, 'kind' | 'id'>) => `${e.kind}\u0000${e.id}`;

/** The collections (appendix sections, the chronology, …) that hold an item with this id. */
function collectionsHolding(items: PlanItems | undefined, id: string): string[] {
  return items ? items.items.filter((i) => i.id === id).map((i) => i.collection) : [];
}

/** The version's items in these collections only (with the collections themselves). */
function within(items: PlanItems, collections: ReadonlySet<string>): PlanItems {
  return { ...items, items: items.items.filter((i) => collections.has(i.collection)) };
}

/**
 * What changed between two versions, told only as far as one id needs: compare() reads
 * an item's change from the item itself, its group, and the order of the lists it is in
 * (before and after), so comparing just the collections that hold the id, in either
 * version, tells its changes exactly as comparing everything would. A pair of versions
 * where neither holds the id changed nothing of it.
 */
function changesOf(id: string, before: PlanItems, after: PlanItems): ItemChange[] {
  const collections = new Set([...collectionsHolding(before, id), ...collectionsHolding(after, id)]);
  return collections.size === 0 ? [] : changes(within(before, collections), within(after, collections));
}

/**
 * Every change to every item, commit by commit (oldest first), in one pass: each
 * commit is compared with its first parent (the nearest valid version along first
 * parents), as `csi diff PARENT COMMIT` would. A merge counts a change only where
 * the item differs from every parent, so changes on merged branches are told where
 * they were made. For the public, an item exempt now has no history, and one exempt
 * then and public now is added where it became public (model/withhold.ts). With `only`,
 * the changes to items with that id alone (for itemHistory): the same events, found
 * without comparing the rest of the plan.
 */
export function planHistory(versions: readonly HistoryVersion[], only?: string): PlanHistory {
  const byCommit = new Map(versions.map((v) => [v.commit.commit, v]));
  /** The nearest version at or before `commit` (along first parents) whose data was valid. */
  const validAncestor = (commit: string | undefined): PlanItems | undefined => {
    for (let c = commit; c !== undefined; c = byCommit.get(c)?.commit.parents[0]) {
      const version = byCommit.get(c);
      if (!version) return undefined;
      if (version.items) return version.items;
    }
    return undefined;
  };

  const events: HistoryEvent[] = [];
  const skipped: HistoryCommit[] = [];
  for (const { commit, items } of versions) {
    if (!items) {
      skipped.push(commit);
      continue;
    }
    const parents = commit.parents.length === 0 ? [undefined] : commit.parents.map(validAncestor);
    const compared = (before: PlanItems) => (only === undefined ? changes(before, items) : changesOf(only, before, items));
    const [first, ...others] = parents.map((p) => compared(p ?? empty(items)));
    // A merge changed an item only if it differs from every parent (as git's combined diff sees it).
    const inEvery = others.map((list) => new Set(list.map(eventKey)));
    for (const change of first!) {
      if (inEvery.every((keys) => keys.has(eventKey(change)))) events.push({ ...change, commit });
    }
  }
  const latest = [...versions].reverse().find((v) => v.items)?.items;
  // For the public, nothing exempt now: not even the story of an item while it was public.
  const exemptNow = new Set(latest?.audience === 'public' ? latest.items.filter((i) => i.exempt).map(eventKey) : []);
  const told = exemptNow.size > 0 ? events.filter((e) => !exemptNow.has(eventKey(e))) : events;
  return { events: told, skipped, statuses: latest?.statuses ?? DEFAULT_SCHEME };
}

/**
 * One item's history: when it was added, each change to it, and its removal. A
 * glossary term answers to its term if no other item has the id.
 */
export function itemHistory(id: string, history: PlanHistory): ItemHistory {
  const own = history.events.filter((e) => e.id === id && e.kind !== 'report');
  const items = own.some((e) => e.kind !== 'term') ? own.filter((e) => e.kind !== 'term') : own;
  return { ...history, id, events: items };
}
