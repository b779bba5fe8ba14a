import { spawn } from 'node:child_process';
import { isDataFileName } from '../data/dataset.js';
import { MAX_FILE_BYTES } from '../data/yaml-source.js';
import { CsiError } from '../errors.js';

// The only module that runs git.

/** The repository holding a data folder, and the folder's path inside it. */
export interface Repository {
  /** Top of the working tree. */
  top: string;
  /** The data folder relative to the top, with a trailing slash ('' for the top itself). */
  prefix: string;
}

/** A commit, as `csi diff` and `csi log` name it. */
export interface Commit {
  commit: string;
  short: string;
  /** Author date, ISO 8601. */
  date: string;
  author: string;
  subject: string;
  /** Parents, as history limited to the data folder sees them. */
  parents: string[];
}

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function git(args: string[], cwd: string, input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (cause: NodeJS.ErrnoException) => {
      reject(
        cause.code === 'ENOENT'
          ? new CsiError('git is not installed', { code: 'NO_GIT', kind: 'environment', cause, hint: 'install git, or compare two data folders instead of revisions' })
          : new CsiError(`git could not be run: ${cause.message}`, { code: 'GIT_FAILED', kind: 'environment', cause }),
      );
    });
    child.on('close', (code) => {
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

function failed(what: string, result: GitResult): CsiError {
  return new CsiError(`git failed to ${what}: ${result.stderr.split('\n')[0] ?? ''}`, {
    code: 'GIT_FAILED',
    kind: 'environment',
  });
}

/** The git repository that holds `dir`. */
export async function findRepository(dir: string): Promise<Repository> {
  const result = await git(['rev-parse', '--show-toplevel', '--show-prefix'], dir);
  if (result.code !== 0) {
    throw new CsiError(`the data folder "${dir}" is not in a git repository`, {
      code: 'NOT_A_REPOSITORY',
      kind: 'usage',
      hint: 'csi diff reads revisions from the repository holding --data; to compare without git, give two data folders',
    });
  }
  const [top = '', prefix = ''] = result.stdout.toString('utf8').split('\n');
  return { top, prefix };
}

const FORMAT = ['%H', '%h', '%aI', '%an', '%s', '%P'].join('%x00');

function parseCommit(line: string): Commit {
  const [commit = '', short = '', date = '', author = '', subject = '', parents = ''] = line.split('\0');
  return { commit, short, date, author, subject, parents: parents.split(' ').filter(Boolean) };
}

/** The commit a revision names; a revision that names none is a usage error. */
export async function resolveCommit(repo: Repository, rev: string): Promise<Commit> {
  const verified = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], repo.top);
  if (verified.code !== 0) {
    throw new CsiError(`"${rev}" is neither a data folder nor a revision in ${repo.top}`, {
      code: 'UNKNOWN_REVISION',
      kind: 'usage',
      hint: 'give a commit, branch or tag (git log --oneline lists them), or a folder holding report.yaml',
    });
  }
  const commit = verified.stdout.toString('utf8').trim();
  const shown = await git(['show', '-s', `--format=${FORMAT}`, commit], repo.top);
  if (shown.code !== 0) throw failed(`read commit ${commit}`, shown);
  return parseCommit(shown.stdout.toString('utf8').trim());
}

/** Lists the data files in the data folder at a commit: name → blob id and size. */
async function listDataFiles(
  repo: Repository,
  commit: string,
  rev: string,
  missingOk: boolean,
): Promise<Map<string, { oid: string; size: number }>> {
  const result = await git(['ls-tree', '-z', '-l', `${commit}:${repo.prefix}`], repo.top);
  if (result.code !== 0 && missingOk) return new Map();
  if (result.code !== 0) {
    throw new CsiError(`the data folder "${repo.prefix || '.'}" does not exist at ${rev}`, {
      code: 'NO_DATA_AT_REVISION',
      kind: 'usage',
      hint: 'choose a revision that has the data, or point --data at the folder it was in',
    });
  }
  const files = new Map<string, { oid: string; size: number }>();
  for (const record of result.stdout.toString('utf8').split('\0')) {
    // "<mode> SP <type> SP <object> SP+ <size> TAB <name>"
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [, type, oid, size] = record.slice(0, tab).split(/ +/);
    const name = record.slice(tab + 1);
    if (type === 'blob' && oid && isDataFileName(name)) files.set(name, { oid, size: Number(size) });
  }
  return files;
}

/** Reads many blobs with one `git cat-file --batch`. */
async function readBlobs(repo: Repository, oids: readonly string[]): Promise<Map<string, Uint8Array>> {
  const unique = [...new Set(oids)];
  const blobs = new Map<string, Uint8Array>();
  if (unique.length === 0) return blobs;
  const result = await git(['cat-file', '--batch'], repo.top, unique.map((o) => `${o}\n`).join(''));
  if (result.code !== 0) throw failed('read data files', result);
  const out = result.stdout;
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const [oid = '', type, size] = out.subarray(at, eol).toString('utf8').split(' ');
    if (type === 'missing' || size === undefined) throw failed(`read object ${oid}`, result);
    const start = eol + 1;
    const end = start + Number(size);
    blobs.set(oid, out.subarray(start, end));
    at = end + 1;
  }
  return blobs;
}

/**
 * The data files at one or more commits, as `readDataDir` gives them for a folder:
 * name → bytes. Blobs shared between commits are read once. A commit without the
 * data folder is a usage error, unless `missingOk` (then it has no files).
 */
export async function readDataAt(
  repo: Repository,
  commits: readonly { commit: string; rev: string }[],
  missingOk = false,
): Promise<Map<string, Map<string, Uint8Array>>> {
  const listings = new Map<string, Map<string, { oid: string; size: number }>>();
  for (const { commit, rev } of commits) listings.set(commit, await listDataFiles(repo, commit, rev, missingOk));
  // Files over the size cap are not read whole: the parser reports them.
  const wanted = [...listings.values()].flatMap((l) => [...l.values()].filter((f) => f.size <= MAX_FILE_BYTES).map((f) => f.oid));
  const blobs = await readBlobs(repo, wanted);
  const out = new Map<string, Map<string, Uint8Array>>();
  for (const [commit, listing] of listings) {
    const files = new Map<string, Uint8Array>();
    for (const [name, { oid, size }] of [...listing].sort(([a], [b]) => a.localeCompare(b))) {
      files.set(name, size > MAX_FILE_BYTES ? new Uint8Array(MAX_FILE_BYTES + 1) : blobs.get(oid)!);
    }
    out.set(commit, files);
  }
  return out;
}

/**
 * Commits that changed the data folder, oldest first, each with its parents as
 * history limited to that folder sees them (so each can be compared with its first).
 */
export async function dataHistory(repo: Repository): Promise<Commit[]> {
  const result = await git(
    ['log', '--parents', '--topo-order', '--reverse', `--format=${FORMAT}`, 'HEAD', '--', repo.prefix || '.'],
    repo.top,
  );
  if (result.code !== 0) {
    // A repository with no commits yet has no history.
    if (/does not have any commits|unknown revision/.test(result.stderr)) return [];
    throw failed('list the history of the data', result);
  }
  const commits = result.stdout.toString('utf8').split('\n').filter(Boolean).map(parseCommit);
  return commits;
}
