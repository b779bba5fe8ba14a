import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { csi } from './helpers/cli.js';

const WORKFLOW = new URL('../.github/workflows/report.yml', import.meta.url);
const CI_RUN = new URL('../.ci/run', import.meta.url);
const README = new URL('../README.md', import.meta.url);
const SCAFFOLD = new URL('../scaffold/', import.meta.url).pathname;
const DOCS = new URL('../docs/', import.meta.url).pathname;

interface Step {
  run?: string;
  uses?: string;
}

/** Every shell command line the workflow runs, job by job. */
async function workflowCommands(): Promise<Map<string, string[]>> {
  const workflow = parse(await readFile(WORKFLOW, 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  return new Map(
    Object.entries(workflow.jobs).map(([job, { steps }]) => [
      job,
      steps.flatMap((s) => (s.run ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))),
    ]),
  );
}

describe('the CI workflow', () => {
  it('builds the PDF on main and comments the plan\'s changes on pull requests', async () => {
    const workflow = parse(await readFile(WORKFLOW, 'utf8'));
    expect(Object.keys(workflow.on)).toEqual(['push', 'pull_request']);
    const commands = await workflowCommands();
    expect(commands.get('build')).toContain('npx --no-install csi build-report --audience public --json > csi-build.json');
    expect(commands.get('build')!.some((c) => /apt-get install .*chromium/.test(c))).toBe(true);
    // What a pull request shows anyone who can read it: the public view.
    expect(commands.get('changes')).toContain('npx --no-install csi diff "$BASE" HEAD --audience public --format markdown > plan-changes.md');
    const uploads = workflow.jobs.build.steps.filter((s: Step) => s.uses?.startsWith('actions/upload-artifact'));
    expect(uploads[0].with.path).toContain('out/report.pdf');
  });

  it('runs only commands that .ci/run runs too, so CI proves it works', async () => {
    const ciRun = new Set((await readFile(CI_RUN, 'utf8')).split('\n').map((l) => l.trim()));
    const known = [...(await csi(['--help'])).stdout.split('Commands:\n')[1]!.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]);
    const missing: string[] = [];
    for (const command of [...(await workflowCommands()).values()].flat()) {
      if (ciRun.has(command)) continue;
      // Marks the runner's checkout safe for git; .ci/run has no such checkout to mark.
      if (command === 'git config --global --add safe.directory "$GITHUB_WORKSPACE"') continue;
      // A command from a csi that is still being built lands together with its .ci/run line.
      const sub = command.match(/^npx --no-install csi ([a-z-]+)/)?.[1];
      if (sub && !known.includes(sub)) continue;
      missing.push(command);
    }
    expect(missing).toEqual([]);
  });

  it('runs the README\'s "Start your own plan" lines as they are, in a plan outside the repository', async () => {
    const readme = await readFile(README, 'utf8');
    const start = readme.slice(readme.indexOf('## Start your own plan'));
    const lines = start.match(/```sh\n([\s\S]*?)```/)![1]!.trim().split('\n');
    expect(lines).toHaveLength(2);
    const ciRun = (await readFile(CI_RUN, 'utf8')).split('\n').map((l) => l.trim());
    for (const line of lines) expect(ciRun, line).toContain(line);
    expect(ciRun.some((l) => /^npm pack\b/.test(l))).toBe(true);
  });
});

describe('the workflow on a real runner (issue 27.14)', () => {
  for (const [name, url] of [['csi\'s own', WORKFLOW], ['the plan\'s (csi init)', new URL('github/workflows/report.yml', `file://${SCAFFOLD}`)]] as const) {
    it(`${name}: builds on the default branch, with the history, the checkout marked safe, on a supported Node LTS`, async () => {
      const workflow = parse(await readFile(url, 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, { if?: string; container?: string; steps: (Step & { with?: Record<string, unknown> })[] }> };
      // Not a fixed `main`: git init may have made `master`.
      expect(workflow.on.push).toBeNull();
      expect(workflow.jobs.build!.if).toBe("github.event_name == 'push' && github.ref_name == github.event.repository.default_branch");
      for (const [job, { container, steps }] of Object.entries(workflow.jobs)) {
        // Node 20's support ended in April 2026.
        expect(container, job).toMatch(/^node:(22|24)-bookworm$/);
        const checkout = steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'));
        // Provenance names the last commit that changed the data: a depth-1 clone would name HEAD.
        expect(steps[checkout]!.with?.['fetch-depth'], job).toBe(0);
        // In a container the checkout belongs to another user: git refuses it until marked safe.
        expect(steps[checkout + 1]!.run?.trim(), job).toBe('git config --global --add safe.directory "$GITHUB_WORKSPACE"');
      }
    });
  }
});

describe('what we tell users to run', () => {
  it('never says a bare `npx csi`, which would fetch an unrelated package named csi when ours is not installed', async () => {
    const texts: [string, string][] = [
      ['README.md', await readFile(README, 'utf8')],
      ['report.yml', await readFile(WORKFLOW, 'utf8')],
      ['.ci/run', await readFile(CI_RUN, 'utf8')],
    ];
    for (const entry of await readdir(DOCS, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.md')) texts.push([entry.name, await readFile(join(entry.parentPath, entry.name), 'utf8')]);
    }
    texts.push(['CONTRIBUTING.md', await readFile(new URL('../CONTRIBUTING.md', import.meta.url), 'utf8')]);
    for (const entry of await readdir(SCAFFOLD, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      texts.push([path, await readFile(path, 'utf8')]);
    }
    const help = await csi(['--help']);
    texts.push(['csi --help', help.stdout]);
    for (const command of [...help.stdout.split('Commands:\n')[1]!.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!)) {
      if (command !== 'help') texts.push([`csi ${command} --help`, (await csi([command, '--help'])).stdout]);
    }
    const bare = texts.filter(([, text]) => /\b(npx|npm exec)( --yes| -y)? csi\b/.test(text)).map(([name]) => name);
    expect(bare).toEqual([]);
  });
});
