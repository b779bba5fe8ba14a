import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { parseDataSet } from '../src/data/dataset.js';
import { readDataDir } from '../src/data/read.js';
import { InvalidDataError } from '../src/errors.js';
import { PRESETS } from '../src/data/status.js';
import type { StatusScheme } from '../src/data/status.js';
import { buildReport, renderReport } from '../src/pipeline.js';
import { chromiumArgs } from '../src/pdf/printer.js';
import { runAxe } from './helpers/axe.js';
import { csi } from './helpers/cli.js';
import { tempDir } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';
import { bodyText } from './helpers/pdf.js';

// A council whose plan is rated Red / Amber / Green (Blue for done), with two further
// ratings per action: impact (RAG) and confidence (words of its own).
const RAG = new URL('./fixtures/rag/', import.meta.url).pathname;
const RAG_CONFIG = join(RAG, 'csi.config.yaml');
const RAG_DATA = join(RAG, 'data');

const ragScheme = async (): Promise<StatusScheme> => (await loadConfig(RAG_CONFIG)).statuses;

/** The fixture's data with one file edited, in a folder of its own. */
async function ragCopy(file?: string, edit?: (text: string) => string): Promise<string> {
  const dir = await tempDir('csi-rag-');
  await cp(RAG_DATA, dir, { recursive: true });
  if (file && edit) await writeFile(join(dir, file), edit(await readFile(join(dir, file), 'utf8')));
  return dir;
}

/** A config file with this text, and the problems loading it gives. */
async function configProblems(text: string) {
  const dir = await tempDir('csi-config-');
  await writeFile(join(dir, 'csi.config.yaml'), text);
  try {
    await loadConfig(join(dir, 'csi.config.yaml'));
    return [];
  } catch (error) {
    if (!(error instanceof InvalidDataError)) throw error;
    return error.problems.map((p) => ({ code: p.code, at: `${p.position?.line}:${p.position?.column}`, message: p.message, hint: p.hint }));
  }
}

/** Problems with the fixture's data after an edit, checked against the fixture's words. */
async function dataProblems(file: string, edit: (text: string) => string) {
  const result = parseDataSet(await readDataDir(await ragCopy(file, edit)), { statuses: await ragScheme() });
  return result.ok ? [] : result.problems.map((p) => ({ code: p.code, at: `${p.position?.file}:${p.position?.line}:${p.position?.column}`, message: p.message, hint: p.hint }));
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('a council\'s status words in csi.config.yaml', () => {
  it('are csi\'s own four without a config, a preset by name, or a list of its own', async () => {
    const none = await csi(['validate', RAG_DATA, '--json']);
    expect(JSON.parse(none.stdout).errors[0]).toMatchObject({ code: 'NOT_ALLOWED', message: 'the text "blue" is not allowed for "status"' });

    const scheme = await ragScheme();
    expect(scheme.status).toEqual(PRESETS.rag);
    expect(scheme.status.map((w) => [w.id, w.label, w.countsAs])).toEqual([
      ['blue', 'Blue', 'done'],
      ['green', 'Green', 'on-course'],
      ['amber', 'Amber', 'off-course'],
      ['red', 'Red', 'off-course'],
    ]);
    expect(scheme.ratings.map((r) => [r.key, r.label, r.vocabulary.map((w) => `${w.id}:${w.colour}`)])).toEqual([
      ['impact', 'Impact', ['blue:#005ea5', 'green:#00703c', 'amber:#a35200', 'red:#d4351c']],
      // A colour left out is the one for what the status counts as.
      ['confidence', 'Confidence', ['high:#1d4f76', 'medium:#7a5200', 'low:#8a1c1c']],
    ]);
  });

  it('read in a sentence in lower case unless they say otherwise or start with capitals', async () => {
    const dir = await tempDir('csi-config-');
    await writeFile(join(dir, 'csi.config.yaml'), [
      'statuses:',
      '  - { id: met, label: Met, counts_as: done }',
      '  - { id: partly-met, label: Partially met, counts_as: on-course }',
      '  - { id: nhs-led, label: NHS led, counts_as: on-course }',
      '  - { id: late, label: Late, counts_as: off-course, in_text: running late }',
    ].join('\n'));
    const { statuses } = await loadConfig(join(dir, 'csi.config.yaml'));
    expect(statuses.status.map((w) => w.inText)).toEqual(['met', 'partially met', 'NHS led', 'running late']);
  });

  it('are checked like the rest of the config, at the line to fix', async () => {
    expect(await configProblems('statuses: RAG\n')).toEqual([
      { code: 'NOT_ALLOWED', at: '1:11', message: 'the text "RAG" is not allowed for "statuses"', hint: 'did you mean "rag"? use one of: progress, rag' },
    ]);
    expect(await configProblems([
      'statuses:',
      '  - { id: met, label: Met, counts_as: done }',
      '  - { id: met, label: Met again, counts_as: done }',
      '  - { id: faint, label: Faint, counts_as: on-course, colour: "#ffcc00" }',
      '  - { id: odd, label: Odd, counts_as: finished }',
      'ratings:',
      '  - { key: owner, label: Owner, statuses: rag }',
    ].join('\n'))).toEqual([
      { code: 'NOT_ALLOWED', at: '5:39', message: 'the text "finished" is not allowed for "counts_as"', hint: 'use one of: done, on-course, off-course, not-started' },
    ]);
    expect(await configProblems([
      'statuses:',
      '  - { id: met, label: Met, counts_as: done }',
      '  - { id: met, label: Met again, counts_as: done }',
      '  - { id: faint, label: Faint, counts_as: on-course, colour: "#ffcc00" }',
      'ratings:',
      '  - { key: owner, label: Owner, statuses: rag }',
      '  - { key: impact, label: Impact, statuses: rag }',
      '  - { key: impact, label: Impact again, statuses: rag }',
    ].join('\n'))).toEqual([
      { code: 'DUPLICATE_ID', at: '3:11', message: 'status "met" is listed twice', hint: 'each status needs its own id' },
      {
        code: 'LOW_CONTRAST',
        at: '4:62',
        message: 'status "faint" colour #ffcc00 has a contrast of 1.5:1 on white; text needs at least 4.5:1',
        hint: 'choose a darker colour; the report must meet WCAG 2.2 AA',
      },
      {
        code: 'INVALID_VALUE',
        at: '6:12',
        message: '"owner" is already a key of every item; a rating needs a key of its own',
        hint: 'name it after what it rates, e.g. "impact"',
      },
      { code: 'DUPLICATE_ID', at: '8:12', message: 'rating "impact" is listed twice', hint: undefined },
    ]);
  });

  it('still take a colour from `colours` for a status named complete, on-track, at-risk or not-started', async () => {
    const dir = await tempDir('csi-config-');
    await writeFile(join(dir, 'csi.config.yaml'), 'colours:\n  at-risk: "#6b0f0f"\n');
    const { statuses } = await loadConfig(join(dir, 'csi.config.yaml'));
    expect(statuses.status.find((w) => w.id === 'at-risk')?.colour).toBe('#6b0f0f');
  });
});

describe('statuses and ratings in the data', () => {
  it('are the council\'s words: its fixture plan is valid with its config', async () => {
    const run = await csi(['validate', RAG_DATA], {}, RAG);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('refuse a near miss, naming the word to write', async () => {
    const text = await readFile(join(RAG_DATA, 'ofsted-2017.yaml'), 'utf8');
    const line = lineOf(text, 'status: amber');
    expect(await dataProblems('ofsted-2017.yaml', (t) => t.replace('status: amber', 'status: Amber'))).toEqual([
      {
        code: 'NOT_ALLOWED',
        at: `ofsted-2017.yaml:${line}:17`,
        message: 'the text "Amber" is not allowed for "status"',
        hint: 'did you mean "amber"? use one of: blue, green, amber, red (the status words chosen by "statuses" in csi.config.yaml; the built-in four if it sets none)',
      },
    ]);
  });

  it('check each rating against its own words, and its key against the ratings the config names', async () => {
    const text = await readFile(join(RAG_DATA, 'ofsted-2017.yaml'), 'utf8');
    const line = lineOf(text, 'ratings: { impact: amber, confidence: medium }');
    const problems = await dataProblems('ofsted-2017.yaml', (t) =>
      t.replace('ratings: { impact: amber, confidence: medium }', 'ratings: { impact: Medium, confidance: medium }'),
    );
    expect(problems).toEqual([
      {
        code: 'NOT_ALLOWED',
        at: `ofsted-2017.yaml:${line}:28`,
        message: 'the text "Medium" is not allowed for "impact"',
        hint: 'use one of: blue, green, amber, red (the status words chosen by "statuses" in csi.config.yaml; the built-in four if it sets none)',
      },
      { code: 'UNKNOWN_KEY', at: `ofsted-2017.yaml:${line}:36`, message: 'the key "confidance" is not one csi knows', hint: 'did you mean "confidence"?' },
    ]);
  });

  it('take a due date by the plan\'s date rules, and any text as a reference', async () => {
    const text = await readFile(join(RAG_DATA, 'ofsted-2017.yaml'), 'utf8');
    const line = lineOf(text, 'due: 2017-12');
    expect(await dataProblems('ofsted-2017.yaml', (t) => t.replace('due: 2017-12', 'due: 2017-13'))).toEqual([
      { code: 'INVALID_DATE', at: `ofsted-2017.yaml:${line}:14`, message: expect.stringContaining('2017-13'), hint: undefined },
    ]);
    expect(await dataProblems('ofsted-2017.yaml', (t) => t.replace('reference: Ofsted recommendation 1', 'reference: "Ofsted, 2017: rec. 1 (of 11)"'))).toEqual([]);
  });
});

describe('the report of a plan rated Red / Amber / Green', () => {
  const render = async (audience: 'public' | 'exempt' = 'public') =>
    renderReport({ dataDir: RAG_DATA, statuses: await ragScheme(), audience, env: { SOURCE_DATE_EPOCH: '1520985600' } });

  it('counts statuses and each rating in the council\'s words', async () => {
    const { view } = await render();
    const appendix = view.appendices[0] as { summary: string; groups: { summary: string }[] };
    expect(appendix.summary).toBe(
      'Of 6 recommendations and actions: 2 blue, 2 green, 1 amber, 1 red. Impact: 2 green, 2 amber, 1 red (5 rated). Confidence: 2 high, 1 medium, 1 low (4 rated).',
    );
    expect(appendix.groups.map((g) => g.summary)).toEqual([
      'Of 4 in this group: 1 blue, 1 green, 1 amber, 1 red. Impact: 1 green, 2 amber, 1 red. Confidence: 1 high, 1 medium, 1 low (3 rated).',
      'Of 2 in this group: 1 blue, 1 green. Impact: 1 green (1 rated). Confidence: 1 high (1 rated).',
    ]);
    expect((view.appendices[1] as { summary: string }).summary).toBe('Of 2 aspirations with a status: 1 green, 1 red.');
  });

  it('names every status in words beside its colour, in tables, the chart and its legend', async () => {
    const { html } = await render();
    expect(html).toContain('<span class="status status-blue">Blue</span><span class="rating">Impact: <span class="status rating-impact-green">Green</span></span><span class="rating">Confidence: <span class="status rating-confidence-high">High</span></span>');
    // No status span is empty: a colour never stands alone.
    expect(html).not.toMatch(/<span class="status [^"]*"><\/span>/);
    expect(html).toContain(':where(.status-red) { color: #d4351c; }');
    expect(html).toContain(':where(.seg-amber) { fill: #a35200; }');
    expect(html).toContain(':where(.rating-confidence-medium) { color: #7a5200; }');
    for (const label of ['Blue', 'Green', 'Amber', 'Red']) expect(html).toContain(`class="legend">${label}</text>`);
    expect(html).toMatch(/<th scope="col" class="num">Blue<\/th><th scope="col" class="num">Green<\/th><th scope="col" class="num">Amber<\/th><th scope="col" class="num">Red<\/th>/);
    expect(html).toContain('Appendix 1: 6 items, 2 blue, 2 green, 1 amber, 1 red.');
    expect(html).not.toMatch(/status-(complete|on-track|at-risk|not-started)"|>(Complete|On track|At risk|Not started)</);
  });

  it('prints each action\'s reference, owner, due date, measure and progress under its text', async () => {
    const { html } = await render();
    expect(html).toContain(
      'Ensure that referrals are screened promptly by qualified social workers <span class="reference">(Ofsted recommendation 1)</span><br><span class="owner">Owner: Head of Safeguarding</span>' +
        '<br><span class="detail">Due: Dec 2017</span><br><span class="detail">Measure: Every referral screened within one working day</span>' +
        '<br><span class="detail">Progress: Screening team in place since <strong>October 2017</strong>; audit in January found no delays.</span>',
    );
    expect(html).toContain('<span class="detail">Due: Jan/Apr 2018</span>');
    expect(html).toContain('<span class="detail">Due: 31 Mar 2018</span>');
  });

  it('withholds a progress note that is exempt on its own, and shows it marked to members', async () => {
    const publicHtml = (await render('public')).html;
    expect(publicHtml).not.toContain("named carer's illness");
    expect(publicHtml).toContain('Progress: <span class="exempt-notice">Exempt information, paragraph 1 of Schedule 12A</span>');
    expect((await render('exempt')).html).toContain(
      'Progress: Two reviews late because of a named carer\'s illness. <span class="exempt-notice">Exempt information, paragraph 1 of Schedule 12A</span>',
    );
  });
});

describe('csi diff of a plan rated Red / Amber / Green', () => {
  it('names the council\'s labels, and a status that counts as done is "completed"', async () => {
    const before = await ragCopy();
    const after = await ragCopy('ofsted-2017.yaml', (t) =>
      t
        .replace('status: green\n        ratings: { impact: amber, confidence: medium }', 'status: amber\n        ratings: { impact: red, confidence: medium }')
        .replace('status: red\n', 'status: blue\n'),
    );
    const text = await csi(['diff', before, after], { CSI_CONFIG: RAG_CONFIG });
    expect(text.stderr).toBe('');
    // A change of rating is an update; a change of status says what the status is now, and a move
    // down the council's list (Green → Amber) is named as going backwards, never counted as progress.
    expect(text.stdout).toContain('1 recommendation went backwards (Green → Amber), 1 recommendation completed, 1 recommendation updated.');
    expect(text.stdout).toContain('Recommendation A1.1.2 (ofsted-2017-r02) went backwards (Green → Amber), updated\n      Status: Green → Amber\n      Impact: Amber → Red\n');
    expect(text.stdout).toContain('Recommendation A1.1.4 (ofsted-2017-r04) completed\n      Status: Red → Blue\n');
    const json = JSON.parse((await csi(['diff', before, after, '--format', 'json'], { CSI_CONFIG: RAG_CONFIG })).stdout);
    expect(json.changed[0].fields).toEqual([
      { field: 'status', from: 'green', to: 'amber' },
      { field: 'impact', from: 'amber', to: 'red' },
    ]);
  });

  it("puts the council's words into the changes appendix a committee reads: \"moved from Green to Amber\"", async () => {
    const before = await ragCopy();
    const after = await ragCopy('ofsted-2017.yaml', (t) =>
      t.replace('status: green\n        ratings: { impact: amber, confidence: medium }', 'status: amber\n        ratings: { impact: red, confidence: medium }'),
    );
    const out = await tempDir('csi-rag-changes-');
    const built = await csi(['build-report', after, '--changes-since', before, '--format', 'html', '--out', out], { CSI_CONFIG: RAG_CONFIG });
    expect(built.stderr).toBe('');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    const appendix = html.slice(html.indexOf('<section class="appendix" id="appendix-changes-since"'));
    expect(appendix).toContain('1 recommendation moved from Green to Amber; 1 recommendation updated.');
    expect(appendix).toContain('<span class="change-field">Status:</span> was Green, now Amber');
    expect(appendix).toContain('<span class="change-field">Impact:</span> was Amber, now Red');
    expect(appendix).not.toMatch(/On track|At risk|Complete\b/);
  });
});

describe('what a plan calls its items', () => {
  /** The fixture's priorities, named so (`item_name`), with a third one rated green. */
  const named = (t: string) =>
    t.replace('title: Priorities for 2018\n', 'title: Priorities for 2018\nitem_name: { one: priority, many: priorities }\n').replace(
      'Children in care say they are listened to',
      'Children in care say they are listened to\n    status: green',
    );

  it('counts changes in its own words, one and many, in csi diff and in the changes appendix', async () => {
    const before = await ragCopy('priorities-2018.yaml', named);
    const after = await ragCopy('priorities-2018.yaml', (t) => named(t).replaceAll('status: green', 'status: amber'));
    const text = await csi(['diff', before, after], { CSI_CONFIG: RAG_CONFIG });
    expect(text.stderr).toBe('');
    expect(text.stdout).toContain('2 priorities went backwards (Green → Amber).');
    const out = await tempDir('csi-rag-named-');
    const built = await csi(['build-report', after, '--changes-since', before, '--format', 'html', '--out', out], { CSI_CONFIG: RAG_CONFIG });
    expect(built.stderr).toBe('');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html.slice(html.indexOf('id="appendix-changes-since"'))).toContain('2 priorities moved from Green to Amber.');
  });
});

describe('csi schema', () => {
  it('writes schemas with the statuses and ratings csi.config.yaml names, for editors', async () => {
    const out = await tempDir('csi-schemas-');
    const run = await csi(['schema', '--out', out], {}, RAG);
    expect(run.code).toBe(0);
    const schema = JSON.stringify(JSON.parse(await readFile(join(out, 'recommendations.schema.json'), 'utf8')));
    expect(schema).toContain('"status":{"type":"string","enum":["blue","green","amber","red"],"description":"Where it stands: blue, green, amber or red. Counts in the report are computed from it."}');
    expect(schema).toContain('"confidence":{"type":"string","enum":["high","medium","low"],"description":"Confidence: high, medium or low."}');
  });
});

describeWithBrowser('the HTML and PDF of a plan rated Red / Amber / Green', () => {
  let out: string;
  beforeAll(async () => {
    out = await tempDir('csi-rag-out-');
    await buildReport({ dataDir: RAG_DATA, outDir: out, formats: ['html', 'pdf'], statuses: await ragScheme() });
  }, 120_000);

  it('the HTML passes axe-core\'s WCAG 2.2 AA rules, colour contrast of every status and rating included', async () => {
    const browser = await puppeteer.launch({ executablePath: BROWSER!, headless: 'shell', args: chromiumArgs(process.getuid?.() === 0) });
    try {
      const result = await runAxe(await browser.newPage(), await readFile(join(out, 'report.html'), 'utf8'));
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      expect(result.passes.map((p) => p.id)).toContain('color-contrast');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('prints the statuses, ratings and details in words', async () => {
    const text = bodyText(join(out, 'report.pdf')).replace(/\s+/g, ' ');
    for (const words of [
      'Blue Green Amber Red',
      'Of 6 recommendations and actions: 2 blue, 2 green, 1 amber, 1 red.',
      'Impact: Green',
      'Confidence: Medium',
      'Due: Dec 2017',
      'Measure: Every referral screened within one working day',
    ]) {
      expect(text).toContain(words);
    }
  });
});
