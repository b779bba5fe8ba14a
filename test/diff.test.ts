import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Marked } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_DATA, seedCopy, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { bodyText, flatten, readPdf } from './helpers/pdf.js';
import { FUNCNAME } from '../src/diff/textconv.js';
import { commit, csiIn, gitIn, gitRepo, moveR02, replaceOnce } from './helpers/git-repo.js';

const BIN = new URL('../bin/csi.js', import.meta.url).pathname;

const REMOVED_ACTION = `      - id: local-2012-a02
        status: complete
        text: >-
          Implement upgraded system to record incidents of bullying in Schools and process
          for returning to Council
`;

const NEW_ENTRY = `  - id: chr-2017-09-1
    date: 2017-09
    event: >-
      Report to the Overview and Scrutiny Committee on continuous service improvement
`;

/** The second commit of the example: one of each kind of change. */
const QUARTER_UPDATE = {
  message: 'September update',
  author: 'Jo Analyst',
  date: '2017-10-02T10:00:00Z',
  files: {
    'data/recommendations-2012.yaml': (t: string) =>
      replaceOnce('- id: ofsted-2012-r03\n        status: complete', '- id: ofsted-2012-r03\n        status: on-track')(
        replaceOnce(REMOVED_ACTION, '')(t),
      ),
    'data/aspirations-2017.yaml': replaceOnce('significant events for each case', 'significant events in each case'),
    'data/chronology.yaml': (t: string) => `${t.trimEnd()}\n${NEW_ENTRY}`,
  },
};

const ids = (list: { id: string }[]) => list.map((e) => e.id);

describe('csi diff between two commits', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await gitRepo([QUARTER_UPDATE]);
  });

  it('lists exactly the status change, the rewording, the new entry and the removed action, by id', async () => {
    const { code, stdout, stderr } = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(ids(json.added)).toEqual(['chr-2017-09-1']);
    expect(ids(json.removed)).toEqual(['local-2012-a02']);
    expect(ids(json.moved)).toEqual([]);
    // In report order: Appendix 2 before Appendix 4.
    expect(ids(json.changed)).toEqual(['ofsted-2012-r03', 'aspiration-2017-04']);

    expect(json.added[0]).toMatchObject({ kind: 'chronology-entry', collection: 'chronology', file: 'chronology.yaml', value: { date: '2017-09' } });
    expect(json.removed[0]).toMatchObject({ kind: 'recommendation', collection: 'recommendations-2012', group: 'local-actions-2012', label: 'Action A2.3.2' });
    expect(json.changed[0].fields).toEqual([{ field: 'status', from: 'complete', to: 'on-track' }]);
    const text = json.changed[1].fields[0];
    expect(text).toMatchObject({ field: 'text' });
    expect(text.words.filter((w: { op: string }) => w.op !== 'equal')).toEqual([
      { op: 'removed', text: 'for' },
      { op: 'added', text: 'in' },
    ]);
    expect(text.from).toMatch(/events for each case$/);
    expect(text.to).toMatch(/events in each case$/);
    expect(json.summary.text).toBe('1 recommendation went backwards (Complete → On track), 1 chronology entry added, 1 action removed, 1 aspiration reworded.');
    expect(json.from).toMatchObject({ source: 'git', name: 'HEAD~1', author: 'Anna Marshall', location: 'HEAD~1:data/' });
    expect(json.to).toMatchObject({ source: 'git', name: 'HEAD', author: 'Jo Analyst', date: '2017-10-02T10:00:00+00:00' });
  });

  it('prints a summary first, then each appendix in report order, plain when piped', async () => {
    const { code, stdout } = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^Changes from HEAD~1 \([0-9a-f]{7}, 1 September 2017\) to HEAD \([0-9a-f]{7}, 2 October 2017\)$/);
    expect(lines[1]).toBe('1 recommendation went backwards (Complete → On track), 1 chronology entry added, 1 action removed, 1 aspiration reworded.');
    const headings = lines.filter((l) => l.startsWith('Appendix '));
    expect(headings.map((h) => h.slice(0, 10))).toEqual(['Appendix 1', 'Appendix 2', 'Appendix 4']);
    expect(stdout).toContain('  ~ Recommendation A2.1.3 (ofsted-2012-r03) went backwards (Complete → On track)\n      Status: Complete → On track\n');
    expect(stdout).toContain('  - Action A2.3.2 (local-2012-a02) removed\n');
    expect(stdout).toContain('significant events [-for-] {+in+} each case\n');
    expect(stdout).toContain('      Text: Implement upgraded system to record incidents of bullying');
    expect(stdout).not.toMatch(/\x1b\[/);
  });

  it('colours the text for a terminal, and not with NO_COLOR', async () => {
    const tty = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD'], { tty: true });
    expect(tty.stdout).toMatch(/\x1b\[3\dm/);
    const noColor = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD'], { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(/\x1b\[/);
    expect(noColor.stdout).toBe((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD'])).stdout);
  });

  it('writes Markdown for a pull-request comment that renders with headings, lists and word changes', async () => {
    const { stdout } = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'markdown']);
    const html = new Marked({ gfm: true }).parse(stdout) as string;
    expect(html).toContain('<h3>Plan changes</h3>');
    expect(html).toContain('<strong>1 recommendation went backwards (Complete → On track), 1 chronology entry added, 1 action removed, 1 aspiration reworded.</strong>');
    expect([...html.matchAll(/<h4>(.*?)<\/h4>/g)].map((m) => m[1]!.slice(0, 10))).toEqual(['Appendix 1', 'Appendix 2', 'Appendix 4']);
    expect(html).toContain('Status: <del>Complete</del> → <strong>On track</strong>');
    expect(html).toContain('significant events <del>for</del> <ins>in</ins> each case');
    expect(html).toContain('<code>local-2012-a02</code>');
    // Nothing from the data is left as raw Markdown syntax.
    expect(html).not.toMatch(/\*\*|~~/);
  });

  it('writes a self-contained HTML page', async () => {
    const { stdout } = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'html']);
    expect(stdout).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(stdout).toContain("default-src 'none'");
    expect(stdout).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(stdout).toContain('<h2>Appendix 2 – Recommendations and Actions Following 2012 Ofsted Inspection</h2>');
    expect(stdout).toContain('significant events <del>for</del> <ins>in</ins> each case');
  });

  it('says so and exits 0 when nothing changed, even with --exit-code', async () => {
    const text = await csiIn(repo, ['diff', 'HEAD', 'HEAD', '--exit-code']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^No changes between HEAD \([0-9a-f]{7}, 2 October 2017\) and HEAD \(/);
    const json = JSON.parse((await csiIn(repo, ['diff', 'HEAD', 'HEAD', '--format', 'json'])).stdout);
    expect(json).toMatchObject({ identical: true, added: [], removed: [], moved: [], changed: [], summary: { text: 'No changes.' } });
  });

  it('exits 1 with --exit-code when something changed, like git diff', async () => {
    expect((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--exit-code'])).code).toBe(1);
    expect((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD'])).code).toBe(0);
  });

  it('compares HEAD with the data folder as it is now by default', async () => {
    const clean = await csiIn(repo, ['diff']);
    expect(clean.stdout).toMatch(/^No changes between HEAD .* and the working tree \(data\)\.\n$/);
    const dirty = await gitRepo([]);
    await commit(dirty, { message: 'base' });
    const file = join(dirty, 'data', 'glossary.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('Overview and Scrutiny Committee }', 'Overview & Scrutiny Committee }'));
    const json = JSON.parse((await csiIn(dirty, ['diff', '--format', 'json'])).stdout);
    expect(json.to).toMatchObject({ source: 'working-tree' });
    expect(json.changed).toMatchObject([{ id: 'OSC', kind: 'term', collection: 'glossary', fields: [{ field: 'definition' }] }]);
  });

  it('exits 2 with a clear message for a revision that does not exist', async () => {
    const { code, stdout, stderr } = await csiIn(repo, ['diff', 'no-such-branch', 'HEAD']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^csi: "no-such-branch" is neither a data folder nor a revision in .*\(give a commit, branch or tag/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when the data folder is not in a git repository', async () => {
    const data = await seedCopy();
    const { code, stderr } = await csiIn(data, ['diff', 'HEAD', '--data', '.']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/is not in a git repository/);
  });
});

describe('csi diff follows items by id', () => {
  it('reports an item moved to another appendix as a move, not a removal and an addition', async () => {
    const repo = await gitRepo([moveR02('move r02 to the 2014 appendix')]);
    const json = JSON.parse((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'json'])).stdout);
    expect(json.added).toEqual([]);
    expect(json.removed).toEqual([]);
    expect(json.changed).toEqual([]);
    expect(json.moved).toHaveLength(1);
    expect(json.moved[0]).toMatchObject({
      id: 'ofsted-2012-r02',
      collection: 'recommendations-2014',
      from: { collection: 'recommendations-2012', group: 'ofsted-2012-recommendations', file: 'recommendations-2012.yaml', label: 'Recommendation A2.1.2' },
      to: { collection: 'recommendations-2014', file: 'recommendations-2014.yaml' },
    });
    expect(json.summary.text).toBe('1 recommendation moved.');
  });

  it('reports a renamed file as its appendix moving to the new file, with nothing added or removed', async () => {
    const repo = await gitRepo([{ message: 'rename', renames: [['data/recommendations-2014.yaml', 'data/ofsted-2014.yaml']] }]);
    const json = JSON.parse((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'json'])).stdout);
    expect(json.added).toEqual([]);
    expect(json.removed).toEqual([]);
    expect(json.changed).toEqual([]);
    expect(json.moved).toEqual([
      expect.objectContaining({
        id: 'recommendations-2014',
        kind: 'appendix',
        collection: 'appendices',
        from: expect.objectContaining({ file: 'recommendations-2014.yaml' }),
        to: expect.objectContaining({ file: 'ofsted-2014.yaml' }),
      }),
    ]);
    const text = (await csiIn(repo, ['diff', 'HEAD~1', 'HEAD'])).stdout;
    expect(text).toContain('Moved from file recommendations-2014.yaml to ofsted-2014.yaml');
  });

  it('reports an item that changed place in its list as moved, and only that one', async () => {
    const a3 = /  - id: aspiration-2017-03\n(    .*\n|      .*\n)+/;
    const repo = await gitRepo([
      {
        message: 'aspiration 3 goes last',
        files: {
          'data/aspirations-2017.yaml': (t) => {
            const block = a3.exec(t)![0];
            return `${t.replace(block, '').trimEnd()}\n${block}`;
          },
        },
      },
    ]);
    const json = JSON.parse((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'json'])).stdout);
    expect(ids(json.moved)).toEqual(['aspiration-2017-03']);
    expect(json.moved[0].from).toMatchObject({ label: 'Aspiration A4.3', position: 3 });
    expect(json.moved[0].to.position).toBeGreaterThan(30);
    expect(json.changed).toEqual([]);
  });

  it('diffs a narrative section paragraph by paragraph', async () => {
    const repo = await gitRepo([
      {
        message: 'reword 1.1, add 1.4',
        files: {
          'data/report.yaml': (t) =>
            replaceOnce('The purpose of this report is to provide', 'This report provides')(
              replaceOnce(
                '        Improvement Plan.\n',
                '        Improvement Plan.\n      - >-\n        A new closing paragraph for the purpose section.\n',
              )(t),
            ),
        },
      },
    ]);
    const json = JSON.parse((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'json'])).stdout);
    expect(ids(json.changed)).toEqual(['purpose']);
    const [paragraphs] = json.changed[0].fields;
    expect(paragraphs.field).toBe('paragraphs');
    expect(paragraphs.list.map((p: { op: string; from?: number; to?: number }) => [p.op, p.from, p.to])).toEqual([
      ['changed', 1, 1],
      ['added', undefined, 4],
    ]);
    expect(json.summary.text).toBe('1 section reworded.');
    const text = (await csiIn(repo, ['diff', 'HEAD~1', 'HEAD'])).stdout;
    expect(text).toContain('Paragraph 1.1: [-The purpose of this-] {+This+} report [-is to provide-] {+provides+} an overview');
    expect(text).toContain('Paragraph 1.4 (added): A new closing paragraph for the purpose section.');
  });

  it('shows a reworded paragraph and a new item as the reader reads them, not their Markdown', async () => {
    const repo = await gitRepo([
      {
        message: 'a pointer to the chronology, emphasis, a new action',
        files: {
          'data/report.yaml': (t) =>
            replaceOnce('Framework ([[appendix:framework]]).', 'Framework ([[appendix:framework]]). **See [[appendix:chronology]] for the dates**.')(
              replaceOnce('improvement chronology of events', 'improvement *chronology* of events')(t),
            ),
          'data/recommendations-2012.yaml': (t) => `${t.trimEnd()}\n      - id: local-2012-a10\n        status: on-track\n        text: Tell _every_ family, as [[appendix:aspirations-2017]] says\n`,
        },
      },
    ]);
    const text = (await csiIn(repo, ['diff', 'HEAD~1', 'HEAD'])).stdout;
    expect(text).toContain('the 2012 (Appendix 2) and 2014 inspections (Appendix 3)');
    expect(text).toContain('Framework (Appendix 5). {+See Appendix 1 for the dates.+}');
    expect(text).toContain('      Text: Tell every family, as Appendix 4 says\n');
    expect(text).not.toMatch(/\[\[|\*\*|\{\+\*/);
    const markdown = (await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'markdown'])).stdout;
    expect(markdown).toContain('<ins>See Appendix 1 for the dates.</ins>');
    // JSON keeps the data as written in from/to; the words are the reader's.
    const json = JSON.parse((await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'json'])).stdout);
    const [paragraphs] = json.changed.find((c: { id: string }) => c.id === 'purpose').fields;
    expect(paragraphs.to[1]).toContain('**See [[appendix:chronology]] for the dates**');
    const added = paragraphs.list[0].words.filter((w: { op: string }) => w.op === 'added').map((w: { text: string }) => w.text.trim());
    expect(added).toEqual(['See Appendix 1 for the dates.']);
  });

  it('still shows a change of emphasis alone, in the source, as the reader sees no other', async () => {
    const repo = await gitRepo([{ message: 'bold', files: { 'data/aspirations-2017.yaml': replaceOnce('significant events for each case', 'significant events for **each** case') } }]);
    const text = (await csiIn(repo, ['diff', 'HEAD~1', 'HEAD'])).stdout;
    expect(text).toContain('significant events for {+**+}each{+**+} case');
  });

  it('sees no change in re-wrapped text, but does in a paragraph turned into a list', async () => {
    const before = await seedCopy();
    // `|-` keeps the line breaks that `>-` folds away: the same Markdown.
    const rewrapped = await seedCopy('aspirations-2017.yaml', replaceOnce('- id: aspiration-2017-01\n    text: >-', '- id: aspiration-2017-01\n    text: |-'));
    expect(JSON.parse((await csiIn(before, ['diff', before, rewrapped, '--format', 'json'])).stdout).identical).toBe(true);
    // The same lines, but with a list item: a list either way (csi keeps a list's lines in
    // folded text), and a change from the paragraph it was.
    const asList = (style: string) =>
      replaceOnce(
        '- id: aspiration-2017-01\n    text: >-\n      Children, young people and families are offered help when needs and/or concerns are\n      first',
        `- id: aspiration-2017-01\n    text: ${style}\n      Children, young people and families are offered help when needs and/or concerns are\n      - first`,
      );
    const folded = await seedCopy('aspirations-2017.yaml', asList('>-'));
    const listed = await seedCopy('aspirations-2017.yaml', asList('|-'));
    expect(JSON.parse((await csiIn(before, ['diff', folded, listed, '--format', 'json'])).stdout).identical).toBe(true);
    const json = JSON.parse((await csiIn(before, ['diff', before, listed, '--format', 'json'])).stdout);
    expect(ids(json.changed)).toEqual(['aspiration-2017-01']);
  });

  it('compares two data folders without git', async () => {
    const before = await seedCopy();
    const after = await seedCopy('framework.yaml', replaceOnce('meets: bi-monthly', 'meets: monthly'));
    const json = JSON.parse((await csiIn(await tempDir(), ['diff', before, after, '--format', 'json'])).stdout);
    expect(json.from.source).toBe('directory');
    expect(json.changed).toMatchObject([{ id: 'osc', kind: 'body', fields: [{ field: 'meets', from: 'bi-monthly', to: 'monthly' }] }]);
    expect(json.summary.text).toBe('1 framework body updated.');
  });
});

describe('csi diff with invalid data on one side', () => {
  it('stops with exit 1 and the positioned problems, naming the revision', async () => {
    const repo = await gitRepo([
      { message: 'a bad date', files: { 'data/chronology.yaml': replaceOnce('date: 2012-08', 'date: 2012-13') } },
    ]);
    const { code, stdout, stderr } = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'json']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^HEAD:data\/chronology\.yaml:\d+:11 {2}"2012-13" has no month 13\n/);
    expect(stderr).toMatch(/csi: 1 problem in the data at HEAD; nothing was compared\n$/);
  });

  it('names the folder when a data folder is invalid', async () => {
    const bad = await seedCopy('glossary.yaml', (t) => t.replace('terms:', 'term:'));
    const cwd = join(bad, '..');
    const { code, stderr } = await csiIn(cwd, ['diff', SEED_DATA, bad]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${bad.slice(cwd.length + 1)}/glossary.yaml:`);
  });
});

describe('csi diff --textconv, for git diff', () => {
  it('prints a data file one item per block, headed by its id', async () => {
    const { code, stdout } = await csiIn(process.cwd(), ['diff', '--textconv', join(SEED_DATA, 'recommendations-2012.yaml')]);
    expect(code).toBe(0);
    const [fields, ...blocks] = stdout.split(/\n\n(?=── )/);
    expect(fields).toBe('kind: recommendations\nkey: recommendations-2012\ntitle: Recommendations and Actions Following 2012 Ofsted Inspection');
    expect(blocks[0]).toBe('── ofsted-2012-recommendations ──\n\n[ofsted-2012-recommendations]\n\ntitle: Ofsted Recommendations');
    expect(blocks[1]).toMatch(/^── ofsted-2012-r01 ──\n\n\[ofsted-2012-r01\]\n\nin: ofsted-2012-recommendations\nstatus: complete\ntext: Ensure that managers provide robust oversight of safeguarding practice and that their case planning, [^\n]+$/);
  });

  it('passes a file that is not valid YAML through unchanged', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'broken.yaml'), 'key: [unclosed\n');
    const { code, stdout } = await csiIn(dir, ['diff', '--textconv', 'broken.yaml']);
    expect(code).toBe(0);
    expect(stdout).toBe('key: [unclosed\n');
  });

  it('makes git diff read item by item with the setup in docs/how-to/git-diff.md', async () => {
    const repo = await gitRepo([QUARTER_UPDATE]);
    await writeFile(join(repo, '.gitattributes'), 'data/*.yaml diff=csi\n');
    const out = gitIn(repo, ['-c', `diff.csi.textconv=node ${BIN} diff --textconv`, '-c', `diff.csi.xfuncname=${FUNCNAME}`, 'diff', 'HEAD~1', 'HEAD', '--', 'data/recommendations-2012.yaml']);
    // The item that changed, not the one above it (ofsted-2012-r02), names the hunk.
    expect(out).toMatch(/^@@ .* @@ ofsted-2012-r03$/m);
    expect(out).toContain('-status: complete\n+status: on-track\n');
    expect(out).toContain('-[local-2012-a02]\n-\n-in: local-actions-2012\n-status: complete\n');
  });
});

describe('csi build-report --changes-since', () => {
  it('adds a "Changes since" appendix to the HTML, listed in the contents', async () => {
    const repo = await gitRepo([
      { ...QUARTER_UPDATE, files: { ...QUARTER_UPDATE.files, 'data/report.yaml': replaceOnce('meeting_date: 2017-09-19', 'meeting_date: 2017-12-12') } },
    ]);
    const out = await tempDir();
    const { code, stderr } = await csiIn(repo, ['build-report', join(repo, 'data'), '--out', out, '--format', 'html', '--changes-since', 'HEAD~1']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2 id="appendix-changes-since-heading">Appendix 6 – Changes since the meeting of 19 September 2017</h2>');
    expect(html).toContain('<a href="#appendix-changes-since">Appendix 6 – Changes since the meeting of 19 September 2017</a>');
    // In the committee's words; the new meeting date is the report's own bookkeeping, not a change to the plan.
    expect(html).toContain('1 recommendation moved from Complete to On track; 1 new event; 1 action removed; 1 aspiration reworded.');
    expect(html).toMatch(/<th scope="row">Action A2\.3\.2<\/th>\s*<td><span class="change change-removed">Removed<\/span>/);
    expect(html).toContain('<span class="change-field">Status:</span> was Complete, now On track');
    const appendix = html.slice(html.indexOf('<section class="appendix" id="appendix-changes-since"'));
    expect(appendix).not.toMatch(/HEAD|Meeting date|[0-9a-f]{7}/);
  });

  it('exits 2 for a revision that does not exist, writing nothing', async () => {
    const repo = await gitRepo([]);
    const out = join(await tempDir(), 'out');
    const { code } = await csiIn(repo, ['build-report', join(repo, 'data'), '--out', out, '--format', 'html', '--changes-since', 'v0']);
    expect(code).toBe(2);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});

describeWithBrowser('csi build-report --changes-since, printed', () => {
  it('puts the "Changes since" appendix in the PDF, with its bookmark and its headings', async () => {
    const repo = await gitRepo([QUARTER_UPDATE]);
    const out = await tempDir();
    const { code, stderr } = await csiIn(repo, ['build-report', join(repo, 'data'), '--out', out, '--changes-since', 'HEAD~1']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const pdf = join(out, 'report.pdf');
    const titles = flatten((await readPdf(pdf)).outline);
    // Both commits are for the same meeting, so the appendix is dated by the older commit.
    expect(titles).toContain('Appendix 6 – Changes since 1 September 2017');
    expect(titles).toContain('Changes to Appendix 2 – Recommendations and Actions Following 2012 Ofsted Inspection');
    expect(titles.filter((t) => t.startsWith('Appendix '))).toHaveLength(6);
    const text = bodyText(pdf);
    expect(text).toContain('Appendix 6 – Changes since 1 September 2017');
    expect(text.replace(/\s+/g, ' ')).toContain('1 recommendation moved from Complete to On track; 1 new event; 1 action removed; 1 aspiration reworded.');
    expect(text).toMatch(/Action A2\.3\.2\s+Removed/);
    expect(text).not.toMatch(/HEAD|\bcommit\b|sha256/);
  });
});
