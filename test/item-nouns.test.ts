import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCopy, tempDir } from './helpers/data.js';
import { csiIn, gitRepo, replaceOnce } from './helpers/git-repo.js';

// An item is labelled by its own noun in every output: here a new item in a group whose
// data calls its items actions (`item_name`), in an appendix whose title names both.

const NEW_ACTION = `      - id: ofsted-2014-a24
        status: on-track
        text: Review the front door every quarter
`;

describe('an item labelled by its own noun', () => {
  let repo = '';
  beforeAll(async () => {
    repo = await gitRepo([
      {
        message: 'the 2014 items are actions; a new one',
        date: '2017-10-02T10:00:00Z',
        files: {
          'data/recommendations-2014.yaml': (t) =>
            `${replaceOnce('  - id: ofsted-2014-recommendations\n', '  - id: ofsted-2014-recommendations\n    item_name: { one: action, many: actions }\n')(t).trimEnd()}\n${NEW_ACTION}`,
          'data/report.yaml': replaceOnce('meeting_date: 2017-09-19', 'meeting_date: 2017-12-12'),
        },
      },
    ]);
  });

  it('is an action in csi diff as text, Markdown, JSON and CSV, and in the summary', async () => {
    const text = (await csiIn(repo, ['diff', 'HEAD~1', 'HEAD'])).stdout;
    expect(text).toContain('+ Action A3.24 (ofsted-2014-a24) added');
    expect(text).toContain('1 action added');
    expect(text).not.toContain('Recommendation A3.24');
    expect((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'markdown'])).stdout).toContain('**Action A3.24** added');
    const json = JSON.parse((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'json'])).stdout);
    expect(json.added).toMatchObject([{ id: 'ofsted-2014-a24', label: 'Action A3.24' }]);
    expect(json.summary.text).toMatch(/^1 action added, /);
    expect((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'csv'])).stdout).toContain('ofsted-2014-a24,recommendation,action,Action A3.24,');
  });

  it('is an action in csi log and csi status', async () => {
    expect((await csiIn(repo, ['log', 'ofsted-2014-a24'])).stdout).toContain('added as Action A3.24');
    const status = JSON.parse((await csiIn(repo, ['status', '--format', 'json'])).stdout);
    const rows = (Array.isArray(status) ? status : status.items) as { id: string; label: string }[];
    expect(rows.find((r) => r.id === 'ofsted-2014-a24')?.label).toBe('Action A3.24');
    expect(rows.find((r) => r.id === 'ofsted-2014-r01')?.label).toBe('Action A3.1');
  });

  it('is an action in the changes appendix', async () => {
    const out = await tempDir();
    const { code } = await csiIn(repo, ['build-report', join(repo, 'data'), '--out', out, '--format', 'html', '--changes-since', 'HEAD~1']);
    expect(code).toBe(0);
    const html = await readFile(join(out, (await readdir(out)).find((f) => f.endsWith('.html'))!), 'utf8');
    const changes = html.slice(html.lastIndexOf('Changes since'));
    expect(changes).toContain('Action A3.24');
    expect(changes).not.toContain('Recommendation A3.24');
  });

  it('is an action in the report\'s own table and counts', async () => {
    const out = await tempDir();
    const { code } = await csiIn(repo, ['build-report', join(repo, 'data'), '--out', out, '--format', 'html']);
    expect(code).toBe(0);
    const html = await readFile(join(out, (await readdir(out)).find((f) => f.endsWith('.html'))!), 'utf8');
    const group = html.slice(html.indexOf('<div class="group" id="ofsted-2014-recommendations">'));
    expect(group.slice(0, group.indexOf('</thead>'))).toContain('<th scope="col">Action</th>');
    // Its only group names its items, so the appendix counts actions too; the 2012 appendix still counts recommendations.
    const summaries = [...html.matchAll(/<p class="status-summary">([^<]*)/g)].map((m) => m[1]);
    expect(summaries).toContain('All 40 recommendations and actions are complete.');
    expect(summaries.filter((t) => /\b24 actions\b/.test(t!))).toHaveLength(1);
    expect(summaries.join(' ')).not.toMatch(/24 recommendations/);
  });
});

describe('an item in a group without a title', () => {
  it('is an action where the appendix title names actions only, and a recommendation where it names both', async () => {
    const actionsOnly = (t: string) => replaceOnce('title: Ofsted Recommendations and Actions Following', 'title: Actions Following')(t);
    const withNew = (t: string) => `${t.trimEnd()}\n${NEW_ACTION}`;
    const label = async (edit: (t: string) => string) => {
      const before = await seedCopy('recommendations-2014.yaml', edit);
      const after = await seedCopy('recommendations-2014.yaml', (t) => withNew(edit(t)));
      return JSON.parse((await csiIn(before, ['diff', before, after, '--format', 'json'])).stdout).added[0].label;
    };
    expect(await label(actionsOnly)).toBe('Action A3.24');
    expect(await label((t) => t)).toBe('Recommendation A3.24');
  });
});
