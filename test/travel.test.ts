import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCopy, tempDir } from './helpers/data.js';
import { csiIn, gitRepo, replaceOnce } from './helpers/git-repo.js';

// Direction of travel: a tracker's `previous` and `direction` columns, read from the
// plan's history at build time, and the better / same / worse line of diff summaries.

const COLUMNS = 'groups:\n';
const WITH_COLUMNS = 'columns:\n  - { show: number, label: No. }\n  - { show: status, label: Status }\n  - { show: previous, label: Last meeting }\n  - { show: direction, label: Since }\ngroups:\n';
const status = (id: string, from: string, to: string) => replaceOnce(`- id: ${id}\n        status: ${from}`, `- id: ${id}\n        status: ${to}`);
const NEW_ACTION = '      - id: local-2012-a10\n        status: on-track\n        text: A new local action\n';

async function html(out: string): Promise<string> {
  return readFile(join(out, (await readdir(out)).find((f) => f.endsWith('.html'))!), 'utf8');
}

/** The tracker row whose number cell is `number`, as text. */
function row(page: string, number: string): string {
  const at = page.indexOf(`>${number}</th>`);
  expect(at).toBeGreaterThan(0);
  const tr = page.slice(page.lastIndexOf('<tr', at), page.indexOf('</tr>', at));
  return tr.replace(/<span aria-hidden="true">([^<]*)<\/span>/g, '$1').replace(/<[^>]+>/g, '|').replace(/\s+/g, ' ').replace(/\s*\|[\s|]*/g, '|');
}

describe('direction of travel', () => {
  let repo = '';
  beforeAll(async () => {
    repo = await gitRepo([
      {
        message: 'tracker columns; r04 at risk, for the September meeting',
        date: '2017-09-10T10:00:00Z',
        files: { 'data/recommendations-2012.yaml': (t) => status('ofsted-2012-r04', 'complete', 'at-risk')(replaceOnce(COLUMNS, WITH_COLUMNS)(t)) },
      },
      {
        message: 'December update',
        date: '2017-11-20T10:00:00Z',
        files: {
          'data/recommendations-2012.yaml': (t) => `${status('ofsted-2012-r03', 'complete', 'on-track')(status('ofsted-2012-r04', 'at-risk', 'complete')(t)).trimEnd()}\n${NEW_ACTION}`,
          'data/report.yaml': replaceOnce('meeting_date: 2017-09-19', 'meeting_date: 2017-12-12'),
        },
      },
    ]);
  });

  it('shows each item\'s status at the last meeting and which way it moved, in words', async () => {
    const out = await tempDir();
    const { code, stderr } = await csiIn(repo, ['build-report', join(repo, 'data'), '--out', out, '--format', 'html']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const page = await html(out);
    expect(row(page, 'A2.1.4')).toContain('|Complete|At risk|↑ Better|(was At risk)|');
    expect(row(page, 'A2.1.3')).toContain('|On track|Complete|↓ Worse|(was Complete)|');
    expect(row(page, 'A2.1.1')).toContain('|Complete|Complete|→ Same|');
    expect(row(page, 'A2.3.10')).toContain('|On track|New|New|');
  });

  it('says how many moved which way in the diff summaries and the changes appendix', async () => {
    const text = (await csiIn(repo, ['diff', 'meeting:2017-09-19', 'HEAD'])).stdout;
    expect(text).toMatch(/^1 better, 1 worse, \d+ the same since the meeting of 19 September 2017\.$/m);
    const json = JSON.parse((await csiIn(repo, ['diff', 'meeting:2017-09-19', 'HEAD', '--format', 'json'])).stdout);
    expect(json.summary.travel).toMatchObject({ better: 1, worse: 1 });
    expect(json.summary.travel.same).toBeGreaterThan(50);
    const markdown = (await csiIn(repo, ['diff', 'meeting:2017-09-19', 'HEAD', '--format', 'markdown'])).stdout;
    expect(markdown).toContain('1 better, 1 worse, ');
    const out = await tempDir();
    expect((await csiIn(repo, ['build-report', join(repo, 'data'), '--out', out, '--format', 'html', '--changes-since', 'meeting:2017-09-19'])).code).toBe(0);
    const changes = (await html(out)).split('Changes since the meeting of 19 September 2017').at(-1)!;
    expect(changes).toMatch(/<p class="status-summary">1 better, 1 worse, \d+ the same since the meeting of 19 September 2017\.<\/p>/);
  });

  it('is a usage error naming the column and the fix outside git, never an empty column', async () => {
    const data = await seedCopy('recommendations-2012.yaml', replaceOnce(COLUMNS, WITH_COLUMNS));
    const out = await tempDir();
    const { code, stderr } = await csiIn(out, ['build-report', data, '--out', out, '--format', 'html']);
    expect(code).toBe(2);
    expect(stderr).toContain('appendix "recommendations-2012" has a "previous" column, read from the plan\'s history, but the data folder');
    expect(stderr).toContain('put the plan in git (git init, git add -A, git commit), or take the column out');
    expect(await readdir(out)).toEqual([]);
  });

  it('counts and shows nothing exempt for the public: an item exempt now moves no count and has no row of its own', async () => {
    const secret = await gitRepo([
      {
        message: 'tracker columns, for the September meeting',
        date: '2017-09-10T10:00:00Z',
        files: { 'data/recommendations-2012.yaml': replaceOnce(COLUMNS, WITH_COLUMNS) },
      },
      {
        message: 'r03 slips, and is exempt now',
        date: '2017-11-20T10:00:00Z',
        files: {
          'data/recommendations-2012.yaml': (t) =>
            replaceOnce('- id: ofsted-2012-r03\n        status: complete', '- id: ofsted-2012-r03\n        exempt: { paragraph: 3 }\n        status: on-track')(t),
          'data/report.yaml': replaceOnce('meeting_date: 2017-09-19', 'meeting_date: 2017-12-12'),
        },
      },
    ]);
    const travel = async (audience: string) =>
      JSON.parse((await csiIn(secret, ['diff', 'meeting:2017-09-19', 'HEAD', '--format', 'json', '--audience', audience])).stdout).summary.travel;
    const [open, members] = [await travel('public'), await travel('exempt')];
    expect(open.worse).toBe(0);
    expect(members.worse).toBe(1);
    expect(members.same - open.same).toBe(0);
    const text = (await csiIn(secret, ['diff', 'meeting:2017-09-19', 'HEAD'])).stdout;
    expect(text).toMatch(/^0 better, 0 worse, \d+ the same since the meeting of 19 September 2017\.$/m);
    // Where nothing changed at all, the changes appendix says so, and no count of travel follows it.
    const unchanged = await tempDir();
    expect((await csiIn(secret, ['build-report', join(secret, 'data'), '--out', unchanged, '--format', 'html', '--changes-since', 'HEAD'])).code).toBe(0);
    const appendix = await html(unchanged);
    expect(appendix).toMatch(/Nothing in the plan has changed since/);
    expect(appendix).not.toMatch(/the same since/);

    const out = await tempDir();
    expect((await csiIn(secret, ['build-report', join(secret, 'data'), '--out', out, '--format', 'html'])).code).toBe(0);
    const page = await html(out);
    expect(row(page, 'A2.1.3')).not.toMatch(/Worse|Better|Same|On track|was /);
  });
});
