import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import { addChangesAppendix } from '../src/diff/appendix.js';
import { diffPlans } from '../src/diff/plan-change.js';
import type { PlanSide } from '../src/diff/plan-change.js';
import { buildModel } from '../src/model/report.js';
import { withhold } from '../src/model/withhold.js';
import { readDataDir } from '../src/data/read.js';
import { seedFiles, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { commit, csiIn, gitIn, gitRepo, replaceOnce } from './helpers/git-repo.js';
import { flatten, readPdf } from './helpers/pdf.js';

// Exempt information withheld from both sides of a comparison. In a plan with an
// exempt appendix, an exempt group and exempt items, changes of every kind inside
// each of them (added, reworded, status changed, moved, removed) must reach no
// public output, and reach the exempt audience marked.

/** The lines of the item `id` in a YAML file: from its "- id:" line to the next item at that depth or less. */
function itemBlock(text: string, id: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trimStart() === `- id: ${id}`);
  if (start < 0) throw new Error(`no item ${id}`);
  const indent = lines[start]!.indexOf('-');
  let end = start + 1;
  while (end < lines.length && lines[end]!.trim() !== '' && lines[end]!.search(/\S/) > indent) end++;
  return `${lines.slice(start, end).join('\n')}\n`;
}

const without = (id: string) => (text: string) => replaceOnce(itemBlock(text, id), '')(text);
/** Moves item `id` to just after item `after`. */
const moveAfter = (id: string, after: string) => (text: string) => {
  const block = itemBlock(text, id);
  const rest = replaceOnce(block, '')(text);
  const anchor = itemBlock(rest, after);
  return replaceOnce(anchor, `${anchor}${block}`)(rest);
};
const pipe = (...edits: ((text: string) => string)[]) => (text: string) => edits.reduce((t, e) => e(t), text);

const SECRETS = ['SECRET-1', 'SECRET-2', 'SECRET-3', 'SECRET-4', 'SECRET-5', 'SECRET-6'];
/** Every id that is exempt, or inside something exempt, in either version. */
const EXEMPT_IDS = [
  'aspirations-2017',
  'aspiration-2017-01',
  'aspiration-2017-03',
  'aspiration-2017-04',
  'aspiration-2017-05',
  'aspiration-2017-06',
  'aspiration-2017-99',
  'dfe-notice-2012',
  'dfe-notice-r01',
  'dfe-notice-r02',
  'dfe-notice-r03',
  'dfe-notice-r07',
  'dfe-notice-r99',
  'ofsted-2014-r02',
  'ofsted-2014-r05',
  'ofsted-2014-r99',
];
/** The titles of the exempt appendix and group. */
const EXEMPT_TITLES = [
  'Continuous Service Improvement Plan 2017 Aspirations',
  'Notice Recommendations (Improvement Notice) from the Department for Education (DfE)',
];

const notice = (n: number) => `Exempt information, paragraph ${n} of Schedule 12A`;

/**
 * Which of the exempt words, ids and titles `text` holds: none, for a public output.
 * (The report's own narrative names the aspirations appendix, in public words the
 * council wrote: a whole report is checked for titles only where csi writes them.)
 */
function leaks(text: string, titles = true): string[] {
  return [...SECRETS, ...EXEMPT_IDS, ...(titles ? EXEMPT_TITLES : [])].filter((s) => text.includes(s));
}

/** The changes appendix of a report's text: from its last "Changes since". */
const changesPart = (text: string) => text.slice(text.lastIndexOf('Changes since'));

/** The seed, then a commit marking an appendix, a group and two items exempt (tagged m1), then one changing them all. */
async function planRepo(): Promise<string> {
  const repo = await gitRepo([
    {
      message: 'Mark exempt information',
      files: {
        'data/aspirations-2017.yaml': replaceOnce('kind: aspirations\n', 'kind: aspirations\nexempt: { paragraph: 2 }\n'),
        'data/recommendations-2012.yaml': replaceOnce('  - id: dfe-notice-2012\n', '  - id: dfe-notice-2012\n    exempt: { paragraph: 3 }\n'),
        'data/recommendations-2014.yaml': pipe(
          replaceOnce('- id: ofsted-2014-r02\n        status: complete', '- id: ofsted-2014-r02\n        exempt: { paragraph: 1 }\n        status: complete'),
          replaceOnce('- id: ofsted-2014-r05\n        status: complete', '- id: ofsted-2014-r05\n        exempt: { paragraph: 4 }\n        status: complete'),
        ),
      },
    },
  ]);
  gitIn(repo, ['tag', 'm1']);
  await commit(repo, {
    message: 'Quarterly update',
    files: {
      // Inside the exempt appendix: added, reworded, status changed, moved, removed.
      'data/aspirations-2017.yaml': pipe(
        (t) => `${t.trimEnd()}\n  - id: aspiration-2017-99\n    status: at-risk\n    text: SECRET-1 a new aspiration\n`,
        replaceOnce('or avoided\n', 'or avoided SECRET-2\n'),
        replaceOnce('  - id: aspiration-2017-03\n    text:', '  - id: aspiration-2017-03\n    status: at-risk\n    text:'),
        moveAfter('aspiration-2017-04', 'aspiration-2017-05'),
        without('aspiration-2017-06'),
      ),
      'data/recommendations-2012.yaml': pipe(
        // Inside the exempt group: the same five.
        (t) => {
          const last = itemBlock(t, 'dfe-notice-r07');
          return replaceOnce(last, `${last}      - id: dfe-notice-r99\n        status: not-started\n        text: SECRET-3 a new notice recommendation\n`)(t);
        },
        replaceOnce('in accordance with the IRO handbook', 'in accordance with the IRO handbook SECRET-4'),
        replaceOnce('status: complete\n        reference: Para 5.3', 'status: at-risk\n        reference: Para 5.3'),
        moveAfter('dfe-notice-r03', 'dfe-notice-r04'),
        without('dfe-notice-r07'),
        // The one public change.
        replaceOnce('- id: ofsted-2012-r03\n        status: complete', '- id: ofsted-2012-r03\n        status: on-track'),
      ),
      // Exempt items in a public group: one reworded, status changed and moved; one added; one removed.
      'data/recommendations-2014.yaml': pipe(
        replaceOnce('decision making\n', 'decision making SECRET-5\n'),
        (t) => replaceOnce(itemBlock(t, 'ofsted-2014-r02'), itemBlock(t, 'ofsted-2014-r02').replace('status: complete', 'status: at-risk'))(t),
        moveAfter('ofsted-2014-r02', 'ofsted-2014-r04'),
        without('ofsted-2014-r05'),
        (t) => {
          const last = itemBlock(t, 'ofsted-2014-r06');
          return replaceOnce(last, `${last}      - id: ofsted-2014-r99\n        exempt: { paragraph: 1 }\n        status: at-risk\n        text: SECRET-6 a new exempt recommendation\n`)(t);
        },
      ),
    },
  });
  return repo;
}

interface DiffJson {
  audience: string;
  summary: { text: string };
  added: { id: string; exempt?: { paragraph: number; notice: string } }[];
  removed: { id: string; exempt?: { paragraph: number; notice: string } }[];
  moved: { id: string; exempt?: { paragraph: number; notice: string } }[];
  changed: { id: string; exempt?: { paragraph: number; notice: string } }[];
}

describe('csi diff of a plan whose exempt parts changed', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await planRepo();
  });

  it('has a change of each kind inside each exempt part (the exempt audience sees them all)', async () => {
    const run = await csiIn(repo, ['diff', 'm1', 'HEAD', '--audience', 'exempt', '--format', 'json']);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout) as DiffJson;
    const ids = (list: { id: string }[]) => list.map((e) => e.id).sort();
    expect(ids(json.added)).toEqual(['aspiration-2017-99', 'dfe-notice-r99', 'ofsted-2014-r99']);
    expect(ids(json.removed)).toEqual(['aspiration-2017-06', 'dfe-notice-r07', 'ofsted-2014-r05']);
    expect(ids(json.moved)).toEqual(['aspiration-2017-04', 'dfe-notice-r03', 'ofsted-2014-r02']);
    expect(ids(json.changed)).toEqual(['aspiration-2017-01', 'aspiration-2017-03', 'dfe-notice-r01', 'dfe-notice-r02', 'ofsted-2012-r03', 'ofsted-2014-r02']);
  });

  it('shows the public none of them, in any format: no text, id, title, count, move or position', async () => {
    for (const format of ['text', 'markdown', 'json', 'html']) {
      for (const audience of [[], ['--audience', 'public']]) {
        const run = await csiIn(repo, ['diff', 'm1', 'HEAD', '--format', format, ...audience]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(leaks(run.stdout), format).toEqual([]);
        expect(run.stdout, format).not.toContain('Exempt information');
        expect(run.stdout, format).toContain('1 recommendation went backwards (Complete → On track).');
      }
    }
    const json = JSON.parse((await csiIn(repo, ['diff', 'm1', 'HEAD', '--format', 'json'])).stdout) as DiffJson & { counts: unknown };
    expect(json.audience).toBe('public');
    expect(json.counts).toEqual({ added: 0, removed: 0, moved: 0, changed: 1 });
    expect(json.changed.map((e) => e.id)).toEqual(['ofsted-2012-r03']);
    const text = (await csiIn(repo, ['diff', 'm1', 'HEAD'])).stdout;
    // Only the heading of the one public change: no exempt appendix's or group's.
    expect(text.split('\n').filter((l) => /^Appendix/.test(l))).toEqual(['Appendix 2 – Recommendations and Actions Following 2012 Ofsted Inspection']);
  });

  it('marks every change the exempt audience sees inside an exempt part, in every format', async () => {
    const json = JSON.parse((await csiIn(repo, ['diff', 'm1', 'HEAD', '--audience', 'exempt', '--format', 'json'])).stdout) as DiffJson;
    expect(json.audience).toBe('exempt');
    const marks = Object.fromEntries(
      [...json.added, ...json.removed, ...json.moved, ...json.changed].map((e) => [e.id, e.exempt?.notice ?? 'public']),
    );
    expect(marks).toEqual({
      'aspiration-2017-01': notice(2),
      'aspiration-2017-03': notice(2),
      'aspiration-2017-04': notice(2),
      'aspiration-2017-06': notice(2),
      'aspiration-2017-99': notice(2),
      'dfe-notice-r01': notice(3),
      'dfe-notice-r02': notice(3),
      'dfe-notice-r03': notice(3),
      'dfe-notice-r07': notice(3),
      'dfe-notice-r99': notice(3),
      'ofsted-2012-r03': 'public',
      'ofsted-2014-r02': notice(1),
      'ofsted-2014-r05': notice(4),
      'ofsted-2014-r99': notice(1),
    });
    const marked = {
      text: (n: number) => `[${notice(n)}]`,
      markdown: (n: number) => `· **${notice(n)}**`,
      html: (n: number) => `<strong class="exempt-notice">${notice(n)}</strong>`,
    };
    for (const [format, mark] of Object.entries(marked)) {
      const run = await csiIn(repo, ['diff', 'm1', 'HEAD', '--audience', 'exempt', '--format', format]);
      for (const secret of SECRETS) expect(run.stdout, format).toContain(secret);
      // One mark per exempt entry: 5 in the appendix, 5 in the group, 3 exempt items.
      const count = (n: number) => run.stdout.split(mark(n)).length - 1;
      expect([count(2), count(3), count(1) + count(4)], format).toEqual([5, 5, 3]);
    }
  });

  it('csi log: the public sees no history of an exempt item, the exempt audience sees it marked', async () => {
    // Never public: no history at all, as for an id that never was.
    const hidden = await csiIn(repo, ['log', 'dfe-notice-r99']);
    expect(hidden.code).toBe(2);
    expect(hidden.stdout).toBe('');
    expect(hidden.stderr).toContain('no item with id "dfe-notice-r99"');
    // Public before m1 and exempt now: what is exempt now has no public history, from any version.
    for (const id of ['dfe-notice-r02', 'ofsted-2014-r02']) {
      const before = await csiIn(repo, ['log', id, '--format', 'json']);
      expect(before.code).toBe(2);
      expect(before.stdout).toBe('');
      expect(before.stderr).toContain(`no item with id "${id}"`);
      expect(before.stderr).not.toContain('SECRET');
      expect(before.stderr).not.toContain('Exempt information');
    }

    const shown = await csiIn(repo, ['log', 'dfe-notice-r02', '--audience', 'exempt']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`[${notice(3)}]`);
    // An exempt id is not suggested to the public either.
    expect((await csiIn(repo, ['log', 'aspiration-2017-9'])).stderr).not.toContain('aspiration-2017-99');
  });

  it('build-report --changes-since: the public HTML holds none of it; the exempt HTML holds it, marked', async () => {
    const out = await tempDir();
    const built = await csiIn(repo, ['build-report', 'data', '--changes-since', 'm1', '--format', 'html', '--out', out]);
    expect(built.stderr).toBe('');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(changesPart(html)).toContain('1 recommendation moved from Complete to On track.');
    expect(leaks(html, false)).toEqual([]);
    expect(leaks(changesPart(html))).toEqual([]);

    const exempt = await csiIn(repo, ['build-report', 'data', '--changes-since', 'm1', '--format', 'html', '--out', out, '--audience', 'exempt']);
    expect(exempt.stderr).toBe('');
    const members = await readFile(join(out, 'report-exempt.html'), 'utf8');
    const changes = members.slice(members.lastIndexOf('Changes since'));
    for (const secret of SECRETS) expect(changes).toContain(secret);
    expect(changes).toContain(`<span class="exempt-notice">${notice(3)}</span>`);
  });
});

describeWithBrowser('the public PDF of a plan whose exempt parts changed', () => {
  it('holds none of it in its text, metadata, bookmarks or tags', async () => {
    const repo = await planRepo();
    const out = await tempDir();
    const built = await csiIn(repo, ['build-report', 'data', '--changes-since', 'm1', '--format', 'pdf', '--out', out]);
    expect(built.stderr).toBe('');
    const pdf = join(out, 'report.pdf');
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(changesPart(text)).toContain('1 recommendation moved from Complete to On track.');
    expect(leaks(text, false)).toEqual([]);
    expect(leaks(changesPart(text).replace(/\s+/g, ' '))).toEqual([]);
    const { outline, info, xmpTitle, structure } = await readPdf(pdf, { structure: true });
    const metadata = [
      ...flatten(outline),
      ...Object.values(info).map(String),
      xmpTitle ?? '',
      execFileSync('pdfinfo', ['-custom', '-meta', pdf], { encoding: 'utf8' }),
      ...structure.figures,
    ];
    expect(flatten(outline)).toContain('Changes to Appendix 2 – Recommendations and Actions Following 2012 Ofsted Inspection');
    expect(leaks(metadata.join('\n'))).toEqual([]);
    expect(leaks((await readFile(pdf)).toString('latin1'), false)).toEqual([]);
  });
});

describe('exempt fields and list entries of public items', () => {
  const FIXTURE = new URL('./fixtures/exempt/', import.meta.url).pathname;
  const side = (name: string): PlanSide => ({ source: 'directory', name, location: name, meetingDate: '2018-03-20' });

  /** The exempt fixture, with some of its files edited. */
  async function fixture(edits: Record<string, (text: string) => string> = {}) {
    const files = await readDataDir(FIXTURE);
    for (const [name, edit] of Object.entries(edits)) files.set(name, new TextEncoder().encode(edit(new TextDecoder().decode(files.get(name)))));
    const parsed = parseDataSet(files);
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.position?.file}:${p.position?.line} ${p.message}`).join('\n'));
    return parsed.data;
  }

  it('are compared for the public only where public in both versions, and marked for the exempt audience', async () => {
    const before = await fixture();
    const after = await fixture({
      'report.yaml': pipe(
        replaceOnce('      - This public paragraph explains', '      - A new public opening paragraph.\n      - This public paragraph explains'),
        replaceOnce('Jessamine Quillfeather', 'Jessamine Quillfeather NEWSECRET-a'),
        replaceOnce('role: Adopter,', 'role: Adopter NEWSECRET-b,'),
        replaceOnce('Marigold Fostering Agency', 'Marigold Fostering Agency NEWSECRET-c'),
        replaceOnce('thistlewood-advice', 'thistlewood-advice-NEWSECRET-d'),
        replaceOnce('07700 900461', '07700 900999'),
      ),
      'governance.yaml': pipe(
        replaceOnce('found the board ineffective.', 'found the board ineffective NEWSECRET-e.'),
        replaceOnce('Cllr Philippa Oakenshott', 'Cllr Philippa Oakenshott NEWSECRET-f'),
        replaceOnce('Copperbeech team', 'Copperbeech team NEWSECRET-g'),
        replaceOnce('what: Fraud referrals', 'what: Fraud referrals NEWSECRET-h'),
      ),
      'actions.yaml': pipe(
        replaceOnce('Interim manager Ravenscroft-Udall', 'Interim manager Ravenscroft-Udall NEWSECRET-i'),
        replaceOnce('Para 7.7', 'Para 7.8'),
        replaceOnce('{ id: act-01, status: complete,', '{ id: act-01, status: at-risk,'),
      ),
    });
    const forPublic = diffPlans({ side: side('before'), data: before }, { side: side('after'), data: after }, 'public');
    const json = JSON.stringify(forPublic);
    expect(json).not.toMatch(/NEWSECRET|900999|900461|Para 7\.[78]|Jessamine|Marigold|Quenby|Oakenshott|Ravenscroft|Fraud/);
    expect(forPublic.entries.map((e) => [e.id, e.fields.map((f) => f.field)])).toEqual([
      ['purpose', ['paragraphs']],
      ['act-01', ['status']],
    ]);
    // The new paragraph is 1.1; the exempt one after it moved down, and says nothing.
    expect(forPublic.entries[0]!.fields[0]!.list).toEqual([{ op: 'added', to: 1, text: 'A new public opening paragraph.' }]);
    expect(forPublic.summary.map((p) => p.text)).toEqual(['1 action went backwards (Complete → At risk)', '1 section reworded']);

    const forMembers = diffPlans({ side: side('before'), data: before }, { side: side('after'), data: after }, 'exempt');
    expect(forMembers.entries.map((e) => [e.id, e.exempt?.paragraph ?? 'public'])).toEqual([
      ['purpose', 1],
      ['witnesses', 2],
      ['links', 5],
      ['officer-contact', 1],
      ['governance', 7],
      ['act-01', 'public'],
      ['act-03', 3], // its reference (paragraph 3) comes before its owner (paragraph 1)
      ['board', 1],
      ['group', 7],
    ]);
    for (const secret of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) expect(JSON.stringify(forMembers)).toContain(`NEWSECRET-${secret}`);
  });
});

describe('the changes appendix, built from the model', () => {
  const side = (name: string): PlanSide => ({ source: 'directory', name, location: name, meetingDate: '2017-09-19' });

  it('cannot put a comparison made for the exempt audience into a public report', async () => {
    const parsed = parseDataSet(await seedFiles());
    if (!parsed.ok) throw new Error('seed invalid');
    const data = parsed.data;
    const model = withhold(buildModel(data), 'public');
    const forMembers = diffPlans({ side: side('a'), data }, { side: side('b'), data }, 'exempt');
    expect(() => addChangesAppendix(model, forMembers)).toThrow(/exempt audience reached a public report/);
    const forPublic = addChangesAppendix(model, diffPlans({ side: side('a'), data }, { side: side('b'), data }, 'public'));
    expect(forPublic.appendices.at(-1)).toMatchObject({ kind: 'changes', change: { audience: 'public' } });
  });
});
