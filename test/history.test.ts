import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemHistory, planHistory } from '../src/diff/history.js';
import { VersionReader } from '../src/diff/source.js';
import { csiIn, gitRepo, moveR02, replaceOnce } from './helpers/git-repo.js';
import type { CommitSpec } from './helpers/git-repo.js';

// A plan over eight meetings (the seed's, then seven more): a recommendation that
// goes backwards and forwards again, one moved to another appendix, a renamed file,
// two more that slip, one reordered within its list, one made exempt.

const status = (id: string, from: string, to: string) => replaceOnce(`- id: ${id}\n        status: ${from}`, `- id: ${id}\n        status: ${to}`);
const R04 = `      - id: ofsted-2014-r04
        status: complete
        text: >-
          Access to Child and Adolescent Mental Health Service (CAMHS)
`;

/** Each commit takes the plan to its next meeting: the seed names 2017-09-19. */
function toMeeting(date: string, last: string, message: string, files: CommitSpec['files'] = {}, extra: Partial<CommitSpec> = {}): CommitSpec {
  return {
    message,
    date: `${date}T09:00:00Z`,
    ...extra,
    files: { ...files, 'data/report.yaml': (t: string) => replaceOnce(`meeting_date: ${last}`, `meeting_date: ${date}`)(t) },
  };
}

const MEETINGS = ['2017-09-19', '2017-11-14', '2018-01-16', '2018-03-13', '2018-05-15', '2018-07-17', '2018-09-18', '2018-11-13'];

const HISTORY: CommitSpec[] = [
  toMeeting('2017-11-14', '2017-09-19', 'r03 slips back', { 'data/recommendations-2012.yaml': status('ofsted-2012-r03', 'complete', 'on-track') }),
  toMeeting('2018-01-16', '2017-11-14', 'r02 moves to the 2014 appendix', moveR02('').files),
  toMeeting('2018-03-13', '2018-01-16', 'rename the 2014 file', {}, { renames: [['data/recommendations-2014.yaml', 'data/recs-2014.yaml']] }),
  toMeeting('2018-05-15', '2018-03-13', 'r03 complete again', { 'data/recommendations-2012.yaml': status('ofsted-2012-r03', 'on-track', 'complete') }),
  toMeeting('2018-07-17', '2018-05-15', 'r05 at risk', { 'data/recs-2014.yaml': status('ofsted-2014-r05', 'complete', 'at-risk') }),
  toMeeting('2018-09-18', '2018-07-17', 'r06 not started', { 'data/recs-2014.yaml': status('ofsted-2014-r06', 'complete', 'not-started') }),
  toMeeting('2018-11-13', '2018-09-18', 'r04 after r05; r08 exempt', {
    'data/recs-2014.yaml': (t: string) =>
      replaceOnce('      - id: ofsted-2014-r06\n', `${R04}      - id: ofsted-2014-r06\n`)(replaceOnce(R04, '')(
        replaceOnce('- id: ofsted-2014-r08\n', '- id: ofsted-2014-r08\n        exempt: { paragraph: 1 }\n')(t),
      )),
  }),
];

let repo: string;
beforeAll(async () => {
  repo = await gitRepo(HISTORY);
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

async function csiOk(args: string[]) {
  const run = await csiIn(repo, args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

describe('csi trend', () => {
  it('counts by status at every meeting, overall and per appendix, as csv', async () => {
    const rows = (await csiOk(['trend', '--format', 'csv'])).trimEnd().split('\r\n').map((l) => l.split(','));
    expect(rows[0]).toEqual(['meeting', 'commit', 'appendix', 'total', 'Complete', 'On track', 'At risk', 'Not started']);
    const all = rows.filter((r) => r[2] === 'all').map((r) => [r[0], ...r.slice(3).map(Number)]);
    // Hand-counted: the seed has 63 recommendations and actions, all complete, and 37 aspirations with no status.
    // r08 (complete) is exempt now: the public counts leave it out at every meeting, as nothing
    // exempt now reaches the public, not even its count while it was public.
    expect(all).toEqual([
      ['2017-09-19', 99, 62, 0, 0, 0],
      ['2017-11-14', 99, 61, 1, 0, 0],
      ['2018-01-16', 99, 61, 1, 0, 0],
      ['2018-03-13', 99, 61, 1, 0, 0],
      ['2018-05-15', 99, 62, 0, 0, 0],
      ['2018-07-17', 99, 61, 0, 1, 0],
      ['2018-09-18', 99, 60, 0, 1, 1],
      ['2018-11-13', 99, 60, 0, 1, 1],
    ]);
    const at = (date: string, key: string) => rows.find((r) => r[0] === date && r[2] === key)?.slice(3).map(Number);
    expect(at('2017-11-14', 'recommendations-2012')).toEqual([40, 39, 1, 0, 0]);
    // r02 moved to the 2014 appendix before the January meeting.
    expect(at('2018-01-16', 'recommendations-2012')).toEqual([39, 38, 1, 0, 0]);
    expect(at('2018-01-16', 'recommendations-2014')).toEqual([23, 23, 0, 0, 0]);
  });

  it('counts exempt items for the exempt audience only', async () => {
    const csv = await csiOk(['trend', '--format', 'csv', '--audience', 'exempt']);
    expect(csv).toMatch(/^2018-11-13,[0-9a-f]{12},all,100,61,0,1,1\r$/m);
  });

  it('draws an HTML chart with its title, description and a data table', async () => {
    const html = await csiOk(['trend', '--format', 'html']);
    expect(html).toContain('<svg role="img" aria-labelledby="trend-title trend-desc"');
    expect(html).toContain('13 November 2018: 60 complete, 0 on track, 1 at risk, 1 not started');
    expect(html).toMatch(/<th scope="row">13 November 2018<\/th><td>All appendices<\/td><td>99<\/td><td>60<\/td>/);
  });
});

interface StatusJson {
  meeting?: string;
  items: { id: string; appendix: string; status: string; overdue: boolean; since?: { meeting?: string }; previous?: { status: string; direction?: string } }[];
}

describe('csi status', () => {
  it('at the November 2017 meeting: r03 on track, worse than at the meeting before, since that meeting', async () => {
    const json = JSON.parse(await csiOk(['status', 'meeting:2017-11-14', '--format', 'json'])) as StatusJson;
    expect(json.meeting).toBe('2017-11-14');
    expect(json.items).toHaveLength(99); // r08, exempt now, is not among them
    const r03 = json.items.find((i) => i.id === 'ofsted-2012-r03')!;
    expect(r03).toMatchObject({ status: 'on-track', previous: { status: 'complete', direction: 'worse' }, since: { meeting: '2017-11-14' } });
    const counts = json.items.reduce<Record<string, number>>((n, i) => ({ ...n, [i.status]: (n[i.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ complete: 61, 'on-track': 1, '': 37 });
  });

  it('at the July 2018 meeting, as csv: r02 in the 2014 appendix, r05 at risk, r03 complete since May', async () => {
    const lines = (await csiOk(['status', 'meeting:2018-07-17', '--format', 'csv'])).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,number,label,appendix,group,status,owner,due,overdue,status_since,since_meeting,previous_status,direction');
    const row = (id: string) => lines.find((l) => l.startsWith(`${id},`))?.split(',');
    expect(row('ofsted-2012-r02')?.slice(0, 4)).toEqual(['ofsted-2012-r02', 'A3.24', 'Recommendation A3.24', 'recommendations-2014']);
    expect(row('ofsted-2014-r05')?.slice(5)).toEqual(['At risk', '', '', 'no', '2018-07-17', '2018-07-17', 'Complete', 'worse']);
    expect(row('ofsted-2012-r03')?.slice(5)).toEqual(['Complete', '', '', 'no', '2018-05-15', '2018-05-15', 'Complete', 'same']);
    expect(lines).toHaveLength(100);
  });

  it('--unchanged-for lists only items not done whose status has not moved for that long', async () => {
    const text = await csiOk(['status', '--unchanged-for', '3m']);
    expect(text).toContain('(ofsted-2014-r05)  At risk');
    expect(text).not.toContain('(ofsted-2014-r06)');
    expect(text).not.toContain('(ofsted-2012-r03)');
  });

  it('leaves exempt items out for the public', async () => {
    const csv = await csiOk(['status', '--format', 'csv']);
    expect(csv).not.toContain('ofsted-2014-r08');
    expect(await csiOk(['status', '--format', 'csv', '--audience', 'exempt'])).toContain('ofsted-2014-r08');
  });

  it('says which meetings there are when asked for one that is not', async () => {
    const run = await csiIn(repo, ['status', 'meeting:2018-02-01']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no meeting on 1 February 2018');
    expect(run.stderr).toContain('meeting:2018-01-16');
  });
});

describe('regressions and moves, in both csi diff and csi log', () => {
  it('names the regression on its own in the summary', async () => {
    const json = JSON.parse(await csiOk(['diff', 'meeting:2017-09-19', 'meeting:2017-11-14', '--format', 'json']));
    // The meeting date moved on too: the report's own detail.
    expect(json.summary.text).toBe('1 recommendation went backwards (Complete → On track), 1 report detail updated.');
    expect(json.summary.regressions).toBe(1);
    const text = await csiOk(['diff', 'meeting:2017-09-19', 'meeting:2017-11-14']);
    expect(text).toContain('went backwards (Complete → On track)');
  });

  it('csi diff --format csv: a row per field, the regression and the move named', async () => {
    const lines = (await csiOk(['diff', 'meeting:2017-09-19', 'meeting:2018-01-16', '--format', 'csv'])).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,kind,noun,label,appendix,group,change,field,from,to,moved_from,exempt_paragraph');
    // r02 moved out of its list, so r03 is now numbered A2.1.2.
    expect(lines).toContain('ofsted-2012-r03,recommendation,recommendation,Recommendation A2.1.2,recommendations-2012,ofsted-2012-recommendations,regressed,status,complete,on-track,,');
    expect(lines.find((l) => l.startsWith('ofsted-2012-r02,'))).toMatch(/,moved,,,,"?Recommendation A2\.1\.2, Appendix 2 – /);
  });

  it('every move the diff reports between meetings is in the log of that item', async () => {
    const pairs = MEETINGS.slice(1).map((to, i) => [MEETINGS[i]!, to] as const);
    const moved: { id: string; to: string }[] = [];
    for (const [from, to] of pairs) {
      const json = JSON.parse(await csiOk(['diff', `meeting:${from}`, `meeting:${to}`, '--format', 'json']));
      for (const m of json.moved as { id: string }[]) moved.push({ id: m.id, to });
    }
    // r02 to the 2014 appendix, the 2014 appendix to its new file, r04 (or r05) within its list.
    expect(moved.map((m) => m.id).sort()).toEqual(['ofsted-2012-r02', 'ofsted-2014-r04', 'recommendations-2014']);
    const all = JSON.parse(await csiOk(['log', '--all', '--format', 'json'])) as { events: { id: string; movedFrom?: unknown; meeting?: string }[] };
    for (const m of moved) {
      expect(all.events.some((e) => e.id === m.id && e.movedFrom && e.meeting === m.to), m.id).toBe(true);
      const one = JSON.parse(await csiOk(['log', m.id, '--format', 'json'])) as { events: { movedFrom?: unknown; meeting?: string }[] };
      expect(one.events.some((e) => e.movedFrom && e.meeting === m.to), m.id).toBe(true);
    }
  });

  it('one item\'s log, told from the lists that hold it, is what the whole plan\'s log tells of it', async () => {
    const reader = new VersionReader({ dataDir: join(repo, 'data'), cwd: repo });
    for (const audience of ['public', 'exempt'] as const) {
      const { versions, history } = await reader.plan(audience);
      const ids = [...new Set(history.events.map((e) => e.id))];
      expect(ids.length).toBeGreaterThan(60);
      for (const id of [...ids, 'no-such-id']) {
        expect(itemHistory(id, planHistory(versions, id)), `${audience} ${id}`).toEqual(itemHistory(id, history));
      }
    }
  });

  it('names the meeting each change first went to', async () => {
    const text = await csiOk(['log', 'ofsted-2012-r03']);
    expect(text).toContain('went backwards (Complete → On track), first reported at the meeting of 14 November 2017');
    expect(text).toContain('completed, first reported at the meeting of 15 May 2018');
  });

  it('the public log never shows an exempt item, nor the change that made it exempt', async () => {
    const all = await csiOk(['log', '--all', '--format', 'json']);
    expect(all).not.toContain('ofsted-2014-r08');
    const run = await csiIn(repo, ['log', 'ofsted-2014-r08']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('did you mean "ofsted-2014-r08"');
  });
});
