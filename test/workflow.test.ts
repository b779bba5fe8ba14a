import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { csi } from './helpers/cli.js';

const WORKFLOW = new URL('../.github/workflows/report.yml', import.meta.url);
const CI_RUN = new URL('../.ci/run', import.meta.url);

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
    expect(workflow.on.push.branches).toEqual(['main']);
    const commands = await workflowCommands();
    expect(commands.get('build')).toContain('npx csi build-report --audience public --json > csi-build.json');
    expect(commands.get('build')!.some((c) => /apt-get install .*chromium/.test(c))).toBe(true);
    // What a pull request shows anyone who can read it: the public view.
    expect(commands.get('changes')).toContain('npx csi diff "$BASE" HEAD --audience public --format markdown > plan-changes.md');
    const uploads = workflow.jobs.build.steps.filter((s: Step) => s.uses?.startsWith('actions/upload-artifact'));
    expect(uploads[0].with.path).toContain('out/report.pdf');
  });

  it('runs only commands that .ci/run runs too, so CI proves it works', async () => {
    const ciRun = new Set((await readFile(CI_RUN, 'utf8')).split('\n').map((l) => l.trim()));
    const known = [...(await csi(['--help'])).stdout.split('Commands:\n')[1]!.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]);
    const missing: string[] = [];
    for (const command of [...(await workflowCommands()).values()].flat()) {
      if (ciRun.has(command)) continue;
      // A command from a csi that is still being built lands together with its .ci/run line.
      const sub = command.match(/^npx csi ([a-z-]+)/)?.[1];
      if (sub && !known.includes(sub)) continue;
      missing.push(command);
    }
    expect(missing).toEqual([]);
  });
});
