import { resolve } from 'node:path';
import type { Audience } from '../model/exempt.js';
import { diffPlans } from './plan-change.js';
import type { PlanChange } from './plan-change.js';
import { VersionReader } from './source.js';
import type { StatusScheme } from '../data/status.js';
import type { MeetingSettings } from './meetings.js';

export interface DiffOptions {
  /** The data folder whose repository the revisions are read from. Default `data`. */
  dataDir?: string;
  /** Where relative paths start. Default the process's working folder. */
  cwd?: string;
  /** `public` (default): nothing exempt on either side is compared; `exempt`: everything, exempt changes marked. */
  audience?: Audience;
  /** The council's status words (`resolveSettings(…).statuses`). Default: csi's own. */
  statuses?: StatusScheme;
  /** The meetings csi.config.yaml names (`resolveSettings(…).meetings`), for `meeting:DATE`. Default: report.yaml's meeting_date only. */
  meetings?: MeetingSettings;
}

/**
 * What changed in the plan between two versions, item by item: each side is a git
 * revision, a data folder, or (for `to`, left out) the data folder as it is now.
 * Throws InvalidDataError, naming the side, if either version's data is invalid.
 */
export async function diff(from: string, to?: string, options: DiffOptions = {}): Promise<PlanChange> {
  const cwd = options.cwd ?? process.cwd();
  const reader = new VersionReader({ dataDir: resolve(cwd, options.dataDir ?? 'data'), cwd, statuses: options.statuses, meetings: options.meetings });
  return diffPlans(await reader.read(from), await reader.read(to), options.audience ?? 'public');
}
