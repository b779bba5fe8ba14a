import type { DataSet } from '../data/dataset.js';
import { compare } from './compare.js';
import type { PlanComparison } from './compare.js';
import { collectItems } from './items.js';
import type { PlanSide } from './source.js';

/** What changed between two versions of the plan, and which versions they were. */
export interface PlanChange extends PlanComparison {
  from: PlanSide;
  to: PlanSide;
}

/** Compares two checked data sets. Pure. */
export function diffPlans(from: { side: PlanSide; data: DataSet }, to: { side: PlanSide; data: DataSet }): PlanChange {
  return { from: from.side, to: to.side, ...compare(collectItems(from.data), collectItems(to.data)) };
}

/** True when the two versions differ in anything the diff follows. */
export function hasChanges(change: PlanComparison): boolean {
  return change.entries.length > 0;
}
