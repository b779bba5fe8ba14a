import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseCache, parseDataSet } from '../data/dataset.js';
import type { ParseCache } from '../data/dataset.js';
import type { DataSet } from '../data/dataset.js';
import { linkOutside, readDataDir } from '../data/read.js';
import { CsiError, InvalidDataError } from '../errors.js';
import { trace } from '../trace.js';
import { dataHistory, findRepository, lastDataCommit, listTags, readDataAt, resolveCommit } from '../git.js';
import { planHistory } from './history.js';
import type { HistoryCommit, HistoryVersion, PlanHistory } from './history.js';
import { meetingName, meetingSpec, meetingsIn, tagDate, withNamedMeetings } from './meetings.js';
import type { Meeting, MeetingSettings } from './meetings.js';
import { collectItems, itemsCache } from './items.js';
import { buildModel, modelCache } from '../model/report.js';
import { withholdMemo, withholdVersions } from '../model/withhold.js';
import { diffPlans } from './plan-change.js';
import type { PlanChange, PlanSide } from './plan-change.js';
import type { FilesAt, Repository } from '../git.js';
import type { Audience } from '../model/exempt.js';
import type { StatusScheme } from '../data/status.js';

export type { PlanSide };

export interface PlanVersion {
  side: PlanSide;
  data: DataSet;
}

/** Data that is invalid at a revision; `dataDir` reads as git names it, "HEAD~1:data/". */
export class InvalidRevisionData extends InvalidDataError {
  constructor(problems: InvalidDataError['problems'], readonly revision: string, location: string) {
    super(problems, location);
    this.name = 'InvalidRevisionData';
  }
}

/** Where the two sides of a diff come from. */
export interface VersionContext {
  /** The data folder, absolute; its repository is where revisions are read. */
  dataDir: string;
  cwd: string;
  /** The council's status words, which both versions are checked against (default: csi's own). */
  statuses?: StatusScheme | undefined;
  /** Meetings csi.config.yaml names (`meetings`, `meeting_tags`), beating report.yaml's meeting_date. */
  meetings?: MeetingSettings | undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function parse(files: Map<string, Uint8Array>, statuses: StatusScheme | undefined, fail: (problems: CsiError[]) => Error): DataSet {
  const parsed = parseDataSet(files, { warnings: false, statuses });
  if (!parsed.ok) throw fail(parsed.problems);
  return parsed.data;
}

/** A revision's data set, checked; a link out of the data folder is a problem, as it is in a folder. */
function parseAt(files: FilesAt, statuses: StatusScheme | undefined, cache?: ParseCache): ReturnType<typeof parseDataSet> {
  const links = [...files].filter(([, bytes]) => bytes === 'link').map(([name]) => linkOutside(name));
  if (links.length > 0) return { ok: false, problems: links, warnings: [] };
  return parseDataSet(files as Map<string, Uint8Array>, { warnings: false, statuses, cache });
}

// What each use of git needs, said when the data folder is not in a repository.
const REVISIONS_HINT = 'revisions are read from the git repository that holds the data folder; to compare without git, give a data folder instead';
const HISTORY_HINT = 'csi log reads the history of the repository holding --data: put the plan in git (git init, git add, git commit) first';

/** Reads one version of the plan by name: a folder, a git revision, or (undefined) the working tree. */
export class VersionReader {
  #repo: Promise<Repository> | undefined;
  #plans = new Map<Audience, ReturnType<VersionReader['plan']>>();
  #files: ReturnType<VersionReader['files']> | undefined;
  constructor(private readonly context: VersionContext) {}

  /** The repository that holds the data folder (looked up once). */
  repository(hint = REVISIONS_HINT): Promise<Repository> {
    this.#repo ??= findRepository(this.context.dataDir, hint);
    return this.#repo;
  }

  async read(spec: string | undefined): Promise<PlanVersion> {
    const { cwd, dataDir } = this.context;
    if (spec === undefined) return this.readFolder(dataDir, 'working-tree', relative(cwd, dataDir) || '.');
    if (meetingSpec(spec) !== undefined) {
      // Meeting dates are never exempt: read for the exempt audience only to find them.
      const { meetings } = await this.plan('exempt');
      const version = await this.readRevision(meetingCommit(spec, meetings).commit.commit);
      return { ...version, side: { ...version.side, name: spec, location: `${spec}:${(await this.repository()).prefix}` } };
    }
    const asFolder = resolve(cwd, spec);
    if (await isDirectory(asFolder)) return this.readFolder(asFolder, 'directory', spec);
    return this.readRevision(spec);
  }

  /**
   * Every commit that changed the data folder, oldest first, with its items for an
   * audience (none where invalid). The versions pass through the withhold stage
   * together, the data folder as it is now (where it reads) being the last: so for
   * the public no version holds anything that is exempt now.
   */
  async history(audience: Audience): Promise<HistoryVersion[]> {
    const { commits, files } = await this.files();
    trace(`history: ${commits.length} commits read from git`);
    // Each blob is parsed once, however many commits hold it.
    const cache = parseCache();
    const read = commits.map((commit) => {
      const parsed = parseAt(files.get(commit.commit) ?? new Map(), this.context.statuses, cache);
      return { commit, data: parsed.ok ? parsed.data : undefined };
    });
    const now = await this.read(undefined).then(
      (v) => v.data,
      () => undefined, // a data folder that does not read now: the last commit is "now"
    );
    trace('history: every version parsed and checked');
    const valid = read.flatMap((v) => (v.data ? [v.data] : []));
    const versions = [...valid, ...(now ? [now] : [])];
    // Most commits change one file: each version of an appendix is modelled, withheld and collected once.
    const models = modelCache();
    const withheld = withholdVersions(versions.map((v) => buildModel(v, models)), audience, withholdMemo());
    trace('history: every version modelled and withheld');
    const items = itemsCache();
    let n = 0;
    const told = read.map(({ commit, data }) => ({ commit, items: data ? collectItems(withheld[n++]!, data.appendixFiles, items) : undefined }));
    trace('history: every version listed as items');
    return told;
  }

  /** Every commit that changed the data folder, oldest first, and its files (read once, for every audience). */
  private files(): Promise<{ commits: HistoryCommit[]; files: Map<string, FilesAt> }> {
    this.#files ??= (async () => {
      await this.requireDataDir();
      const repo = await this.repository(HISTORY_HINT);
      const commits = await dataHistory(repo);
      return { commits, files: await readDataAt(repo, commits.map((c) => ({ commit: c.commit, rev: c.short })), true) };
    })();
    return this.#files;
  }

  /**
   * False only when no version of the data folder (any commit, or as it is now) can
   * hold `text` as a value: no file's name or bytes hold it, and none holds a
   * backslash (a YAML escape could spell it). Cheap beside reading the history:
   * `csi log` answers an unknown id without parsing every version.
   */
  async mayMention(text: string): Promise<boolean> {
    const { files } = await this.files();
    const now = await readDataDir(this.context.dataDir).catch(() => new Map<string, Uint8Array>());
    const wanted = Buffer.from(text, 'utf8');
    const holds = (bytes: Uint8Array | 'link') =>
      bytes === 'link' || Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(wanted) || bytes.includes(0x5c);
    // Versions share most blobs: each is searched once.
    const searched = new Set<Uint8Array | 'link'>();
    for (const version of [...files.values(), now]) {
      for (const [name, bytes] of version) {
        if (name.includes(text)) return true;
        if (searched.has(bytes)) continue;
        searched.add(bytes);
        if (holds(bytes)) return true;
      }
    }
    return false;
  }

  /**
   * The ids the plan holds now, for an audience (for the public, none exempt now),
   * or undefined where the data folder does not read: what a mistyped id is most
   * likely a slip for.
   */
  async idsNow(audience: Audience): Promise<string[] | undefined> {
    const now = await this.read(undefined).then((v) => v.data, () => undefined);
    if (!now) return undefined;
    return collectItems(withholdVersions([buildModel(now)], audience)[0]!, now.appendixFiles).items.map((i) => i.id);
  }

  /**
   * The history (read once per audience, however often asked: `csi diff meeting:A
   * meeting:B` finds both meetings in one reading), every change in it, and the
   * meetings it names.
   */
  plan(audience: Audience): Promise<{ versions: HistoryVersion[]; history: PlanHistory; meetings: Meeting[] }> {
    let planned = this.#plans.get(audience);
    if (!planned) {
      planned = this.history(audience).then(async (versions) => {
        let history: PlanHistory | undefined;
        return {
          versions,
          // Told when first asked for: `csi log ID` and a diff between meetings never ask.
          get history() {
            return (history ??= planHistory(versions));
          },
          meetings: withNamedMeetings(meetingsIn(versions), await this.namedMeetings(versions)),
        };
      });
      this.#plans.set(audience, planned);
    }
    return planned;
  }

  /**
   * Where a revision (or `meeting:DATE`) sits in the history: the last version at or
   * before it that changed the data, and valid there. Undefined spec: the latest.
   */
  async versionIndex(spec: string | undefined, versions: readonly HistoryVersion[], meetings: readonly Meeting[]): Promise<number> {
    const place = (commit: string | undefined) => versions.findIndex((v) => v.commit.commit === commit);
    let index: number;
    if (spec !== undefined && meetingSpec(spec) !== undefined) index = meetingCommit(spec, meetings).index;
    else {
      const repo = await this.repository();
      const commit = await resolveCommit(repo, spec ?? 'HEAD');
      index = place(await lastDataCommit(repo, commit.commit));
    }
    while (index >= 0 && !versions[index]!.items) index--;
    if (index < 0) {
      throw new CsiError(`the plan has no valid version at ${spec ?? 'HEAD'}`, {
        code: 'NO_DATA_AT_REVISION',
        kind: 'usage',
        hint: 'choose a revision that has valid data (csi validate checks it)',
      });
    }
    return index;
  }

  /**
   * The meetings csi.config.yaml names, each placed at the last version of the plan at
   * or before its revision: `meetings` first, then tags matching `meeting_tags` for
   * the other dates. A revision that names no commit is a usage error naming the meeting.
   */
  private async namedMeetings(versions: readonly HistoryVersion[]): Promise<Meeting[]> {
    const { revisions = {}, tags } = this.context.meetings ?? {};
    if (Object.keys(revisions).length === 0 && tags === undefined) return [];
    const repo = await this.repository();
    const place = async (date: string, rev: string, from: 'config' | 'tag'): Promise<Meeting> => {
      const said = from === 'config' ? `meetings: ${date} in csi.config.yaml` : `tag "${rev}" (meeting_tags in csi.config.yaml)`;
      const commit = await resolveCommit(repo, rev).catch((e: unknown) => {
        if (!(e instanceof CsiError) || e.code !== 'UNKNOWN_REVISION') throw e;
        throw new CsiError(`${said} names "${rev}", which is not a revision of ${repo.top}`, {
          code: 'UNKNOWN_REVISION',
          kind: 'usage',
          hint: 'give the commit or tag of the plan as it went to that meeting (git log --oneline, git tag list them)',
        });
      });
      const last = await lastDataCommit(repo, commit.commit);
      const index = versions.findIndex((v) => v.commit.commit === last);
      if (index < 0) {
        throw new CsiError(`${said} names "${rev}", which is not in the plan's history (the commits before HEAD that changed ${repo.prefix || 'the data'})`, {
          code: 'UNKNOWN_REVISION',
          kind: 'usage',
          hint: 'give a commit or tag on the branch you are on, at or after the plan\'s first commit',
        });
      }
      return { date, commit: versions[index]!.commit, index, from };
    };
    const named: Meeting[] = [];
    for (const [date, rev] of Object.entries(revisions)) named.push(await place(date, rev, 'config'));
    if (tags !== undefined) {
      for (const tag of await listTags(repo)) {
        const date = tagDate(tags, tag.name);
        if (date !== undefined && !(date in revisions)) named.push(await place(date, tag.name, 'tag'));
      }
    }
    return named;
  }

  private async requireDataDir(): Promise<void> {
    if (!(await isDirectory(this.context.dataDir))) {
      throw new CsiError(`data directory "${relative(this.context.cwd, this.context.dataDir) || '.'}" cannot be read`, {
        code: 'NO_DATA_DIR',
        kind: 'usage',
        hint: 'give the folder that holds report.yaml with --data',
      });
    }
  }

  private async readFolder(dir: string, source: 'directory' | 'working-tree', name: string): Promise<PlanVersion> {
    const shown = relative(this.context.cwd, dir) || '.';
    const data = parse(await readDataDir(dir), this.context.statuses, (problems) => new InvalidDataError(problems, dir));
    return { side: { source, name, location: shown, meetingDate: data.report.meeting_date }, data };
  }

  private async readRevision(rev: string): Promise<PlanVersion> {
    await this.requireDataDir();
    const repo = await this.repository();
    const commit = await resolveCommit(repo, rev);
    const files = (await readDataAt(repo, [{ commit: commit.commit, rev }])).get(commit.commit)!;
    const location = `${rev}:${repo.prefix}`;
    const parsed = parseAt(files, this.context.statuses);
    if (!parsed.ok) throw new InvalidRevisionData(parsed.problems, rev, location);
    const data = parsed.data;
    return {
      side: {
        source: 'git',
        name: rev,
        location,
        commit: commit.commit,
        short: commit.short,
        date: commit.date,
        author: commit.author,
        subject: commit.subject,
        meetingDate: data.report.meeting_date,
      },
      data,
    };
  }
}

/** The meeting `meeting:DATE` names; a date the history does not name is a usage error listing those it does. */
function meetingCommit(spec: string, meetings: readonly Meeting[]): Meeting {
  const date = meetingSpec(spec);
  const meeting = meetings.find((m) => m.date === date);
  if (meeting) return meeting;
  const known = meetings.map((m) => m.date);
  throw new CsiError(`no meeting on ${meetingName(date ?? spec)} in the history of the plan`, {
    code: 'UNKNOWN_REVISION',
    kind: 'usage',
    hint:
      known.length === 0
        ? 'no commit of the plan names a meeting yet'
        : meetings.every((m) => (m.from ?? 'meeting_date') === 'meeting_date')
          ? `meetings are named by report.yaml's meeting_date: ${known.map((d) => `meeting:${d}`).join(', ')}`
          : `the plan's meetings (report.yaml's meeting_date, csi.config.yaml's meetings and meeting_tags): ${known.map((d) => `meeting:${d}`).join(', ')}`,
  });
}

/**
 * What changed since `spec` (a revision of the repository holding `dataDir`, or a
 * folder) in the data already loaded from `dataDir`, for an audience: for
 * `build-report --changes-since`. For the public, nothing exempt on either side is in it.
 */
export async function changesSince(
  spec: string,
  dataDir: string,
  data: DataSet,
  audience: Audience,
  cwd = process.cwd(),
  meetings?: MeetingSettings,
  reader = new VersionReader({ dataDir: resolve(cwd, dataDir), cwd, statuses: data.statuses, meetings }),
): Promise<PlanChange> {
  const before = await reader.read(spec);
  const shown = relative(cwd, resolve(cwd, dataDir)) || '.';
  const now = { side: { source: 'working-tree' as const, name: shown, location: shown, meetingDate: data.report.meeting_date }, data };
  return diffPlans(before, now, audience);
}
