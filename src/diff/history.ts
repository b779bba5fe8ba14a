import type { Audience } from '../model/exempt.js';
import { compareFields, markExempt, place } from './compare.js';
import type { ItemChange } from './compare.js';
import type { Commit } from '../git.js';
import type { PlanItem, PlanItems } from './items.js';
import { DEFAULT_SCHEME } from '../data/status.js';
import type { StatusScheme } from '../data/status.js';

// `csi log <id>`: one item's story across commits. Pure: the caller reads the commits.

export type HistoryCommit = Commit;

/** One version of the plan at a commit; `items` is undefined where the data was invalid. */
export interface HistoryVersion {
  commit: HistoryCommit;
  items: PlanItems | undefined;
}

/** What one commit did to the item: an item change, told with the commit that made it. */
export interface HistoryEvent extends ItemChange {
  commit: HistoryCommit;
}

export interface ItemHistory {
  id: string;
  events: HistoryEvent[];
  /** Commits whose data was invalid, so the item could not be followed through them. */
  skipped: HistoryCommit[];
  /** The status words the history is told in: the latest readable version's. */
  statuses: StatusScheme;
}

/** The item with this id; a glossary term answers to its term if no item has the id. */
function find(items: PlanItems, id: string): PlanItem | undefined {
  let term: PlanItem | undefined;
  for (const item of items.items) {
    if (item.id !== id || item.kind === 'report') continue;
    if (item.kind !== 'term') return item;
    term ??= item;
  }
  return term;
}

function same(a: PlanItem | undefined, b: PlanItem | undefined, audience: Audience): boolean {
  if (!a || !b) return a === b;
  return a.collection === b.collection && a.group === b.group && compareFields(a, b, audience).length === 0;
}

/**
 * When the item was added, each change to it, and its removal, commit by commit
 * (oldest first). Each commit is compared with its first parent; a merge counts
 * only where it differs from every parent, so changes on merged branches are told
 * where they were made. The versions were withheld together (VersionReader.history):
 * for the public, an item exempt now has no history, and one exempt then and public
 * now is added where it became public.
 */
export function itemHistory(id: string, versions: readonly HistoryVersion[], audience: Audience): ItemHistory {
  const byCommit = new Map(versions.map((v) => [v.commit.commit, v]));
  const itemAt = new Map<string, PlanItem | undefined>();
  for (const v of versions) if (v.items) itemAt.set(v.commit.commit, find(v.items, id));

  /** The nearest version at or before `commit` (along first parents) whose data was valid. */
  const validAncestor = (commit: string | undefined): string | undefined => {
    for (let c = commit; c !== undefined; c = byCommit.get(c)?.commit.parents[0]) {
      if (itemAt.has(c)) return c;
      if (!byCommit.has(c)) return undefined;
    }
    return undefined;
  };

  const events: HistoryEvent[] = [];
  const skipped: HistoryCommit[] = [];
  for (const version of versions) {
    const { commit } = version;
    if (!version.items) {
      skipped.push(commit);
      continue;
    }
    const after = itemAt.get(commit.commit);
    const parents = commit.parents.map((p) => {
      const valid = validAncestor(p);
      return valid === undefined ? undefined : itemAt.get(valid);
    });
    // A merge changed the item only if it differs from every parent (as git's combined
    // diff sees it); otherwise the change is told at the branch commit that made it.
    if (parents.length > 1 && parents.some((before) => same(before, after, audience))) continue;
    if (!parents[0] && !after) continue;
    const before = parents[0];
    const now = after;
    const item = (now ?? before)!;
    const common = { commit, id: item.id, kind: item.kind, noun: item.noun };
    const tell = (event: HistoryEvent) => events.push(markExempt(event, audience, before, now));
    if (!before) {
      tell({ ...common, change: 'added', place: place(now!), value: now!.fields, fields: [] });
    } else if (!now) {
      tell({ ...common, change: 'removed', place: place(before), value: before.fields, fields: [] });
    } else {
      const fields = compareFields(before, now, audience);
      const moved = before.collection !== now.collection || before.group !== now.group;
      if (fields.length === 0 && !moved) continue;
      tell({ ...common, change: 'changed', place: place(now), fields, ...(moved ? { movedFrom: place(before) } : {}) });
    }
  }
  const statuses = [...versions].reverse().find((v) => v.items)?.items?.statuses ?? DEFAULT_SCHEME;
  return { id, events, skipped, statuses };
}
