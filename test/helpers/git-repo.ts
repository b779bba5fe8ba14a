import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { seedFiles, tempDir } from './data.js';

/** New text for a file, an edit of its current text, or null to delete it. */
export type FileChange = string | null | ((current: string) => string);

export interface CommitSpec {
  message: string;
  /** Paths relative to the repository; the seed data sits in `data/`. */
  files?: Record<string, FileChange>;
  /** `git mv` pairs, done before the file changes. */
  renames?: [string, string][];
  author?: string;
  /** ISO date for author and committer. */
  date?: string;
}

function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

/**
 * A temporary git repository: a first commit holding the seed data in `data/`,
 * then one commit per spec (as changesets' tests build theirs, from inline file maps).
 */
export async function gitRepo(commits: CommitSpec[]): Promise<string> {
  const repo = await tempDir('csi-repo-');
  git(repo, ['init', '-q', '-b', 'main']);
  for (const [name, bytes] of await seedFiles()) {
    await mkdir(join(repo, 'data'), { recursive: true });
    await writeFile(join(repo, 'data', name), bytes);
  }
  await commit(repo, { message: 'The plan as published', date: '2017-09-01T09:00:00Z', author: 'Anna Marshall' });
  for (const spec of commits) await commit(repo, spec);
  return repo;
}

/** Applies a spec's changes to the repository and commits them. */
export async function commit(repo: string, spec: CommitSpec): Promise<void> {
  for (const [from, to] of spec.renames ?? []) git(repo, ['mv', from, to]);
  for (const [path, change] of Object.entries(spec.files ?? {})) {
    const full = join(repo, path);
    if (change === null) {
      await rm(full);
      continue;
    }
    const text = typeof change === 'function' ? change(await readFile(full, 'utf8')) : change;
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, text);
  }
  git(repo, ['add', '-A']);
  const author = spec.author ?? 'Test Author';
  const date = spec.date ?? '2017-10-01T09:00:00Z';
  git(repo, ['commit', '-q', '--allow-empty', '-m', spec.message], {
    GIT_AUTHOR_NAME: author,
    GIT_AUTHOR_EMAIL: 'author@example.org',
    GIT_COMMITTER_NAME: author,
    GIT_COMMITTER_EMAIL: 'author@example.org',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  });
}

/** Replaces exactly one occurrence, failing loudly if the seed text has moved on. */
export function replaceOnce(search: string, replacement: string): (text: string) => string {
  return (text) => {
    const at = text.indexOf(search);
    if (at < 0 || text.indexOf(search, at + 1) >= 0) throw new Error(`expected exactly one "${search}" in the seed`);
    return text.slice(0, at) + replacement + text.slice(at + search.length);
  };
}

/** Seed recommendation ofsted-2012-r02, as written in recommendations-2012.yaml. */
const R02 = `      - id: ofsted-2012-r02
        status: complete
        text: >-
          Ensure that child protection investigations are carried out in accordance with
          the BSCB Joint Investigation Protocol 2011
`;

/** A commit that moves ofsted-2012-r02 from the 2012 appendix to the end of the 2014 one. */
export function moveR02(message: string): CommitSpec {
  return {
    message,
    files: {
      'data/recommendations-2012.yaml': replaceOnce(R02, ''),
      'data/recommendations-2014.yaml': (t) => `${t.trimEnd()}\n${R02}`,
    },
  };
}

/** A commit that removes ofsted-2012-r02 from the end of the 2014 appendix, where moveR02 put it. */
export function dropMovedR02(message: string): CommitSpec {
  return { message, files: { 'data/recommendations-2014.yaml': replaceOnce(R02, '') } };
}

/** Runs csi in-process in `cwd`, capturing what it prints. */
export async function csiIn(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: options.env ?? {},
    cwd,
  });
  return { code, stdout, stderr };
}

/** Runs git in the repository (for tests that look at git's own output). */
export function gitIn(repo: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return git(repo, args, env);
}
