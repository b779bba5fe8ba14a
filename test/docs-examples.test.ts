import { execFileSync, spawn } from 'node:child_process';
import { chmod, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csi, BIN } from './helpers/cli.js';
import { tempDir } from './helpers/data.js';
import { helpExamples, matchesShown, pageExamples, reshown, withShown } from './helpers/examples.js';
import type { Example } from './helpers/examples.js';

// Every command example in docs/ and in every --help, run as a reader would run it:
// in the example plan (a fresh `csi init` plan in git, with two commits: the plan as
// init wrote it, then ofsted-2024-r01 marked complete), through `sh`, with the
// command exactly as written. `npx --no-install csi` reaches this checkout's bin/csi.js
// through a stand-in `npx` first on the PATH (the real npx would need csi installed
// from a tarball). Where the docs show output, it is compared; where they show none,
// the command must succeed. Builds are HTML only (CSI_FORMAT=html) unless the example
// is shown printing a PDF.
//
// After an intended change of output, `UPDATE_DOCS=1 npx vitest run test/docs-examples.test.ts
// -t PAGE` rewrites what the page shows from what its examples printed (keeping its `…`
// where they still hold, hiding new commit hashes where it hid old ones), and still fails,
// so a rewritten page is never a pass: review `git diff docs/`, then run it again without.

const ROOT = new URL('..', import.meta.url).pathname;
/** A page runs a dozen commands, a PDF build among them: more than one test's usual time on a busy machine. */
const PAGE_TIMEOUT = 600_000;
const DOCS = join(ROOT, 'docs');
const UPDATE = process.env.UPDATE_DOCS === '1';

/** What the example plan's history is made of, as docs/README.md describes it. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'A. Officer',
  GIT_AUTHOR_EMAIL: 'officer@example.org',
  GIT_COMMITTER_NAME: 'A. Officer',
  GIT_COMMITTER_EMAIL: 'officer@example.org',
};

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const pages = await Promise.all(
  (await markdownFiles(DOCS)).map(async (path) => ({ name: relative(ROOT, path), ...pageExamples(await readFile(path, 'utf8')) })),
);

// Each command's --help, read in-process, and the examples it gives.
const topHelp = (await csi(['--help'])).stdout;
const commands = [...topHelp.split('Commands:\n')[1]!.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
const helps = await Promise.all(commands.map(async (command) => ({ command, examples: helpExamples((await csi([command, '--help'])).stdout) })));

const docsCount = pages.reduce((n, p) => n + p.examples.filter((e) => !e.hidden).length, 0);
const helpCount = helps.reduce((n, h) => n + h.examples.length, 0);
const skipped = pages.flatMap((p) => p.skipped.map((s) => `${p.name}:${s.line} (${s.reason})`));

let root = '';
let plan = '';
let shim = '';

function git(cwd: string, args: string[], date: string): void {
  execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, stdio: 'ignore' });
}

beforeAll(async () => {
  root = await tempDir('csi-docs-');
  shim = join(root, 'bin');
  await mkdir(shim);
  const npx = execFileSync('sh', ['-c', 'command -v npx'], { encoding: 'utf8' }).trim();
  await writeFile(
    join(shim, 'npx'),
    `#!/bin/sh\nif [ "$1" = "--no-install" ] && [ "$2" = "csi" ]; then shift 2; exec "${process.execPath}" "${BIN}" "$@"; fi\nexec "${npx}" "$@"\n`,
  );
  await chmod(join(shim, 'npx'), 0o755);

  plan = join(root, 'example-plan');
  await mkdir(plan);
  expect((await csi(['init'], {}, plan)).code).toBe(0);
  git(plan, ['init', '-q', '-b', 'main'], '2025-01-06T09:00:00Z');
  git(plan, ['add', '-A'], '2025-01-06T09:00:00Z');
  git(plan, ['commit', '-q', '-m', 'The plan as csi init wrote it'], '2025-01-06T09:00:00Z');
  const recommendations = join(plan, 'data', 'recommendations.yaml');
  const text = await readFile(recommendations, 'utf8');
  await writeFile(recommendations, text.replace(/(- id: ofsted-2024-r01\n(?:\s*#.*\n)*\s+status: )on-track/, '$1complete'));
  git(plan, ['commit', '-q', '-am', 'Recommendation 1 complete'], '2025-02-03T09:00:00Z');
  // The plan's tracker, as colleagues who update it in Excel have it (csi import's examples read it).
  expect((await csi(['export'], {}, plan)).code).toBe(0);
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A copy of the example plan, or an empty folder, for one page or one command's help. */
async function workspace(name: string, empty: boolean): Promise<string> {
  const dir = join(root, name.replace(/[^a-z0-9]+/gi, '-'));
  if (empty) {
    await mkdir(dir);
  } else {
    await cp(plan, dir, { recursive: true });
  }
  return dir;
}

interface Ran {
  code: number | null;
  output: string;
}

/** Runs one command line with sh, as a terminal would show it (stdout and stderr together). */
function run(command: string, cwd: string, pdf: boolean): Promise<Ran> {
  // CSI_REPO: this checkout, for a page's hidden steps that bring in one of its example plans.
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_ENV, PATH: `${shim}:${process.env.PATH}`, NO_COLOR: '1', CSI_REPO: ROOT };
  delete env.CI;
  if (!pdf) env.CSI_FORMAT = 'html';
  const preview = /\bcsi preview\b/.test(command);
  return new Promise((resolve) => {
    // One pipe for both streams, as on a terminal, so what is shown keeps its order.
    const child = spawn('sh', ['-c', `exec 2>&1\n${command}`], { cwd, env, detached: true });
    let output = '';
    let stopped = false;
    const take = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // The preview serves until stopped: stop it, as Ctrl-C would (the whole process
      // group, sh included), once it serves; it has done its part if it then stops cleanly.
      if (preview && !stopped && /serving http/.test(output) && child.pid) {
        stopped = true;
        process.kill(-child.pid, 'SIGINT');
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    // 'close' waits for every holder of the pipes, so the preview's last words are in.
    child.on('close', (code) => resolve({ code: stopped && /csi preview: stopped/.test(output) ? 0 : code, output }));
  });
}

/** Runs the examples of one page or help text in order, checking each; under UPDATE_DOCS=1, rewrites the page's shown output (`file`) instead. */
async function runAll(where: string, dir: string, examples: Example[], file?: string): Promise<void> {
  const updates: { line: number; shown: string }[] = [];
  for (const example of examples) {
    const pdf = example.expected !== undefined && /\.pdf\b/.test(example.expected);
    const { code, output } = await run(example.command, dir, pdf);
    const label = `${where}:${example.line} $ ${example.command}`;
    if (example.expected !== undefined) {
      if (UPDATE && file && !matchesShown(output, example.expected)) {
        updates.push({ line: example.line, shown: reshown(output, example.expected) });
        continue;
      }
      expect(matchesShown(output, example.expected), `${label}\n--- shown ---\n${example.expected}\n--- printed (exit ${code}) ---\n${output}`).toBe(true);
    } else {
      const allowed = /--exit-code\b/.test(example.command) ? [0, 1] : [0];
      expect(allowed, `${label} exited ${code}:\n${output}`).toContain(code);
    }
  }
  if (updates.length > 0 && file) {
    await writeFile(file, withShown(await readFile(file, 'utf8'), updates));
    expect.fail(`UPDATE_DOCS: rewrote the output shown by ${updates.length} examples of ${where} (lines ${updates.map((u) => u.line).join(', ')}): review git diff, then run again without UPDATE_DOCS`);
  }
}

describe(`the ${docsCount} command examples in docs/ (${skipped.length} blocks skipped${skipped.length ? `: ${skipped.join('; ')}` : ''})`, () => {
  it('finds examples to run', () => {
    expect(docsCount).toBeGreaterThan(0);
  });
  for (const page of pages.filter((p) => p.examples.length > 0)) {
    it(`${page.name}: ${page.examples.filter((e) => !e.hidden).length} examples`, async () => {
      await runAll(page.name, await workspace(page.name, page.startEmpty), page.examples, join(ROOT, page.name));
    }, PAGE_TIMEOUT);
  }
});

describe(`the ${helpCount} examples in every --help`, () => {
  for (const { command, examples } of helps) {
    it(`csi ${command} --help: ${examples.length} examples`, async () => {
      expect(examples.length).toBeGreaterThan(0);
      const dir = await workspace(`help-${command}`, command === 'init');
      await runAll(`csi ${command} --help`, dir, examples.map((c, i) => ({ command: c, line: i + 1 })));
    }, PAGE_TIMEOUT);
  }
});
