import { createHash } from 'node:crypto';
import { CsiError } from './errors.js';
import { gitState } from './git.js';
import type { GitState } from './git.js';

/** Where the report came from, printed in its footer and its PDF metadata. */
export interface Provenance {
  /** The plan's own version label (`version` in report.yaml), if it has one. */
  planVersion: string | undefined;
  /** The last commit that changed the data folder, as 12 hex digits; undefined outside git. */
  commit: string | undefined;
  /** The data folder holds changes that are not committed (or is not committed at all). */
  modified: boolean;
  /** sha256 over every data file's name and bytes, in name order. */
  dataSha256: string;
  /** The date the outputs carry: SOURCE_DATE_EPOCH, else the data's last commit, else now. */
  date: Date;
  dateSource: 'SOURCE_DATE_EPOCH' | 'git' | 'clock';
}

/** One hash over the whole data set: any change to any file, or a file added or removed, changes it. Pure. */
export function dataHash(files: ReadonlyMap<string, Uint8Array>): string {
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) {
    const bytes = files.get(name)!;
    hash.update(`${name}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/**
 * SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds since 1970 in UTC.
 * A value that is set but not such a number is a usage error, not ignored.
 */
export function sourceDateEpoch(env: NodeJS.ProcessEnv): Date | undefined {
  const value = env.SOURCE_DATE_EPOCH;
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,12}$/.test(value.trim())) {
    throw new CsiError(`SOURCE_DATE_EPOCH is "${value}", not a number of seconds`, {
      code: 'BAD_SOURCE_DATE_EPOCH',
      kind: 'usage',
      hint: 'set it to a Unix time, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct), or unset it',
    });
  }
  return new Date(Number(value.trim()) * 1000);
}

export interface ProvenanceInput {
  dataDir: string;
  files: ReadonlyMap<string, Uint8Array>;
  planVersion: string | undefined;
  env: NodeJS.ProcessEnv;
  /** The clock, for data outside git with no SOURCE_DATE_EPOCH. */
  now?: () => Date;
  /** git's answer, if it was asked already (the pipeline asks before it reads the data). */
  git?: Promise<GitState | undefined>;
}

/** Works out the report's provenance. */
export async function readProvenance(input: ProvenanceInput): Promise<Provenance> {
  const fixed = sourceDateEpoch(input.env);
  const state = await (input.git ?? gitState(input.dataDir));
  const date = fixed ?? state?.committed ?? (input.now ?? (() => new Date()))();
  return {
    planVersion: input.planVersion,
    commit: state?.commit,
    modified: state?.modified ?? false,
    dataSha256: dataHash(input.files),
    date,
    dateSource: fixed ? 'SOURCE_DATE_EPOCH' : state?.committed ? 'git' : 'clock',
  };
}

/** "Plan version 3 · commit 1a2b3c4d5e6f, modified · data sha256 0123456789ab", as the footer prints it. */
export function describeProvenance(p: Provenance): string {
  const commit = p.commit ? `commit ${p.commit}${p.modified ? ', modified' : ''}` : p.modified ? 'not committed' : 'not in git';
  return [p.planVersion ? `Plan version ${p.planVersion}` : undefined, commit, `data sha256 ${p.dataSha256.slice(0, 12)}`]
    .filter(Boolean)
    .join(' · ');
}
