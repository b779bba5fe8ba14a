import { spawn } from 'node:child_process';
import { posix } from 'node:path';
import { isDataFileName } from './data/dataset.js';
import { MAX_FILE_BYTES } from './data/yaml-source.js';
import { CsiError } from './errors.js';

// Every git command csi runs is run by `git()` below, with one environment: for
// provenance (build-report), and for reading revisions and history (diff, log).

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

/**
 * Runs git and collects what it prints. csi only reads: no optional locks (so it
 * never touches a checkout's index), no prompts, and messages in English so the
 * few csi recognises read the same everywhere. Git that cannot be started is an
 * environment error; a command that fails resolves with its exit code.
 */
function git(args: readonly string[], cwd: string, input?: string): Promise<GitResult> {
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

// ---- provenance --------------------------------------------------------------

/** The data folder's last commit, and whether it has changed since. */
export interface GitState {
  commit: string | undefined;
  committed: Date | undefined;
  modified: boolean;
}

/** The data folder's last commit and whether it has changed since. Undefined when it is not in git (or git is missing). */
export async function gitState(dataDir: string): Promise<GitState | undefined> {
  const quietly = (args: string[]) =>
    git(args, dataDir).then(
      (r) => (r.code === 0 ? r.stdout.toString('utf8') : undefined),
      () => undefined,
    );
  const [log, status] = await Promise.all([
    quietly(['log', '-1', '--format=%H %ct', '--', '.']),
    quietly(['status', '--porcelain', '--untracked-files=all', '--', '.']),
  ]);
  if (status === undefined) return undefined;
  // A repository with no commits yet fails `git log`: the data is in git, just not committed.
  const [hash, seconds] = (log ?? '').trim().split(' ');
  const committed = hash && seconds ? { commit: hash.slice(0, 12), committed: new Date(Number(seconds) * 1000) } : undefined;
  return {
    commit: committed?.commit,
    committed: committed?.committed,
    modified: status.trim() !== '' || committed === undefined,
  };
}

// ---- revisions and history (csi diff, csi log) ---------------------------------

/** The git repository that holds `dir`; `hint` says what the command needs git for. */
export async function findRepository(dir: string, hint: string): Promise<Repository> {
  const result = await git(['rev-parse', '--show-toplevel', '--show-prefix'], dir);
  if (result.code !== 0) {
    throw new CsiError(`the data folder "${dir}" is not in a git repository`, {
      code: 'NOT_A_REPOSITORY',
      kind: 'usage',
      hint,
    });
  }
  const [top = '', prefix = ''] = result.stdout.toString('utf8').split('\n');
  return { top, prefix };
}

/** What to do about a clone that holds only part of its history. */
export const SHALLOW_HINT =
  'fetch the whole history: git fetch --unshallow (in GitHub Actions, give actions/checkout `fetch-depth: 0`)';

/** True when the repository is a shallow clone: its history stops short of the first commit. */
export async function isShallow(repo: Repository): Promise<boolean> {
  const result = await git(['rev-parse', '--is-shallow-repository'], repo.top);
  return result.code === 0 && result.stdout.toString('utf8').trim() === 'true';
}

const FORMAT = ['%H', '%h', '%aI', '%an', '%s', '%P'].join('%x00');

function parseCommit(line: string): Commit {
  const [commit = '', short = '', date = '', author = '', subject = '', parents = ''] = line.split('\0');
  return { commit, short, date, author, subject, parents: parents.split(' ').filter(Boolean) };
}

/**
 * The commit a revision names, in any form git accepts (`HEAD~1`, `v2017-09`,
 * `:/Agree the plan`, `HEAD@{1}`, `main^{commit}`); a tag is followed to its
 * commit. A revision that names no commit is a usage error, and so is anything
 * that starts with "-": it would read as an option.
 */
export async function resolveCommit(repo: Repository, rev: string): Promise<Commit> {
  if (rev.startsWith('-')) {
    throw new CsiError(`"${rev}" looks like an option, not a revision`, {
      code: 'UNKNOWN_REVISION',
      kind: 'usage',
      hint: 'give a commit, branch or tag (git log --oneline lists them), or a folder holding report.yaml',
    });
  }
  // Resolved first as written (so `:/text` searches for the text alone), then peeled to a commit.
  const named = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', rev], repo.top);
  const object = named.stdout.toString('utf8').trim();
  const verified = named.code === 0 ? await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${object}^{commit}`], repo.top) : named;
  if (verified.code !== 0) {
    const shallow = await isShallow(repo);
    throw new CsiError(
      shallow
        ? `"${rev}" is neither a data folder nor a revision in ${repo.top}, which is a shallow clone: its history is cut short`
        : `"${rev}" is neither a data folder nor a revision in ${repo.top}`,
      {
        code: 'UNKNOWN_REVISION',
        kind: 'usage',
        hint: shallow ? SHALLOW_HINT : 'give a commit, branch or tag (git log --oneline lists them), or a folder holding report.yaml',
      },
    );
  }
  const commit = verified.stdout.toString('utf8').trim();
  const shown = await git(['show', '-s', `--format=${FORMAT}`, commit], repo.top);
  if (shown.code !== 0) throw failed(`read commit ${commit}`, shown);
  return parseCommit(shown.stdout.toString('utf8').trim());
}

/** A data file as a commit holds it: its blob, its size, and whether it is a symbolic link. */
interface TreeFile {
  oid: string;
  size: number;
  link: boolean;
}

/** Data files at a commit by name, from the data folder's tree (undefined where the commit has no such folder). */
type Listing = Map<string, TreeFile> | undefined;

/**
 * Lists the data files in the data folder at many commits with one `git cat-file --batch`
 * (the folder's tree at each), then one `--batch-check` for the sizes of their blobs:
 * two git processes, however many commits.
 */
async function listDataFiles(repo: Repository, commits: readonly string[]): Promise<Listing[]> {
  const trees = await readObjects(repo, commits.map((c) => (repo.prefix ? `${c}:${repo.prefix}` : `${c}^{tree}`)), 'tree');
  const listings: Listing[] = trees.map((tree, i) => (tree === undefined ? undefined : parseTree(tree, commits[i]!.length / 2)));
  const oids = [...new Set(listings.flatMap((l) => (l ? [...l.values()].map((f) => f.oid) : [])))];
  const sizes = await objectSizes(repo, oids);
  for (const listing of listings) for (const file of listing?.values() ?? []) file.size = sizes.get(file.oid) ?? 0;
  return listings;
}

/** A tree object's data files: "<mode> SP <name> NUL <raw object id>" for each entry. */
function parseTree(tree: Uint8Array, idBytes: number): Map<string, TreeFile> {
  const files = new Map<string, TreeFile>();
  const bytes = Buffer.from(tree.buffer, tree.byteOffset, tree.byteLength);
  let at = 0;
  while (at < bytes.length) {
    const space = bytes.indexOf(0x20, at);
    const nul = bytes.indexOf(0, space);
    if (space < 0 || nul < 0) break;
    const mode = bytes.toString('latin1', at, space);
    const name = bytes.toString('utf8', space + 1, nul);
    const oid = bytes.toString('hex', nul + 1, nul + 1 + idBytes);
    at = nul + 1 + idBytes;
    // Blobs are 100644, 100755 and (links) 120000; trees 40000 and submodules 160000 are not data.
    if (mode.startsWith('10') || mode === '120000') {
      if (isDataFileName(name)) files.set(name, { oid, size: 0, link: mode === '120000' });
    }
  }
  return files;
}

/** The size of each object, with one `git cat-file --batch-check`. */
async function objectSizes(repo: Repository, oids: readonly string[]): Promise<Map<string, number>> {
  if (oids.length === 0) return new Map();
  const result = await git(['cat-file', '--batch-check'], repo.top, oids.map((o) => `${o}\n`).join(''));
  if (result.code !== 0) throw failed('read data files', result);
  const sizes = new Map<string, number>();
  for (const line of result.stdout.toString('utf8').split('\n')) {
    const [oid, , size] = line.split(' ');
    if (oid && size !== undefined) sizes.set(oid, Number(size));
  }
  return sizes;
}

/**
 * Reads many objects with one `git cat-file --batch`, in the order asked: each an
 * object id or `commit:path`; undefined for one that is missing or not a blob (or
 * tree, when trees are wanted). An object asked for twice is the same bytes.
 */
async function readObjects(repo: Repository, names: readonly string[], wanted: 'blob' | 'tree' = 'blob'): Promise<(Uint8Array | undefined)[]> {
  // One name a line: a name holding a line break (a link's target can) would be read as two.
  const unsafe = names.filter((name) => /[\n\r\0]/.test(name));
  if (unsafe.length > 0) throw new Error(`object names with a line break: ${JSON.stringify(unsafe)}`);
  if (names.length === 0) return [];
  const result = await git(['cat-file', '--batch'], repo.top, names.map((o) => `${o}\n`).join(''));
  if (result.code !== 0) throw failed('read data files', result);
  const out = result.stdout;
  const objects: (Uint8Array | undefined)[] = [];
  let at = 0;
  while (at < out.length && objects.length < names.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const [, type, size] = out.subarray(at, eol).toString('utf8').split(' ');
    if (size === undefined) {
      // "<name> missing" (or ambiguous): no content follows.
      objects.push(undefined);
      at = eol + 1;
      continue;
    }
    const start = eol + 1;
    const end = start + Number(size);
    objects.push(type === wanted ? out.subarray(start, end) : undefined);
    at = end + 1;
  }
  if (objects.length !== names.length) throw failed('read data files', result);
  return objects;
}

/** The data files of one commit: name → bytes, or `link` for a symbolic link that leads out of the folder. */
export type FilesAt = Map<string, Uint8Array | 'link'>;

/** Where a link in the data folder leads, relative to the folder; undefined if it leads out of it. */
function insideFolder(target: string): string | undefined {
  // A line break (or NUL) is in no data file's name, and would split the name git is asked for.
  if (/[\n\r\0]/.test(target)) return undefined;
  const path = posix.normalize(target);
  return path.startsWith('/') || path === '..' || path.startsWith('../') ? undefined : path;
}

/**
 * The data files at one or more commits, as `readDataDir` gives them for a folder:
 * name → bytes. Blobs shared between commits are read once. A symbolic link is
 * followed only to a file inside the data folder (at the same commit); any other
 * is `link`. A commit without the data folder is a usage error, unless
 * `missingOk` (then it has no files).
 */
export async function readDataAt(
  repo: Repository,
  commits: readonly { commit: string; rev: string }[],
  missingOk = false,
): Promise<Map<string, FilesAt>> {
  const found = await listDataFiles(repo, commits.map((c) => c.commit));
  const listings = new Map<string, Map<string, TreeFile>>();
  commits.forEach(({ commit, rev }, i) => {
    const listing = found[i];
    if (listing === undefined && !missingOk) {
      throw new CsiError(`the data folder "${repo.prefix || '.'}" does not exist at ${rev}`, {
        code: 'NO_DATA_AT_REVISION',
        kind: 'usage',
        hint: 'choose a revision that has the data, or point --data at the folder it was in',
      });
    }
    listings.set(commit, listing ?? new Map());
  });
  // A link's blob is the path it leads to: read those first, then every file (or file a link leads to) at once.
  const links = [...listings].flatMap(([commit, l]) => [...l].filter(([, f]) => f.link).map(([name, f]) => ({ commit, name, oid: f.oid })));
  if (/[\n\r\0]/.test(repo.prefix)) {
    throw new CsiError('the data folder\'s path holds a line break, which git cannot be asked about', { code: 'GIT_FAILED', kind: 'environment', hint: 'rename the folder' });
  }
  const targets = await readObjects(repo, links.map((l) => l.oid));
  const wanted = links.map((l, i) => {
    const path = insideFolder(Buffer.from(targets[i] ?? []).toString('utf8'));
    return { commit: l.commit, name: l.name, object: path === undefined ? undefined : `${l.commit}:${repo.prefix}${path}`, size: 0 };
  });
  for (const [commit, listing] of listings) {
    for (const [name, f] of listing) if (!f.link) wanted.push({ commit, name, object: f.oid, size: f.size });
  }
  // Files over the size cap are not read whole: the parser reports them.
  const toRead = [...new Set(wanted.flatMap((w) => (w.object !== undefined && w.size <= MAX_FILE_BYTES ? [w.object] : [])))];
  const objects = await readObjects(repo, toRead);
  const read = new Map(toRead.map((name, i) => [name, objects[i]]));
  const out = new Map<string, FilesAt>([...listings.keys()].map((commit) => [commit, new Map()]));
  for (const w of wanted.sort((a, b) => a.name.localeCompare(b.name))) {
    const bytes = w.object === undefined ? undefined : w.size > MAX_FILE_BYTES ? new Uint8Array(MAX_FILE_BYTES + 1) : read.get(w.object);
    out.get(w.commit)!.set(w.name, bytes ?? 'link');
  }
  return out;
}

/**
 * Commits that changed the data folder, oldest first, each with its parents as
 * history limited to that folder sees them (so each can be compared with its first).
 * A shallow clone is refused: its first commit would seem to add every item.
 */
export async function dataHistory(repo: Repository): Promise<Commit[]> {
  if (await isShallow(repo)) {
    throw new CsiError(`${repo.top} is a shallow clone: the history of the data is cut short, so csi log cannot tell it`, {
      code: 'SHALLOW_CLONE',
      kind: 'environment',
      hint: SHALLOW_HINT,
    });
  }
  const result = await git(
    ['log', '--parents', '--topo-order', '--reverse', `--format=${FORMAT}`, 'HEAD', '--', repo.prefix || '.'],
    repo.top,
  );
  if (result.code !== 0) {
    // A repository with no commits yet has no history to tell: say so, not git's "bad revision 'HEAD'".
    if ((await git(['rev-parse', '--verify', '--quiet', 'HEAD'], repo.top)).code !== 0) {
      throw new CsiError(`${repo.top} has no commits yet, so the data has no history`, {
        code: 'NO_COMMITS',
        kind: 'usage',
        hint: 'commit the data first (git add, then git commit); csi log then shows each change to it',
      });
    }
    throw failed('list the history of the data', result);
  }
  return result.stdout.toString('utf8').split('\n').filter(Boolean).map(parseCommit);
}

/** Every tag with the commit it points to (an annotated tag followed to its commit), in name order. */
export async function listTags(repo: Repository): Promise<{ name: string; commit: string }[]> {
  const result = await git(['for-each-ref', '--format=%(refname:short)%09%(objectname)%09%(*objectname)', 'refs/tags'], repo.top);
  if (result.code !== 0) throw failed('list the tags', result);
  return result.stdout
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', object = '', peeled = ''] = line.split('\t');
      return { name, commit: peeled || object };
    });
}

/** The last commit at or before `commit` that changed the data folder (undefined if none did). */
export async function lastDataCommit(repo: Repository, commit: string): Promise<string | undefined> {
  const result = await git(['log', '-1', '--format=%H', commit, '--', repo.prefix || '.'], repo.top);
  if (result.code !== 0) throw failed('find the last change to the data', result);
  return result.stdout.toString('utf8').trim() || undefined;
}
