import { execFileSync } from 'node:child_process';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commit, csiIn } from './helpers/git-repo.js';
import { tempDir } from './helpers/data.js';
import { PRESETS } from '../src/data/status.js';
import { progressSeries } from '../src/diff/progress-since.js';
import type { ProgressHistory } from '../src/diff/progress-since.js';
import { progressSentence } from '../src/view/progress-since.js';
import { exampleRepo, summaryOf, tableOf, withMeeting, withStatuses } from './helpers/westmere-history.js';

// A "Progress since …" section (kind: trend) drawn from the plan's own history: the
// example plan of a second council (examples/westmere) committed into a temporary
// repository at five meetings (test/helpers/westmere-history.ts), with statuses moving
// (Recommendation 4 going backwards), then built. Every count below is counted by hand
// from the statuses MEETINGS lists there.

const exists = (path: string) => stat(path).then(() => true, () => false);

describe('a "Progress since …" section (kind: trend)', () => {
  let repo = '';
  beforeAll(async () => {
    repo = await exampleRepo();
  });

  it('counts the recommendations at every meeting; the public build leaves the exempt one out of every count', async () => {
    const built = await csiIn(repo, ['build-report', '--format', 'html']);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const html = await readFile(join(repo, 'out', 'report.html'), 'utf8');
    // Hand-counted from MEETINGS, without the 8th (exempt now, so exempt at every meeting for the public).
    expect(Object.fromEntries(tableOf(html))).toEqual({
      '2017-05-16': { Blue: 0, Green: 3, Amber: 3, Red: 1, Total: 7 },
      '2017-09-19': { Blue: 2, Green: 2, Amber: 2, Red: 1, Total: 7 },
      '2017-11-21': { Blue: 2, Green: 3, Amber: 2, Red: 0, Total: 7 },
      '2018-01-16': { Blue: 3, Green: 2, Amber: 2, Red: 0, Total: 7 },
      '2018-03-13': { Blue: 3, Green: 3, Amber: 1, Red: 0, Total: 7 },
    });
    expect(summaryOf(html)).toBe(
      'Since the meeting of 16 May 2017, blue recommendations rose from 0 to 3; 1 went backwards: Recommendation 4 (Blue to Green by the meeting of 21 November 2017).',
    );
    expect(html).toContain('Recommendations in Appendix 2 by status at each meeting since 16 May 2017. Items exempt from publication are not counted at any meeting.');
    // The chart says the same in words, for anyone who cannot see it.
    expect(html).toMatch(/<desc id="section-progress-since-trend-chart-desc">16 May 2017: 7 recommendations, 0 blue, 3 green, 3 amber, 1 red;/);
  });

  it('counts the exempt recommendation for members, and names its going backwards', async () => {
    const built = await csiIn(repo, ['build-report', '--format', 'html', '--audience', 'exempt']);
    expect(built.code).toBe(0);
    const html = await readFile(join(repo, 'out', 'report-exempt.html'), 'utf8');
    expect(tableOf(html).get('2017-05-16')).toEqual({ Blue: 0, Green: 3, Amber: 4, Red: 1, Total: 8 });
    expect(tableOf(html).get('2017-11-21')).toEqual({ Blue: 2, Green: 3, Amber: 3, Red: 0, Total: 8 });
    expect(summaryOf(html)).toMatch(/; 2 went backwards: Recommendation 4 \(Blue to Green by the meeting of 21 November 2017\) and Recommendation 8 \(Green to Amber by the meeting of 21 November 2017\)\.$/);
  });

  it('starts at the meeting since: names, and ends with the data as it is now where it has changed since its last commit', async () => {
    const copy = await tempDir('csi-progress-since-now-');
    await cp(repo, copy, { recursive: true });
    await commit(copy, {
      message: 'Count from September',
      date: '2018-02-28T09:00:00Z',
      files: { 'data/report.yaml': (t) => t.replace('    appendix: ofsted-2016\n', '    appendix: ofsted-2016\n    since: 2017-09-19\n') },
    });
    // Not committed: the plan for the next meeting, Recommendation 2 now Blue.
    const ofsted = join(copy, 'data', 'ofsted-2016.yaml');
    await writeFile(ofsted, withStatuses(['blue', 'blue', 'green', 'blue', 'amber', 'green', 'blue', 'green'], false)(await readFile(ofsted, 'utf8')));
    const report = join(copy, 'data', 'report.yaml');
    await writeFile(report, withMeeting('2018-05-15', false)(await readFile(report, 'utf8')));
    await rmOut(copy);
    const built = await csiIn(copy, ['build-report', '--format', 'html']);
    expect(built.code).toBe(0);
    const html = await readFile(join(copy, 'out', 'report.html'), 'utf8');
    expect([...tableOf(html).keys()]).toEqual(['2017-09-19', '2017-11-21', '2018-01-16', '2018-03-13', '2018-05-15']);
    expect(tableOf(html).get('2018-05-15')).toEqual({ Blue: 4, Green: 2, Amber: 1, Red: 0, Total: 7 });
    expect(summaryOf(html)).toMatch(/^Since the meeting of 19 September 2017, blue recommendations rose from 2 to 4; 1 went backwards: Recommendation 4/);
  });

  it('stops with a usage error at the line where since: names a meeting the history does not, writing nothing', async () => {
    const copy = await tempDir('csi-progress-since-bad-');
    await cp(repo, copy, { recursive: true });
    await rmOut(copy);
    await commit(copy, {
      message: 'A meeting that never was',
      date: '2018-02-28T09:00:00Z',
      files: { 'data/report.yaml': (t) => t.replace('    appendix: ofsted-2016\n', '    appendix: ofsted-2016\n    since: 2017-06-20\n') },
    });
    const built = await csiIn(copy, ['build-report', '--format', 'html']);
    expect(built.code).toBe(2);
    expect(built.stderr).toMatch(/^csi: \S*data\/report\.yaml:\d+:\d+ +no meeting on 20 June 2017 in the history of the plan, so the section "Progress since the Inspection" cannot start there/m);
    expect(built.stderr).toContain('2017-05-16, 2017-09-19, 2017-11-21, 2018-01-16, 2018-03-13');
    expect(built.stderr).not.toMatch(/\n\s+at /);
    expect(await exists(join(copy, 'out'))).toBe(false);
  });

  it('stops when the data folder is not in git, saying how to put it there, writing nothing', async () => {
    const plain = await tempDir('csi-progress-since-nogit-');
    await cp(repo, plain, { recursive: true, filter: (src) => !src.includes('/.git') });
    await rmOut(plain);
    const built = await csiIn(plain, ['build-report', '--format', 'html']);
    expect(built.code).toBe(2);
    expect(built.stderr).toMatch(/is not in a git repository/);
    expect(built.stderr).toMatch(/kind: trend counts items at each meeting from the plan's git history: put the data folder in git/);
    expect(await exists(join(plain, 'out'))).toBe(false);
  });

  it('stops in a shallow clone, with the fetch that fixes it, writing nothing', async () => {
    const parent = await tempDir('csi-progress-since-shallow-');
    const clone = join(parent, 'plan');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo}`, clone]);
    const built = await csiIn(clone, ['build-report', '--format', 'html']);
    expect(built.code).toBe(3);
    expect(built.stderr).toMatch(/is a shallow clone, so its history of the data is cut short: a section of kind: trend cannot count items at each meeting/);
    expect(built.stderr).toContain('git fetch --unshallow');
    expect(await exists(join(clone, 'out'))).toBe(false);
  });

  it('shows nothing of a section that is itself exempt to the public: no sentence, chart or count', async () => {
    const copy = await tempDir('csi-progress-since-exempt-');
    await cp(repo, copy, { recursive: true });
    const report = join(copy, 'data', 'report.yaml');
    await writeFile(report, (await readFile(report, 'utf8')).replace('    kind: trend\n', '    kind: trend\n    exempt: { paragraph: 3 }\n'));
    await rmOut(copy);
    expect((await csiIn(copy, ['build-report', '--format', 'html'])).code).toBe(0);
    const html = await readFile(join(copy, 'out', 'report.html'), 'utf8');
    expect(html).not.toContain('<p class="trend-summary">');
    expect(html).not.toContain('went backwards');
    expect(tableOf(html).size).toBe(0);
    expect(html).not.toContain('Progress since the Inspection');
    // Members see it.
    expect((await csiIn(copy, ['build-report', '--format', 'html', '--audience', 'exempt'])).code).toBe(0);
    const members = await readFile(join(copy, 'out', 'report-exempt.html'), 'utf8');
    expect(summaryOf(members)).toMatch(/^Since the meeting of 16 May 2017, blue recommendations rose from 0 to 3; 2 went backwards/);
  });

  it('does not read the history for a public build whose only trend section is withheld from it', async () => {
    const plain = await tempDir('csi-progress-since-exempt-nogit-');
    await cp(repo, plain, { recursive: true, filter: (src) => !src.includes('/.git') });
    await rmOut(plain);
    const report = join(plain, 'data', 'report.yaml');
    await writeFile(report, (await readFile(report, 'utf8')).replace('    kind: trend\n', '    kind: trend\n    exempt: { paragraph: 3 }\n'));
    // Outside git: the public report, which shows nothing of the section, builds; the members' one needs the history.
    const built = await csiIn(plain, ['build-report', '--format', 'html']);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const members = await csiIn(plain, ['build-report', '--format', 'html', '--audience', 'exempt']);
    expect(members.code).toBe(2);
    expect(members.stderr).toMatch(/kind: trend counts items at each meeting from the plan's git history/);
  });

  it('refuses an appendix without statuses and a scale the config does not name, as data problems', async () => {
    const copy = await tempDir('csi-progress-since-check-');
    await cp(repo, copy, { recursive: true });
    const report = join(copy, 'data', 'report.yaml');
    await writeFile(report, (await readFile(report, 'utf8')).replace('    appendix: ofsted-2016\n', '    appendix: chronology\n    by: impct\n'));
    const checked = await csiIn(copy, ['validate']);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain('"chronology" is not an appendix whose items have statuses');
    expect(checked.stderr).toContain('items cannot be counted by "impct"');
    expect(checked.stderr).toContain('did you mean impact?');
  });
});

async function rmOut(dir: string): Promise<void> {
  const { rm } = await import('node:fs/promises');
  await rm(join(dir, 'out'), { recursive: true, force: true });
}

describe('the series and its sentence, worked out (pure)', () => {
  const rag = { status: PRESETS.rag, ratings: [{ key: 'impact', label: 'Impact', vocabulary: PRESETS.rag }] };
  const item = (id: string, appendix: string, status: string, impact: string) => ({
    id, label: `Priority ${id}`, noun: 'priority', plural: 'priorities', appendix, words: { status, impact },
  });
  const history: ProgressHistory = {
    statuses: rag,
    points: [
      { meeting: '2019-01-15', uncommitted: false, items: [item('1', 'a', 'green', 'red'), item('2', 'a', 'amber', 'green'), item('3', 'b', 'red', 'red')] },
      { meeting: '2019-04-16', uncommitted: false, items: [item('1', 'a', 'blue', 'amber'), item('2', 'a', 'amber', 'amber'), item('3', 'b', 'amber', 'red')] },
      { meeting: '2019-07-16', uncommitted: true, items: [item('1', 'a', 'blue', 'green'), item('2', 'a', 'red', 'amber'), item('3', 'b', 'amber', 'green')] },
    ],
  };

  it('counts by a rating, names what went down its scale, and reads the rating in the sentence', () => {
    const series = progressSeries(history, { by: 'impact' });
    expect(series.points.map((p) => p.counts)).toEqual([
      { blue: 0, green: 1, amber: 0, red: 2 },
      { blue: 0, green: 0, amber: 2, red: 1 },
      { blue: 0, green: 2, amber: 1, red: 0 },
    ]);
    expect(series.regressions.map((r) => [r.id, r.from, r.to, r.meeting])).toEqual([['2', 'green', 'amber', '2019-04-16']]);
    // A rating is not done or not: the sentence follows the best word some meeting has.
    expect(progressSentence(series, { rating: 'Impact' })).toBe(
      'Since the meeting of 15 January 2019, priorities with impact green rose from 1 to 2; 1 went backwards: Priority 2 (Green to Amber by the meeting of 16 April 2019).',
    );
  });

  it('starts at since:, keeps to one appendix, and says so when one meeting is all there is', () => {
    const series = progressSeries(history, { since: '2019-04-16', appendix: 'a' });
    expect(series.points.map((p) => [p.meeting, p.total, p.counts.blue])).toEqual([['2019-04-16', 2, 1], ['2019-07-16', 2, 1]]);
    expect(progressSentence(series, {})).toBe(
      'Since the meeting of 16 April 2019, blue priorities stayed at 1; 1 went backwards: Priority 2 (Amber to Red by the meeting of 16 July 2019).',
    );
    const one = progressSeries(history, { since: '2019-07-16' });
    expect(progressSentence(one, {})).toBe('At the meeting of 16 July 2019, 1 of 3 priorities was blue.');
  });
});
