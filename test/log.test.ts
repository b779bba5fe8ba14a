import { describe, expect, it } from 'vitest';
import { commit, csiIn, dropMovedR02, gitIn, gitRepo, moveR02, replaceOnce } from './helpers/git-repo.js';

const R03 = '- id: ofsted-2012-r03\n        status: ';
const r03Status = (from: string, to: string) => replaceOnce(`${R03}${from}`, `${R03}${to}`);

interface LogEvent {
  commit: string;
  short: string;
  date: string;
  author: string;
  subject: string;
  change: string;
  label: string;
  collection: string;
  fields?: { field: string; from: unknown; to: unknown }[];
  movedFrom?: { collection: string };
}

async function logJson(repo: string, id: string): Promise<{ id: string; events: LogEvent[]; skipped: string[] }> {
  const { code, stdout, stderr } = await csiIn(repo, ['log', id, '--format', 'json']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

describe('csi log <id>', () => {
  it('tells when an item was added, each status change and rewording, with commit, date and author', async () => {
    const repo = await gitRepo([
      { message: 'r03 slips', author: 'Jo Analyst', date: '2017-10-02T10:00:00Z', files: { 'data/recommendations-2012.yaml': r03Status('complete', 'at-risk') } },
      { message: 'unrelated: glossary', date: '2017-10-05T10:00:00Z', files: { 'data/glossary.yaml': replaceOnce('Overview and Scrutiny Committee }', 'Overview & Scrutiny Committee }') } },
      {
        message: 'r03 done, reworded',
        author: 'Sam Officer',
        date: '2017-11-20T16:30:00Z',
        files: {
          'data/recommendations-2012.yaml': (t) =>
            replaceOnce('Ensure that referrers receive feedback', 'Ensure that every referrer receives feedback')(r03Status('at-risk', 'complete')(t)),
        },
      },
    ]);
    const log = await logJson(repo, 'ofsted-2012-r03');
    expect(log.events.map((e) => [e.change, e.author, e.date.slice(0, 10), e.subject])).toEqual([
      ['added', 'Anna Marshall', '2017-09-01', 'The plan as published'],
      ['changed', 'Jo Analyst', '2017-10-02', 'r03 slips'],
      ['changed', 'Sam Officer', '2017-11-20', 'r03 done, reworded'],
    ]);
    expect(log.events[1]!.fields).toEqual([{ field: 'status', from: 'complete', to: 'at-risk' }]);
    expect(log.events[2]!.fields!.map((f) => f.field)).toEqual(['status', 'text']);
    expect(log.events[2]!.commit).toBe(gitIn(repo, ['rev-parse', 'HEAD']).trim());

    const text = (await csiIn(repo, ['log', 'ofsted-2012-r03'])).stdout;
    const head = gitIn(repo, ['rev-parse', '--short', 'HEAD']).trim();
    expect(text).toContain(`${head}  20 November 2017  Sam Officer  r03 done, reworded\n    completed, reworded\n      Status: At risk → Complete\n      Text: Ensure that [-referrers receive-] {+every referrer receives+} feedback`);
    expect(text).toMatch(/ {4}added as Recommendation A2\.1\.3 in Appendix 2 – Recommendations and Actions Following 2012 Ofsted Inspection, group 1: Ofsted Recommendations, first reported at the meeting of 19 September 2017\n/);
    expect(text).toContain('    went backwards (Complete → At risk)\n      Status: Complete → At risk\n');
  });

  it('follows an item moved to another file, and tells when it was removed', async () => {
    const repo = await gitRepo([moveR02('move r02'), dropMovedR02('drop r02')]);
    const log = await logJson(repo, 'ofsted-2012-r02');
    expect(log.events.map((e) => [e.change, e.subject, e.collection])).toEqual([
      ['added', 'The plan as published', 'recommendations-2012'],
      ['changed', 'move r02', 'recommendations-2014'],
      ['removed', 'drop r02', 'recommendations-2014'],
    ]);
    expect(log.events[1]!.movedFrom).toMatchObject({ collection: 'recommendations-2012' });
    expect(log.events[1]!.fields).toEqual([]);
  });

  it('shows a change made on a merged branch at the commit that made it, once', async () => {
    const repo = await gitRepo([]);
    gitIn(repo, ['checkout', '-q', '-b', 'update']);
    await commit(repo, { message: 'on the branch: r03 at risk', files: { 'data/recommendations-2012.yaml': r03Status('complete', 'at-risk') } });
    gitIn(repo, ['checkout', '-q', 'main']);
    await commit(repo, { message: 'on main: glossary', files: { 'data/glossary.yaml': replaceOnce('Overview and Scrutiny Committee }', 'Overview & Scrutiny Committee }') } });
    gitIn(repo, ['merge', '-q', '--no-ff', '-m', 'merge update', 'update'], {
      GIT_AUTHOR_NAME: 'M', GIT_AUTHOR_EMAIL: 'm@example.org', GIT_COMMITTER_NAME: 'M', GIT_COMMITTER_EMAIL: 'm@example.org',
    });
    const log = await logJson(repo, 'ofsted-2012-r03');
    expect(log.events.map((e) => [e.change, e.subject])).toEqual([
      ['added', 'The plan as published'],
      ['changed', 'on the branch: r03 at risk'],
    ]);
  });

  it('skips commits whose data was invalid, and still sees the change across them', async () => {
    const repo = await gitRepo([
      { message: 'broken', files: { 'data/recommendations-2012.yaml': (t) => r03Status('complete', 'done')(t) } },
      { message: 'fixed', files: { 'data/recommendations-2012.yaml': (t) => r03Status('done', 'on-track')(t) } },
    ]);
    const log = await logJson(repo, 'ofsted-2012-r03');
    expect(log.events.map((e) => [e.change, e.subject])).toEqual([
      ['added', 'The plan as published'],
      ['changed', 'fixed'],
    ]);
    expect(log.events[1]!.fields).toEqual([{ field: 'status', from: 'complete', to: 'on-track' }]);
    expect(log.skipped).toEqual([gitIn(repo, ['rev-parse', 'HEAD~1']).trim()]);
    expect((await csiIn(repo, ['log', 'ofsted-2012-r03'])).stdout).toMatch(/1 commit with invalid data skipped: [0-9a-f]{7}\n$/);
  });

  it('finds an item whose id an old version spelt with a YAML escape, though no file holds its letters', async () => {
    // "r\x39\x39" is r99: the quick answer for an id no file spells must not miss it.
    const spelt = '      - id: "ofsted-2012-r\\x39\\x39"\n        status: at-risk\n        text: An action added, then taken out\n';
    const repo = await gitRepo([
      { message: 'add r99', files: { 'data/recommendations-2012.yaml': replaceOnce(R03, `${spelt.trimStart()}      ${R03}`) } },
      { message: 'drop r99', files: { 'data/recommendations-2012.yaml': replaceOnce(spelt, '') } },
    ]);
    const log = await logJson(repo, 'ofsted-2012-r99');
    expect(log.events.map((e) => [e.change, e.subject])).toEqual([
      ['added', 'add r99'],
      ['removed', 'drop r99'],
    ]);
  });

  it('exits 2 for an id that is nowhere in the history, suggesting the closest', async () => {
    const repo = await gitRepo([]);
    const { code, stdout, stderr } = await csiIn(repo, ['log', 'ofsted-2012-r3']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('csi: no item with id "ofsted-2012-r3" in the history of data (did you mean "ofsted-2012-r03"?)\n');
  });
});
