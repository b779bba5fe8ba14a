import type { DataSet } from '../data/dataset.js';
import type { Audience } from '../model/exempt.js';
import { compare } from './compare.js';
import type { PlanComparison } from './compare.js';
import { buildModel } from '../model/report.js';
import { withholdVersions } from '../model/withhold.js';
import { collectItems } from './items.js';

/** Which version of the plan one side of a diff is, as the output names it. */
export interface PlanSide {
  source: 'git' | 'directory' | 'working-tree';
  /** What was asked for: "HEAD~1", "plans/2017". */
  name: string;
  /** Where the data was read: "HEAD~1:data/", or the folder. */
  location: string;
  commit?: string;
  short?: string;
  /** Author date of the commit, ISO 8601. */
  date?: string;
  author?: string;
  subject?: string;
  /** The report's meeting date in this version. */
  meetingDate: string;
}

/** What changed between two versions of the plan, and which versions they were. */
export interface PlanChange extends PlanComparison {
  from: PlanSide;
  to: PlanSide;
}

/**
 * Compares two checked data sets for an audience, `to` being "now". Both versions
 * pass through the withhold stage first (model/withhold.ts): for the public, nothing
 * exempt in `to` is in either, nor anything exempt in `from`, so nothing of it is in
 * the result; for the exempt audience every change that touches exempt information
 * is marked. Pure.
 */
export function diffPlans(from: { side: PlanSide; data: DataSet }, to: { side: PlanSide; data: DataSet }, audience: Audience): PlanChange {
  const [before, after] = withholdVersions([buildModel(from.data), buildModel(to.data)], audience);
  return { from: from.side, to: to.side, ...compare(collectItems(before!, from.data.appendixFiles), collectItems(after!, to.data.appendixFiles)) };
}

/** True when the two versions differ in anything the diff follows. */
export function hasChanges(change: PlanComparison): boolean {
  return change.entries.length > 0;
}
