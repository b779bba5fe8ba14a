import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csiIn, gitIn, gitRepo, replaceOnce } from './helpers/git-repo.js';

// Meetings named by csi.config.yaml (`meetings`, `meeting_tags`), where report.yaml's
// meeting_date does not tell them: here every commit names the meeting of 19 September
// 2017, but the plan went to two later meetings, tagged osc-2017-10-10 and osc-2017-12-05.

const R03 = '- id: ofsted-2012-r03\n        status: ';
const r03Status = (from: string, to: string) => replaceOnce(`${R03}${from}`, `${R03}${to}`);

interface StatusJson {
  items: { id: string; status: string }[];
}

describe('meetings from csi.config.yaml', () => {
  let repo = '';
  const config = (text: string) => writeFile(join(repo, 'csi.config.yaml'), text);
  const r03At = async (rev: string) => {
    const { code, stdout, stderr } = await csiIn(repo, ['status', rev, '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return (JSON.parse(stdout) as StatusJson).items.find((i) => i.id === 'ofsted-2012-r03')?.status;
  };

  beforeAll(async () => {
    repo = await gitRepo([
      { message: 'r03 slips', date: '2017-10-02T10:00:00Z', files: { 'data/recommendations-2012.yaml': r03Status('complete', 'at-risk') } },
      { message: 'r03 done', date: '2017-11-20T10:00:00Z', files: { 'data/recommendations-2012.yaml': r03Status('at-risk', 'complete') } },
      { message: 'glossary', date: '2017-12-20T10:00:00Z', files: { 'data/glossary.yaml': replaceOnce('Overview and Scrutiny Committee }', 'Overview & Scrutiny Committee }') } },
    ]);
    gitIn(repo, ['tag', 'osc-2017-10-10', 'HEAD~2']);
    gitIn(repo, ['tag', '-a', '-m', 'to the December meeting', 'osc-2017-12-05', 'HEAD~1']);
    gitIn(repo, ['tag', 'v1', 'HEAD']);
  });

  it('finds meetings by a tag pattern, usable as revisions and named in csi log', async () => {
    await config('meeting_tags: "osc-{date}"\n');
    expect(await r03At('meeting:2017-10-10')).toBe('at-risk');
    expect(await r03At('meeting:2017-12-05')).toBe('complete');
    const diff = JSON.parse((await csiIn(repo, ['diff', 'meeting:2017-10-10', 'meeting:2017-12-05', '--format', 'json'])).stdout);
    expect(diff.changed.map((c: { id: string }) => c.id)).toEqual(['ofsted-2012-r03']);
    const log = (await csiIn(repo, ['log', 'ofsted-2012-r03'])).stdout;
    expect(log).toMatch(/r03 slips\n {4}went backwards \(Complete → At risk\), first reported at the meeting of 10 October 2017\n/);
    expect(log).toMatch(/r03 done\n {4}completed, first reported at the meeting of 5 December 2017\n/);
    // The plan as published still went to the meeting its report.yaml names.
    expect(log).toMatch(/The plan as published\n {4}added as .*, first reported at the meeting of 19 September 2017\n/);
  });

  it('takes a date → revision map, which beats report.yaml\'s meeting_date for the same date', async () => {
    await config('meetings:\n  2017-10-10: HEAD~2\n');
    expect(await r03At('meeting:2017-10-10')).toBe('at-risk');
    // meeting_date alone: the plan as published went to 19 September 2017.
    expect(await r03At('meeting:2017-09-19')).toBe('complete');
    await config('meetings:\n  2017-09-19: HEAD~2\n');
    expect(await r03At('meeting:2017-09-19')).toBe('at-risk');
    await config('meetings:\n  2017-12-05: v1\nmeeting_tags: "osc-{date}"\n');
    // The map beats a tag for the same date: v1 is the last commit.
    const log = (await csiIn(repo, ['log', 'ofsted-2012-r03'])).stdout;
    expect(log).toMatch(/r03 done\n {4}completed, first reported at the meeting of 5 December 2017\n/);
    const status = (await csiIn(repo, ['status', 'meeting:2017-12-05'])).stdout;
    expect(status).toContain(gitIn(repo, ['rev-parse', '--short', 'v1']).trim());
  });

  it('stops with a usage error naming a meeting whose revision does not resolve', async () => {
    await config('meetings:\n  2017-10-10: osc-october\n');
    const { code, stdout, stderr } = await csiIn(repo, ['status', 'meeting:2017-10-10']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('meetings: 2017-10-10 in csi.config.yaml names "osc-october", which is not a revision');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('checks the settings: a real date, and {date} in the tag pattern', async () => {
    await config('meetings:\n  2017-13-10: HEAD\n');
    const bad = await csiIn(repo, ['status']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('a meeting is named by its date, YYYY-MM-DD');
    await config('meeting_tags: osc\n');
    const noDate = await csiIn(repo, ['log', 'ofsted-2012-r03']);
    expect(noDate.code).toBe(1);
    expect(noDate.stderr).toContain('must hold {date} once');
  });
});
