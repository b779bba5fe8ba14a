import { describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import type { CsiError } from '../src/errors.js';
import { seedFiles, seedText } from './helpers/data.js';

function problems(result: ReturnType<typeof parseDataSet>): { code: string; at: string; message: string; hint?: string }[] {
  if (result.ok) return [];
  return result.problems.map((p: CsiError) => ({
    code: p.code,
    at: `${p.position?.file}:${p.position?.line}:${p.position?.column}`,
    message: p.message,
    ...(p.hint ? { hint: p.hint } : {}),
  }));
}

/** 1-based line number of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`"${needle}" not in text`);
  return index + 1;
}

describe('the seed data set', () => {
  it('is valid, with every appendix in order', async () => {
    const result = parseDataSet(await seedFiles());
    expect(problems(result)).toEqual([]);
    if (!result.ok) return;
    expect(result.data.appendices.map((a) => a.key)).toEqual([
      'chronology',
      'recommendations-2012',
      'recommendations-2014',
      'aspirations-2017',
      'framework',
    ]);
  });
});

describe('schema problems point at the line to fix', () => {
  it('an unknown key, at the key, with a did-you-mean hint', async () => {
    const text = (await seedText('recommendations-2014.yaml')).replace('    status: complete', '    statsu: complete');
    const result = parseDataSet(await seedFiles({ 'recommendations-2014.yaml': text }));
    const line = lineOf(text, 'statsu');
    expect(problems(result)).toEqual(
      expect.arrayContaining([
        { code: 'UNKNOWN_KEY', at: `recommendations-2014.yaml:${line}:9`, message: 'the key "statsu" is not one csi knows', hint: 'did you mean "status"?' },
      ]),
    );
  });

  it('a missing key, at the mapping that lacks it', async () => {
    const text = (await seedText('recommendations-2014.yaml')).replace(/^ +status: complete\n/m, '');
    const result = parseDataSet(await seedFiles({ 'recommendations-2014.yaml': text }));
    expect(problems(result)[0]).toEqual({
      code: 'MISSING_KEY',
      at: `recommendations-2014.yaml:${lineOf(text, 'id: ofsted-2014-r01')}:9`,
      message: 'the required key "status" is missing',
      hint: 'use one of: complete, on-track, at-risk, not-started',
    });
  });

  it('a wrong type, with a hint to quote it', async () => {
    const text = (await seedText('report.yaml')).replace(/^council: .*$/m, 'council: 42');
    const result = parseDataSet(await seedFiles({ 'report.yaml': text }));
    expect(problems(result)).toEqual([
      {
        code: 'WRONG_TYPE',
        at: `report.yaml:${lineOf(text, 'council: 42')}:10`,
        message: '"council" should be text, not the number 42',
        hint: 'quote it: "42"',
      },
    ]);
  });

  it('a status outside the allowed set, listing the allowed ones', async () => {
    const text = (await seedText('recommendations-2012.yaml')).replace('status: complete', 'status: done');
    const [first] = problems(parseDataSet(await seedFiles({ 'recommendations-2012.yaml': text })));
    expect(first).toMatchObject({
      code: 'NOT_ALLOWED',
      at: `recommendations-2012.yaml:${lineOf(text, 'status: done')}:17`,
      hint: 'use one of: complete, on-track, at-risk, not-started (the status words chosen by "statuses" in csi.config.yaml; the built-in four if it sets none)',
    });
  });

  it('a date that does not exist', async () => {
    const text = (await seedText('chronology.yaml')).replace('date: 2012-06', 'date: 2012-02-30');
    const [first] = problems(parseDataSet(await seedFiles({ 'chronology.yaml': text })));
    expect(first).toEqual({
      code: 'INVALID_DATE',
      at: `chronology.yaml:${lineOf(text, '2012-02-30')}:11`,
      message: '"2012-02-30" is not a real date: February 2012 has 29 days',
    });
  });

  it('collects every problem in every file at once', async () => {
    const report = (await seedText('report.yaml')).replace('status: final', 'status: published');
    const chronology = (await seedText('chronology.yaml')).replace('event: >-', 'events: >-');
    const found = problems(parseDataSet(await seedFiles({ 'report.yaml': report, 'chronology.yaml': chronology })));
    expect(found.map((p) => [p.at.split(':')[0], p.code])).toEqual([
      ['chronology.yaml', 'UNKNOWN_KEY'],
      ['report.yaml', 'NOT_ALLOWED'],
    ]);
  });
});

describe('checks across files', () => {
  it('a duplicate id names both places', async () => {
    const text = (await seedText('aspirations-2017.yaml')).replace('id: aspiration-2017-02', 'id: aspiration-2017-01');
    expect(problems(parseDataSet(await seedFiles({ 'aspirations-2017.yaml': text })))).toEqual([
      {
        code: 'DUPLICATE_ID',
        at: `aspirations-2017.yaml:${text.split('\n').lastIndexOf('  - id: aspiration-2017-01') + 1}:9`,
        message: `id "aspiration-2017-01" is already used at aspirations-2017.yaml:${lineOf(text, 'id: aspiration-2017-01')}:9`,
        hint: 'every item needs its own id; ids are how the diff and history follow it',
      },
    ]);
  });

  it('an id reused in another file is caught too', async () => {
    const text = (await seedText('aspirations-2017.yaml')).replace('id: aspiration-2017-02', 'id: ofsted-2014-r01');
    const [first] = problems(parseDataSet(await seedFiles({ 'aspirations-2017.yaml': text })));
    expect(first?.message).toMatch(/^id "ofsted-2014-r01" is already used at recommendations-2014\.yaml:\d+:\d+$/);
  });

  it('a reference to an appendix that does not exist', async () => {
    const text = (await seedText('report.yaml')).replace('[[appendix:chronology]]', '[[appendix:chronolgy]]');
    const [first] = problems(parseDataSet(await seedFiles({ 'report.yaml': text })));
    expect(first).toMatchObject({ code: 'UNKNOWN_REFERENCE', message: '[[appendix:chronolgy]] refers to no appendix' });
  });

  it('a framework body reporting to a body that does not exist', async () => {
    const text = (await seedText('framework.yaml')).replace('{ body: lead-member,', '{ body: lead-members,');
    const [first] = problems(parseDataSet(await seedFiles({ 'framework.yaml': text })));
    expect(first).toMatchObject({
      code: 'UNKNOWN_REFERENCE',
      at: expect.stringMatching(new RegExp(`^framework\\.yaml:${lineOf(text, 'lead-members')}:`)),
    });
  });

  it('a chronology out of date order', async () => {
    const text = (await seedText('chronology.yaml')).replace('date: 2012-08', 'date: 2012-05');
    const [first] = problems(parseDataSet(await seedFiles({ 'chronology.yaml': text })));
    expect(first).toMatchObject({ code: 'CHRONOLOGY_ORDER', at: `chronology.yaml:${lineOf(text, '2012-05')}:11` });
  });

  it('no chronology problem for an entry dated by its month alone, before, among or after that month\'s dated entries', async () => {
    const seed = await seedText('chronology.yaml');
    const august = (dates: string[]) =>
      seed.replace('  - id: chr-2012-08-1\n    date: 2012-08\n', dates.map((d, i) => `  - id: aug-${i}\n    date: ${d}\n    event: In August\n`).join('') +
        '  - id: chr-2012-08-1\n    date: 2012-08\n');
    for (const order of [['2012-08', '2012-08-03', '2012-08-17'], ['2012-08-03', '2012-08', '2012-08-17'], ['2012-08-03', '2012-08-17', '2012-08']]) {
      expect(problems(parseDataSet(await seedFiles({ 'chronology.yaml': august(order) }))), order.join(' ')).toEqual([]);
    }
    // Dated entries still keep their order, whatever month-only entries stand between them.
    const found = problems(parseDataSet(await seedFiles({ 'chronology.yaml': august(['2012-08-17', '2012-08', '2012-08-03']) })));
    expect(found.map((p) => `${p.code} ${p.message}`)).toEqual(['CHRONOLOGY_ORDER "2012-08-03" is earlier than "2012-08-17", an entry above it']);
  });

  it('a missing report.yaml', async () => {
    const files = await seedFiles();
    files.delete('report.yaml');
    expect(problems(parseDataSet(files))[0]).toMatchObject({ code: 'MISSING_FILE', at: 'report.yaml:1:1' });
  });
});

describe('hostile and broken files', () => {
  it('a YAML syntax error', async () => {
    const [first] = problems(parseDataSet(await seedFiles({ 'glossary.yaml': 'terms:\n  - { term: BMBC, definition: x\n' })));
    expect(first).toMatchObject({ code: 'YAML_SYNTAX', at: expect.stringMatching(/^glossary\.yaml:\d+:\d+$/) });
  });

  it('a duplicate key is an error, not last-one-wins', async () => {
    const [first] = problems(parseDataSet(await seedFiles({ 'glossary.yaml': 'terms: []\nterms: []\n' })));
    expect(first).toMatchObject({ code: 'DUPLICATE_KEY', at: 'glossary.yaml:2:1' });
  });

  it('an alias bomb stops at the alias limit', async () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    ].join('\n');
    const [first] = problems(parseDataSet(await seedFiles({ 'glossary.yaml': bomb })));
    expect(first).toMatchObject({ code: 'ALIAS_LIMIT', at: 'glossary.yaml:2:8' });
  });

  it('empty, binary and non-UTF-8 files', async () => {
    const files = await seedFiles({ 'glossary.yaml': '  \n' });
    files.set('binary.yaml', new Uint8Array([0x6b, 0x00, 0x01]));
    files.set('latin1.yaml', new Uint8Array([...new TextEncoder().encode('key: caf'), 0xe9, 0x0a]));
    expect(problems(parseDataSet(files)).map((p) => [p.code, p.at])).toEqual([
      ['BINARY_FILE', 'binary.yaml:1:2'], // at the NUL byte
      ['EMPTY_FILE', 'glossary.yaml:1:1'],
      ['NOT_UTF8', 'latin1.yaml:1:9'],
    ]);
  });

  it('a byte-order mark and CRLF line endings are accepted', async () => {
    const text = '\ufeff' + (await seedText('glossary.yaml')).replace(/\n/g, '\r\n');
    expect(problems(parseDataSet(await seedFiles({ 'glossary.yaml': text })))).toEqual([]);
  });
});

describe('one mistake, one message', () => {
  it('a misspelt required key is reported once, as unknown with a suggestion', async () => {
    const text = (await seedText('recommendations-2014.yaml')).replace(/^( +)status: complete$/m, '$1statsu: complete');
    const found = problems(parseDataSet(await seedFiles({ 'recommendations-2014.yaml': text })));
    expect(found).toEqual([
      {
        code: 'UNKNOWN_KEY',
        at: `recommendations-2014.yaml:${lineOf(text, 'statsu')}:9`,
        message: 'the key "statsu" is not one csi knows',
        hint: 'did you mean "status"?',
      },
    ]);
  });
});

describe('one reader', () => {
  // `+.5` is a number in YAML 1.2 (0.5): a definition must be quoted to be text.
  const glossary = 'terms:\n  - term: half\n    definition: +.5\n';

  it('reads a file the same whatever is wrong in the others', async () => {
    const alone = problems(parseDataSet(await seedFiles({ 'glossary.yaml': glossary })));
    const report = (await seedText('report.yaml')).replace(/^author: .*$/m, 'author:');
    const beside = problems(parseDataSet(await seedFiles({ 'glossary.yaml': glossary, 'report.yaml': report })));
    const definition = { code: 'WRONG_TYPE', at: 'glossary.yaml:3:17', message: '"definition" should be text, not the number 0.5', hint: 'quote it: "+.5"' };
    expect(alone).toEqual([definition]);
    expect(beside).toContainEqual(definition);
    expect(beside.map((p) => p.code).sort()).toEqual(['EMPTY_TEXT', 'WRONG_TYPE']);
  });

  it('reads numbers as YAML 1.2 does, in every file', async () => {
    // 1_000 and 0b101 are text in YAML 1.2 (js-yaml read them as numbers); 0x1f is the number 31.
    for (const [written, problem] of [['1_000', []], ['0b101', []], ['0x1f', ['"definition" should be text, not the number 31']]] as const) {
      const found = problems(parseDataSet(await seedFiles({ 'glossary.yaml': glossary.replace('+.5', written) })));
      expect(found.map((p) => p.message), written).toEqual(problem);
    }
  });

  it('asks for a number meant as text to be quoted as it was typed, not as YAML read it', async () => {
    const found = problems(parseDataSet(await seedFiles({ 'glossary.yaml': glossary.replace('+.5', '0x1f') })));
    expect(found.map((p) => p.hint)).toEqual(['quote it: "0x1f"']);
  });
});
