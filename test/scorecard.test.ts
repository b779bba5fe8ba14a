import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import { readValuesCsv } from '../src/data/measures.js';
import { InvalidDataError } from '../src/errors.js';
import { buildModel } from '../src/model/report.js';
import type { Appendix } from '../src/model/report.js';
import { describeScorecard, directionOf, ragFor, ragWords } from '../src/model/scorecard.js';
import { PRESETS } from '../src/data/status.js';
import { withhold } from '../src/model/withhold.js';
import { buildReport } from '../src/pipeline.js';
import { seedCopy, seedFiles, tempDir } from './helpers/data.js';

/** The seed's report.yaml listing one more appendix, a scorecard. */
const withScorecard = (report: string) => report.replace('  - framework\n', '  - framework\n  - kpis\n');

const SCORECARD = `kind: scorecard
key: kpis
title: Key performance indicators
period: quarter
values_csv: kpis.csv
measures:
  - id: h-green
    title: Higher, on target
    unit: "%"
    polarity: higher
    target: 90
    tolerance: 5
    values: { 2017-Q4: 80, 2018-Q3: 88, 2018-Q4: 90 }
  - id: h-amber-edge
    title: Higher, at the amber band's edge
    unit: "%"
    polarity: higher
    target: 90
    tolerance: 5
    values: { 2017-Q4: 85, 2018-Q3: 86, 2018-Q4: 85 }
  - id: h-red
    title: Higher, just past the band
    unit: "%"
    polarity: higher
    target: 90
    tolerance: 5
    values: { 2017-Q4: 84.9, 2018-Q3: 84.9, 2018-Q4: 84.9 }
  - id: l-green
    title: Lower, under target
    unit: "%"
    polarity: lower
    target: 18
    tolerance: 3
  - id: l-amber-edge
    title: Lower, at the amber band's edge
    unit: "%"
    polarity: lower
    target: 18
    tolerance: 3
    values: { 2017-Q4: 20, 2018-Q3: 19, 2018-Q4: 21 }
  - id: l-red
    title: Lower, just past the band
    unit: "%"
    polarity: lower
    target: 18
    tolerance: 3
  - id: no-tolerance
    title: No amber band
    unit: number
    polarity: higher
    target: 50
    values: { 2018-Q3: 50, 2018-Q4: 49.9 }
  - id: missing-previous
    title: No figure for the quarter before
    unit: days
    polarity: lower
    target: 10
    tolerance: 2
    values: { 2017-Q4: 12, 2018-Q4: 11 }
  - id: no-target
    title: Reported, not rated
    unit: number
    polarity: higher
    values: { 2017-Q4: 30, 2018-Q3: 35, 2018-Q4: 33 }
  - id: not-yet
    title: Latest figure not in yet
    unit: "%"
    polarity: higher
    target: 50
    values: { 2018-Q3: 60, 2018-Q4: not yet available }
  - id: float-edge
    title: Decimals at the band's edge
    unit: "£"
    polarity: lower
    target: 0.3
    tolerance: 0.1
    values: { 2017-Q4: 0.4, 2018-Q3: 0.4, 2018-Q4: 0.4 }
`;

const CSV = `measure,period,value,england
l-green,2017-Q4,24,
l-green,2018-Q3,20,19
l-green,2018-Q4,17.5,19
l-red,2018-Q4,21.1,
l-red,2017-Q4,25,
l-red,2018-Q3,21.1,
`;

/**
 * Worked by hand: RAG at 2018-Q4 against target and tolerance; direction against
 * 2018-Q3 and 2017-Q4 by polarity (undefined: no figure to compare).
 */
const HAND_WORKED: [id: string, rag: string | undefined, sincePrevious: string | undefined, sinceYearAgo: string | undefined][] = [
  ['h-green', 'green', 'improving', 'improving'], // 90 on target 90: green; 88 → 90, 80 → 90
  ['h-amber-edge', 'amber', 'worse', 'same'], // 85 is 5 short, the tolerance exactly: amber
  ['h-red', 'red', 'same', 'same'], // 84.9 is 5.1 short: red
  ['l-green', 'green', 'improving', 'improving'], // 17.5 under 18 (from the CSV): green
  ['l-amber-edge', 'amber', 'worse', 'worse'], // 21 is 3 over, the tolerance exactly: amber; 19 → 21, 20 → 21 worse
  ['l-red', 'red', 'same', 'improving'], // 21.1 is 3.1 over: red; 25 → 21.1 better (rows out of order in the CSV)
  ['no-tolerance', 'red', 'worse', undefined], // no band: 0.1 short is red; no 2017-Q4
  ['missing-previous', 'amber', undefined, 'improving'], // no 2018-Q3 figure; 12 → 11 days, lower is better
  ['no-target', undefined, 'worse', 'improving'], // not rated without a target
  ['not-yet', undefined, undefined, undefined], // "not yet available": nothing to rate or compare
  ['float-edge', 'amber', 'same', 'same'], // 0.4 − 0.3 is 0.1000…03 in binary: still the band's edge
];

function scorecardModel(csv = CSV) {
  return seedFiles({}).then((files) => {
    files.set('report.yaml', new TextEncoder().encode(withScorecard(new TextDecoder().decode(files.get('report.yaml')))));
    files.set('kpis.yaml', new TextEncoder().encode(SCORECARD));
    files.set('kpis.csv', new TextEncoder().encode(csv));
    const result = parseDataSet(files);
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.position?.file}:${p.position?.line}:${p.position?.column} ${p.message}`).join('\n'));
    return buildModel(result.data);
  });
}

const scorecardOf = (appendices: readonly Appendix[]) => appendices.find((a): a is Extract<Appendix, { kind: 'scorecard' }> => a.kind === 'scorecard')!;

describe('a scorecard, worked out', () => {
  it('gives every measure the RAG and direction of travel worked by hand', async () => {
    const scorecard = scorecardOf((await scorecardModel()).appendices);
    expect(scorecard.latest?.label).toBe('Q4 2018');
    const worked = scorecard.measures.map((m) => [m.id, m.rag, m.sincePrevious?.direction, m.sinceYearAgo?.direction]);
    expect(worked).toEqual(HAND_WORKED);
  });

  it('says it in one line, in csi\'s own red, amber and green where the council\'s words have none', async () => {
    const scorecard = scorecardOf((await scorecardModel()).appendices);
    expect(describeScorecard(scorecard.scorecardTally, scorecard.ragWords)).toBe(
      'Of 11 measures: 2 green, 4 amber, 3 red, 2 not rated; 2 improving, 1 worse than a year ago.',
    );
  });

  it('reads figures from the CSV sorted by period, comparators with them', async () => {
    const scorecard = scorecardOf((await scorecardModel()).appendices);
    const lRed = scorecard.measures.find((m) => m.id === 'l-red')!;
    expect(lRed.figures.map((f) => f.period.id)).toEqual(['2017-Q4', '2018-Q3', '2018-Q4']);
    expect(scorecard.measures.find((m) => m.id === 'l-green')!.comparators).toEqual([{ name: 'england', value: 19 }]);
  });

  it('rates by the band for both polarities, and moves by polarity', () => {
    expect([ragFor(90, 90, 5, 'higher'), ragFor(85, 90, 5, 'higher'), ragFor(84.99, 90, 5, 'higher'), ragFor(95, 90, 5, 'higher')]).toEqual(['green', 'amber', 'red', 'green']);
    expect([ragFor(18, 18, 3, 'lower'), ragFor(21, 18, 3, 'lower'), ragFor(21.01, 18, 3, 'lower'), ragFor(10, 18, 3, 'lower')]).toEqual(['green', 'amber', 'red', 'green']);
    expect([directionOf(24, 20, 'lower'), directionOf(24, 20, 'higher'), directionOf(20, 20, 'lower')]).toEqual(['improving', 'worse', 'same']);
  });

  it("maps red, amber and green onto the council's words", () => {
    // A council whose words are called red, amber and green uses them.
    expect(Object.values(ragWords(PRESETS.rag)).map((w) => w.id)).toEqual(['red', 'amber', 'green']);
    // csi's own four have one word off course: red and amber would read the same, so csi's own RAG words print.
    expect(Object.values(ragWords(PRESETS.progress)).map((w) => w.label)).toEqual(['Red', 'Amber', 'Green']);
    // By meaning: two words off course (first amber, last red) and one on course.
    const words = [
      { id: 'good', label: 'Good', inText: 'good', colour: '#000', countsAs: 'on-course' as const },
      { id: 'concern', label: 'Some concern', inText: 'some concern', colour: '#000', countsAs: 'off-course' as const },
      { id: 'serious', label: 'Serious concern', inText: 'serious concern', colour: '#000', countsAs: 'off-course' as const },
    ];
    expect(ragWords(words)).toMatchObject({ red: { id: 'serious' }, amber: { id: 'concern' }, green: { id: 'good' } });
    // Named in the scorecard file, they win.
    expect(ragWords(words, { red: 'concern', amber: 'concern', green: 'good' }).red.id).toBe('concern');
  });

  it('leaves an exempt measure out of the public model, its count with it', async () => {
    const model = await scorecardModel();
    const marked = {
      ...model,
      appendices: model.appendices.map((a) => (a.kind === 'scorecard' ? { ...a, measures: a.measures.map((m) => (m.id === 'h-red' ? { ...m, exempt: { paragraph: 3 } } : m)) } : a)),
    };
    const scorecard = scorecardOf(withhold(marked, 'public').appendices);
    expect(JSON.stringify(scorecard)).not.toMatch(/h-red|Higher, just past the band/);
    expect(describeScorecard(scorecard.scorecardTally, scorecard.ragWords)).toBe(
      'Of 10 measures: 2 green, 4 amber, 2 red, 2 not rated; 2 improving, 1 worse than a year ago. Measures exempt from publication are not counted.',
    );
  });
});

describe('a scorecard placed in a numbered section', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const placed = (key: string) => (report: string) =>
    withScorecard(report).replace('\nsections:\n', `\nsections:\n  - id: performance\n    title: Performance\n    kind: scorecard\n    scorecard: ${key}\n    paragraphs:\n      - The scorecard for the quarter.\n`);

  it('shows its summary and table there, pointing to the appendix for the charts', async () => {
    const data = await seedCopy('report.yaml', placed('kpis'));
    dirs.push(data);
    await writeFile(join(data, 'kpis.yaml'), SCORECARD);
    await writeFile(join(data, 'kpis.csv'), CSV);
    const out = await tempDir();
    dirs.push(out);
    await buildReport({ dataDir: data, outDir: out, formats: ['html'] });
    const html = await readFile(join(out, 'report.html'), 'utf8');
    const section = html.slice(html.indexOf('id="section-performance"'), html.indexOf('id="section-performance"') + 20000).split('</section>')[0]!;
    expect(section).toContain('1.1</span>');
    expect(section).toContain('Of 11 measures: 2 green, 4 amber, 3 red, 2 not rated; 2 improving, 1 worse than a year ago.');
    expect(section).toMatch(/<th scope="row"><span class="measure-title">Lower, under target<\/span>/);
    expect(section).toContain('<a href="#appendix-kpis">Appendix 6</a>');
    expect(section).not.toContain('<svg');
  });

  it('must name a scorecard appendix', async () => {
    const files = await seedFiles({ 'kpis.yaml': SCORECARD, 'kpis.csv': CSV });
    files.set('report.yaml', new TextEncoder().encode(placed('chronology')(new TextDecoder().decode(files.get('report.yaml')))));
    const result = parseDataSet(files);
    const problems = result.ok ? [] : result.problems.map((p) => [p.code, p.position?.file, p.message]);
    expect(problems).toEqual([['UNKNOWN_APPENDIX', 'report.yaml', '"chronology" is not a scorecard appendix']]);
  });
});

describe("the performance team's CSV", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  const BAD = `measure,period,value
l-green,2018-Q4,17.5
l-green,2018-Q3,twenty
l-red,2018-Q4,21.1
l-red,2018-Q4,21
"re-referals",2018-Q4,20
l-red,2018-Q3,120
`;

  it('names the row and column of every bad cell', () => {
    const measures = [
      { id: 'l-green', unit: '%' as const, periods: new Set<string>() },
      { id: 'l-red', unit: '%' as const, periods: new Set<string>() },
    ];
    const { problems } = readValuesCsv('kpis.csv', new TextEncoder().encode(BAD), 'quarter', measures);
    expect(problems.map((p) => [p.code, p.position?.line, p.position?.column, p.message])).toEqual([
      ['WRONG_TYPE', 3, 17, 'row 3, column "value": "twenty" is not a number'],
      ['DUPLICATE_PERIOD', 5, 7, 'row 5, column "period": 2018-Q4 is already given for "l-red" on row 4'],
      ['UNKNOWN_MEASURE', 6, 1, 'row 6, column "measure": no measure has the id "re-referals"'],
      ['INVALID_VALUE', 7, 15, 'row 7, column "value": 120 is not a percentage: write a number from 0 to 100, without the % sign'],
    ]);
  });

  it('stops the build with every problem and writes nothing', async () => {
    const data = await seedCopy('report.yaml', withScorecard);
    dirs.push(data);
    await writeFile(join(data, 'kpis.yaml'), SCORECARD);
    await writeFile(join(data, 'kpis.csv'), BAD);
    const out = await tempDir();
    dirs.push(out);
    const error = await buildReport({ dataDir: data, outDir: out, formats: ['html'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDataError);
    const problems = (error as InvalidDataError).problems.map((p) => `${p.position?.file}:${p.position?.line}:${p.position?.column} ${p.code}`);
    expect(problems).toEqual(['kpis.csv:3:17 WRONG_TYPE', 'kpis.csv:5:7 DUPLICATE_PERIOD', 'kpis.csv:6:1 UNKNOWN_MEASURE', 'kpis.csv:7:15 INVALID_VALUE']);
    expect(await readdir(out)).toEqual([]);
  });

  it('requires a figure, or "not yet available", for the latest period', async () => {
    const files = await seedFiles({ 'kpis.yaml': SCORECARD, 'kpis.csv': CSV.replace('l-red,2018-Q4,21.1,\n', '') });
    files.set('report.yaml', new TextEncoder().encode(withScorecard(new TextDecoder().decode(files.get('report.yaml')))));
    const result = parseDataSet(files);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map((p) => [p.code, p.position?.file, p.position?.line, p.message]);
    expect(problems).toEqual([['NO_LATEST_VALUE', 'kpis.yaml', 41, '"l-red" has no figure for Q4 2018, the scorecard\'s latest period']]);
  });

  it('refuses periods out of order or written wrong in the YAML file, with their place', async () => {
    const bad = SCORECARD.replace('{ 2017-Q4: 80, 2018-Q3: 88, 2018-Q4: 90 }', '{ 2018-Q3: 88, 2017-Q4: 80, 2018-Q4: 90 }').replace('2017-Q4: 85, 2018-Q3', '2017-Q5: 85, 2018-Q3');
    const files = await seedFiles({ 'kpis.yaml': bad, 'kpis.csv': CSV });
    files.set('report.yaml', new TextEncoder().encode(withScorecard(new TextDecoder().decode(files.get('report.yaml')))));
    const result = parseDataSet(files);
    const problems = result.ok ? [] : result.problems.map((p) => [p.code, p.position?.line, p.message]);
    expect(problems).toEqual([
      ['PERIOD_ORDER', 13, '2017-Q4 comes after 2018-Q3: periods go in order, oldest first'],
      ['INVALID_FORMAT', 20, '"2017-Q5" is not a quarter: write it YYYY-Qn, e.g. "2018-Q1"'],
    ]);
  });
});
