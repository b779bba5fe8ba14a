import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { flatten, readPdf, taggedText } from './helpers/pdf.js';
import { commit, csiIn, gitIn, gitRepo, replaceOnce } from './helpers/git-repo.js';

// Issue 27, findings 1–5: routes by which exempt information reached the public
// (diff, the changes appendix, warnings and errors, a typed number, the log), and
// the one rule that now closes them: the public sees nothing that is exempt now,
// and an item exempt then and public now reads from the version where it became public.

const FIXTURE = new URL('./fixtures/exempt/', import.meta.url).pathname;
const FORMATS = ['text', 'markdown', 'json', 'html'];

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});
async function scratch(prefix?: string): Promise<string> {
  const dir = await tempDir(prefix);
  made.push(dir);
  return dir;
}

/** A git repository whose first commit holds the exempt fixture in `data/`, then one commit per edit set. */
async function fixtureRepo(...edits: Record<string, (text: string) => string>[]): Promise<string> {
  const repo = await scratch('csi-repo-');
  gitIn(repo, ['init', '-q', '-b', 'main']);
  await mkdir(join(repo, 'data'));
  await cp(FIXTURE, join(repo, 'data'), { recursive: true });
  await commit(repo, { message: 'The plan with exempt information', date: '2018-03-01T09:00:00Z' });
  for (const [i, files] of edits.entries()) {
    await commit(repo, { message: `Update ${i + 1}`, files: Object.fromEntries(Object.entries(files).map(([f, e]) => [`data/${f}`, e])) });
  }
  return repo;
}

/** A copy of the exempt fixture with some files edited. */
async function fixtureCopy(edits: Record<string, (text: string) => string>): Promise<string> {
  const dir = await scratch('csi-data-');
  await cp(FIXTURE, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) await writeFile(join(dir, file), edit(await readFile(join(dir, file), 'utf8')));
  return dir;
}

const REFERENCE = 'This public paragraph refers to [[appendix:case-review]].';
const addReference = replaceOnce('      - This public paragraph follows', `      - ${REFERENCE}\n      - This public paragraph follows`);

describe('finding 1: a reference to an exempt appendix', () => {
  let repo: string;
  beforeAll(async () => {
    // The reference is there in both versions; another paragraph of its section changes; then the paragraph itself.
    repo = await fixtureRepo(
      { 'report.yaml': addReference },
      { 'report.yaml': replaceOnce('explains the purpose of the report.', 'explains why the report is written.') },
      { 'report.yaml': replaceOnce('This public paragraph refers to', 'This public paragraph now refers to') },
    );
  });

  it('csi diff prints no exempt key, in any format, even where that paragraph did not change', async () => {
    const json = await csiIn(repo, ['diff', 'HEAD~2', 'HEAD~1', '--format', 'json']);
    expect(json.stdout).toContain('why the report is written');
    expect(json.stdout).not.toContain('case-review');
    for (const format of FORMATS) {
      const run = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', format]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout, format).toMatch(/now/);
      expect(run.stdout, format).not.toContain('case-review');
    }
  });

  it('the public changes appendix names the appendix as the report does, never by its key', async () => {
    const out = await scratch();
    const edited = await csiIn(repo, ['build-report', 'data', '--changes-since', 'HEAD~3', '--format', 'html', '--out', out]);
    expect(edited.code, edited.stderr).toBe(0);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    const changes = html.slice(html.lastIndexOf('Changes since'));
    expect(changes).toContain('This public paragraph now refers to Appendix 5.');
    expect(html).not.toContain('case-review');
  });
});

describeWithBrowser('finding 1, in print: the public changes appendix of the PDF', () => {
  it('names the appendix as the report does in its text, tags, bookmarks and metadata, never by its key', async () => {
    const repo = await fixtureRepo({ 'report.yaml': addReference });
    const out = await scratch();
    const built = await csiIn(repo, ['build-report', 'data', '--changes-since', 'HEAD~1', '--format', 'pdf', '--out', out]);
    expect(built.code, built.stderr).toBe(0);
    const pdf = join(out, 'report.pdf');
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text.slice(text.lastIndexOf('Changes since')).replace(/\s+/g, ' ')).toContain('refers to Appendix 5.');
    const { blocks } = taggedText(pdf);
    const { outline, info } = await readPdf(pdf);
    const everything = [text, ...blocks, ...flatten(outline), ...Object.values(info).map(String), (await readFile(pdf)).toString('latin1')].join('\n');
    expect(everything).not.toContain('case-review');
  });
});

describe('finding 2: warnings and errors of a public build', () => {
  it('name where a warning about exempt text is, but never quote it (stderr and --json)', async () => {
    const dir = await fixtureCopy({ 'report.yaml': replaceOnce('an allowance of 412 pounds.', 'an allowance of #412 pounds.') });
    const out = await scratch();
    for (const json of [[], ['--json']]) {
      const run = await csiIn(FIXTURE, ['build-report', dir, '--format', 'html', '--out', out, ...json]);
      expect(run.code, run.stderr).toBe(0);
      const printed = run.stdout + run.stderr;
      if (json.length === 0) expect(printed).toContain('report.yaml:16');
      expect(printed).not.toMatch(/Quillfeather|#412|412 pounds|foster carer/);
    }
    const json = JSON.parse((await csiIn(FIXTURE, ['build-report', dir, '--format', 'html', '--out', out, '--json'])).stdout) as {
      warnings: { file: string; line: number; code: string; message: string }[];
    };
    expect(json.warnings).toMatchObject([{ file: 'report.yaml', line: 16, code: 'COMMENT_IN_TEXT' }]);
    // The author, building for members, is told everything.
    const members = await csiIn(FIXTURE, ['build-report', dir, '--format', 'html', '--out', out, '--audience', 'exempt']);
    expect(members.stderr).toContain('#412 pounds');
  });

  it('a failed public build names where each problem is, but quotes no exempt id or text', async () => {
    const dir = await fixtureCopy({
      'case-review.yaml': replaceOnce('- { id: cr-r02,', '- { id: cr-r01,'),
      'actions.yaml': replaceOnce('status: complete, text: Settle the Quixley', 'status: finished, text: Settle the Quixley'),
    });
    const out = await scratch();
    for (const json of [[], ['--json']]) {
      const run = await csiIn(FIXTURE, ['build-report', dir, '--format', 'html', '--out', out, ...json]);
      expect(run.code).toBe(1);
      const printed = run.stdout + run.stderr;
      expect(printed).toMatch(/case-review\.yaml:\d+/);
      expect(printed).toMatch(/actions\.yaml:\d+/);
      expect(printed).not.toMatch(/cr-r0|Quixley|finished|Ashgrove|act-02/);
    }
    const members = await csiIn(FIXTURE, ['build-report', dir, '--format', 'html', '--out', out, '--audience', 'exempt']);
    expect(members.stderr).toContain('cr-r01');
  });

  it('a public reference to a misspelt key is not answered with an exempt key', async () => {
    const dir = await fixtureCopy({ 'report.yaml': addReference });
    await writeFile(join(dir, 'report.yaml'), (await readFile(join(dir, 'report.yaml'), 'utf8')).replace('[[appendix:case-review]]', '[[appendix:case-reviews]]'));
    const run = await csiIn(FIXTURE, ['build-report', dir, '--format', 'html', '--out', await scratch(), '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('case-reviews');
    expect(run.stdout).not.toMatch(/case-review(?!s)/);
    // The author, building for members, is offered it.
    const members = await csiIn(FIXTURE, ['build-report', dir, '--format', 'html', '--out', await scratch(), '--audience', 'exempt']);
    expect(members.stderr).toContain('did you mean [[appendix:case-review]]?');
  });
});

describe('finding 3: an exempt item with a number of its own', () => {
  it('the public table shows no typed number of an exempt item; the exempt build does', async () => {
    const dir = await fixtureCopy({ 'actions.yaml': replaceOnce('{ id: act-02-settlement,', '{ id: act-02-settlement, number: Quixley tribunal claim,') });
    const out = await scratch();
    for (const audience of ['public', 'exempt']) {
      const run = await csiIn(FIXTURE, ['build-report', dir, '--format', 'html', '--out', out, '--audience', audience]);
      expect(run.code, run.stderr).toBe(0);
    }
    expect(await readFile(join(out, 'report.html'), 'utf8')).not.toContain('Quixley');
    expect(await readFile(join(out, 'report-exempt.html'), 'utf8')).toContain('Quixley tribunal claim');
  });
});

const R03 = '- id: ofsted-2012-r03\n        status: complete';
const REL = (text: string, exempt: boolean) =>
  `      - id: rel-01\n${exempt ? '        exempt: { paragraph: 3 }\n' : ''}        status: on-track\n        text: ${text}\n`;
const atEnd = (block: string) => (t: string) => `${t.trimEnd()}\n${block}`;

describe('finding 4: csi log and csi diff follow what is exempt now', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await gitRepo([
      // ofsted-2012-r03 reworded while public; rel-01 added exempt.
      {
        message: 'Reword r03; add rel-01, exempt',
        files: {
          'data/recommendations-2012.yaml': (t) => atEnd(REL('SECRET-REL was the exempt wording', true))(replaceOnce('Ensure that referrers', 'SECRET-R03 Ensure that referrers')(t)),
        },
      },
      // r03 now exempt; rel-01 released, reworded.
      {
        message: 'Mark r03 exempt; release rel-01',
        files: {
          'data/recommendations-2012.yaml': (t) =>
            replaceOnce(R03, '- id: ofsted-2012-r03\n        exempt: { paragraph: 1 }\n        status: complete')(
              replaceOnce(REL('SECRET-REL was the exempt wording', true), REL('Published wording of rel-01', false))(t),
            ),
        },
      },
    ]);
    made.push(repo);
  });

  it('the public log of an item exempt now says nothing of it, from any version', async () => {
    for (const format of ['text', 'json']) {
      const run = await csiIn(repo, ['log', 'ofsted-2012-r03', '--format', format]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('SECRET');
      expect(run.stderr).not.toMatch(/did you mean "ofsted-2012-r03"/);
    }
    const members = await csiIn(repo, ['log', 'ofsted-2012-r03', '--audience', 'exempt']);
    expect(members.stdout).toContain('SECRET-R03');
  });

  it('a mistyped id, answered without reading the history, is never told the exempt id it is closest to', async () => {
    const run = await csiIn(repo, ['log', 'ofsted-2012-r3']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^csi: no item with id "ofsted-2012-r3"/);
    expect(run.stderr).not.toContain('ofsted-2012-r03');
    const members = await csiIn(repo, ['log', 'ofsted-2012-r3', '--audience', 'exempt']);
    expect(members.stderr).toContain('did you mean "ofsted-2012-r03"?');
  });

  it('the public log of an item exempt then and public now starts where it became public', async () => {
    const run = await csiIn(repo, ['log', 'rel-01', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const events = (JSON.parse(run.stdout) as { events: { change: string; subject: string }[] }).events;
    expect(events.map((e) => [e.change, e.subject])).toEqual([['added', 'Mark r03 exempt; release rel-01']]);
    expect(run.stdout).toContain('Published wording of rel-01');
    expect(run.stdout).not.toMatch(/SECRET|Exempt information/);
  });

  it('csi diff: an item exempt now is not shown from the older version; one released reads as added', async () => {
    const json = JSON.parse((await csiIn(repo, ['diff', 'HEAD~2', 'HEAD', '--format', 'json'])).stdout) as { added: { id: string }[]; changed: unknown[]; removed: unknown[] };
    expect(json.added.map((e) => e.id)).toEqual(['rel-01']);
    expect([json.changed, json.removed]).toEqual([[], []]);
    for (const format of FORMATS) {
      const run = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', format]);
      expect(run.stdout, format).not.toMatch(/SECRET|ofsted-2012-r03|Exempt information/);
      expect(run.stdout, format).toContain('Published wording of rel-01');
    }
  });
});

describe('finding 5: a field or paragraph whose exemption differs between the versions', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await fixtureRepo(
      {
        // Public then: act-01's owner and a paragraph of the purpose section.
        'actions.yaml': replaceOnce('text: Improve the quality of assessments }', 'text: Improve the quality of assessments, owner: SECRET-OWNER Old Owner }'),
        'report.yaml': replaceOnce('      - This public paragraph follows', '      - SECRET-PARA a paragraph published then.\n      - This public paragraph follows'),
      },
      {
        // Exempt now: both; act-03's reference, exempt then, is public now.
        'actions.yaml': (t) =>
          replaceOnce('owner: SECRET-OWNER Old Owner }', 'owner: { text: SECRET-OWNER New Owner, exempt: { paragraph: 1 } } }')(
            replaceOnce('reference: { text: Para 7.7, exempt: { paragraph: 3 } }', 'reference: Para 9.9')(t),
          ),
        'report.yaml': replaceOnce('      - SECRET-PARA a paragraph published then.', '      - text: SECRET-PARA a paragraph exempt now.\n        exempt: { paragraph: 1 }'),
      },
    );
  });

  it('the public diff shows neither the old value of what is exempt now, nor the exemption', async () => {
    for (const format of FORMATS) {
      const run = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', format]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout, format).not.toMatch(/SECRET|Para 7\.7|Exempt information/);
      // Released: it reads from this version.
      expect(run.stdout, format).toContain('Para 9.9');
    }
  });

  it('the exempt audience sees each change, marked', async () => {
    const run = await csiIn(repo, ['diff', 'HEAD~1', 'HEAD', '--format', 'json', '--audience', 'exempt']);
    expect(run.stdout).toContain('SECRET-OWNER New Owner');
    expect(run.stdout).toContain('Para 7.7');
    expect(run.stdout).toContain('SECRET-PARA a paragraph exempt now');
  });
});
