import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../src/config.js';
import { startPreview } from '../src/preview/server.js';
import { commit, csiIn, gitRepo, replaceOnce } from './helpers/git-repo.js';

/**
 * A plan kept in plans/ rather than data/, named by `data: plans` in csi.config.yaml,
 * with two commits that touch it (so diff and log have history to read).
 */
async function plansProject(): Promise<string> {
  const repo = await gitRepo([]);
  await commit(repo, { message: 'Move the plan to plans/', renames: [['data', 'plans']], files: { 'csi.config.yaml': 'data: plans\n' } });
  await commit(repo, {
    message: 'ofsted-2012-r01 is at risk',
    files: { 'plans/recommendations-2012.yaml': replaceOnce('  - id: ofsted-2012-r01\n        status: complete', '  - id: ofsted-2012-r01\n        status: at-risk') },
  });
  return repo;
}

describe('one settings route: with data: plans in csi.config.yaml', () => {
  it('every command reads plans/, and --verbose says the config chose it', async () => {
    const repo = await plansProject();
    await expect(access(join(repo, 'data'))).rejects.toThrow();

    const validate = await csiIn(repo, ['--verbose', 'validate']);
    expect(validate.stdout).toBe('plans is valid: 7 files checked\n');
    expect(validate.stderr).toBe('config: csi.config.yaml (default)\ndata: plans (config)\ntheme: built-in\n');
    expect(validate.code).toBe(0);

    const build = await csiIn(repo, ['--verbose', 'build-report', '--format', 'html', '--out', 'site']);
    expect(build.stderr).toContain('data: plans (config)\n');
    expect(build.code).toBe(0);
    await access(join(repo, 'site/report.html'));

    const diff = await csiIn(repo, ['--verbose', 'diff', 'HEAD~1', '--format', 'json']);
    expect(diff.stderr).toBe('config: csi.config.yaml (default)\ndata: plans (config)\n');
    expect(diff.code).toBe(0);
    expect(JSON.parse(diff.stdout).changed.map((c: { id: string }) => c.id)).toEqual(['ofsted-2012-r01']);

    const log = await csiIn(repo, ['--verbose', 'log', 'ofsted-2012-r01']);
    expect(log.stderr).toBe('config: csi.config.yaml (default)\ndata: plans (config)\n');
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('Status: Complete → At risk');

    const schema = await csiIn(repo, ['--verbose', 'schema', '--out', 'editor-schemas']);
    expect(schema.stderr).toBe('config: csi.config.yaml (default)\n');
    expect(schema.code).toBe(0);

    const seen: Settings[] = [];
    const preview = await startPreview({ flags: {}, env: {}, cwd: repo, port: 0, onSettings: (s) => seen.push(s) });
    try {
      expect(preview.latest().ok).toBe(true);
      expect(seen[0]?.dataDir).toBe(join(repo, 'plans'));
    } finally {
      await preview.close();
    }
  });

  it('flags, then the environment, override the config for every command', async () => {
    const repo = await plansProject();
    for (const args of [['validate'], ['diff', 'HEAD~1'], ['log', 'ofsted-2012-r01']]) {
      const fromEnv = await csiIn(repo, ['--verbose', ...args], { env: { CSI_DATA: 'nowhere' } });
      expect(fromEnv.stderr, args[0]).toContain('data: nowhere (env)\n');
      expect(fromEnv.code, args[0]).toBe(2);
    }
    const flag = await csiIn(repo, ['--verbose', 'diff', 'HEAD~1', '--data', 'nowhere'], { env: { CSI_DATA: 'plans' } });
    expect(flag.stderr).toContain('data: nowhere (flag)\n');
    expect(flag.code).toBe(2);
  });

  it('a config file with a mistake stops every command, positioned', async () => {
    const repo = await plansProject();
    await commit(repo, { message: 'typo', files: { 'csi.config.yaml': 'dta: plans\n' } });
    for (const args of [['validate'], ['diff', 'HEAD~1'], ['log', 'ofsted-2012-r01'], ['schema', '--out', 'x'], ['build-report', '--format', 'html']]) {
      const run = await csiIn(repo, args);
      expect(run.stderr, args[0]).toContain('csi.config.yaml:1:1  ');
      expect(run.stderr, args[0]).toContain('hint: did you mean "data"?');
      expect(run.code, args[0]).toBe(1);
    }
  });
});
