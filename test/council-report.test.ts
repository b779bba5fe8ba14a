import { describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import { tableProblems } from '../src/text/tables-in-text.js';
import { buildModel } from '../src/model/report.js';
import { withhold } from '../src/model/withhold.js';
import { loadTemplates, renderHtml } from '../src/view/html.js';
import { markdownBlock } from '../src/text/markdown.js';
import { buildView } from '../src/view/view.js';
import type { Audience } from '../src/model/exempt.js';
import { seedFiles, seedText } from './helpers/data.js';

/**
 * What any council's report can say as data: its front sheet, numbering style,
 * recommendations to the committee, implications, progress section, item numbers
 * and names, and tables in text. Each is tried on the seed data with one file changed.
 */

const noLookup = () => undefined;

/** The seed's report.yaml with `extra` added at the top level and `sections` appended to its sections. */
async function reportWith(extra: string, sections = ''): Promise<string> {
  const report = await seedText('report.yaml');
  // The seed's sections end where its top-level keys after them (sign_off, keywords) begin.
  const end = report.search(/^\n?# Printed after the last section/m);
  if (end < 0) throw new Error('the seed report.yaml no longer has its sign-off comment after the sections');
  const withSections = `${report.slice(0, end)}${sections}${report.slice(end)}`;
  return withSections.replace(/^status: final$/m, `status: final\n${extra}`);
}

async function parsed(changes: Record<string, string>) {
  const result = parseDataSet(await seedFiles(changes));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.position?.file}:${p.position?.line} ${p.message}`).join('\n'));
  return result.data;
}

async function problems(changes: Record<string, string>) {
  const result = parseDataSet(await seedFiles(changes));
  if (result.ok) throw new Error('expected the data to be invalid');
  return result.problems.map((p) => ({ code: p.code, file: p.position?.file, line: p.position?.line, message: p.message, hint: p.hint }));
}

async function viewOf(changes: Record<string, string>, audience: Audience = 'public') {
  return buildView(withhold(buildModel(await parsed(changes)), audience), { css: '', generator: 'csi test' });
}

async function htmlOf(changes: Record<string, string>, audience: Audience = 'public') {
  return renderHtml(await loadTemplates([], { precompiled: false }), await viewOf(changes, audience));
}

/** The HTML's text, tags dropped and spaces collapsed: a block or a cell ends a word, a link or emphasis does not. */
const textOf = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>|<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<\/?(?:p|div|h\d|li|tr|th|td|dt|dd|caption|section|span|figcaption)\b[^>]*>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ');

/** One section of the report's HTML, by its id. */
const sectionOf = (html: string, id: string) => {
  const start = html.indexOf(`<section class="report-section" id="section-${id}"`);
  return html.slice(start, html.indexOf('</section>', start));
};

describe('numbering styles', () => {
  it('numbers sections 1.0, 2.0 and paragraphs 1.1, 1.2 by default, as the seed does', async () => {
    const view = await viewOf({});
    expect(view.sections.map((s) => s.heading).slice(0, 2)).toEqual(['1.0 Purpose of the Report', '2.0 Background']);
    expect(view.contents[0]!.label).toBe('1.0 Purpose of the Report');
    expect(view.sections[0]!.paragraphs.map((p) => p.number)).toEqual(['1.1', '1.2', '1.3']);
  });

  it('numbers sections 1., 2. with "1."', async () => {
    const view = await viewOf({ 'report.yaml': await reportWith('numbering: "1."') });
    expect(view.sections.map((s) => s.number).slice(0, 3)).toEqual(['1.', '2.', '3.']);
    expect(view.sections[1]!.paragraphs[0]!.number).toBe('2.1');
    expect(view.contents.map((c) => c.label)).toContain('8. Officer Contact');
    expect(view.outline.map((o) => o.text)).toContain('2. Background');
  });

  it('numbers nothing with none: headings, contents and bookmarks read as the titles', async () => {
    const changes = { 'report.yaml': await reportWith('numbering: none') };
    const view = await viewOf(changes);
    expect(view.sections[0]!.heading).toBe('Purpose of the Report');
    expect(view.contents[0]!.label).toBe('Purpose of the Report');
    expect(view.outline.map((o) => o.text)).toContain('Background');
    expect(view.sections[0]!.paragraphs.every((p) => p.number === '')).toBe(true);
    const html = await htmlOf(changes);
    expect(html).toContain('<h2 id="section-purpose-heading">Purpose of the Report</h2>');
    expect(html).not.toContain('class="para-number"');
  });

  it('tells an author who wrote 1.0 without quotes that YAML read it as a number', async () => {
    const report = await reportWith('numbering: 1.0');
    const found = await problems({ 'report.yaml': report });
    const line = report.split('\n').findIndex((l) => l.startsWith('numbering:')) + 1;
    expect(found).toEqual([
      {
        code: 'NOT_ALLOWED',
        file: 'report.yaml',
        line,
        message: 'the number 1 is not allowed for "numbering"',
        hint: 'YAML reads 1.0 and 1. as the number 1: write it in quotes, e.g. "1.0"',
      },
    ]);
  });
});

describe('the front sheet', () => {
  const sheet = [
    'front_sheet:',
    '  item: 7',
    "  report_of: Director of Children's Services",
    '  wards: [Central, Northfield]',
    '  portfolio: Cabinet Member for Children and Families',
    '  key_decision: false',
    '  publication: Public',
  ].join('\n');

  it('prints each line the data gives under the title, in a committee report\'s order, and the agenda item', async () => {
    const html = await htmlOf({ 'report.yaml': await reportWith(sheet) });
    expect(html).toContain('<p class="cover-item">Item 7</p>');
    const lines = [...html.matchAll(/<dt>([^<]+)<\/dt> <dd>([^<]+)<\/dd>/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(lines).toEqual([
      'Report of: Director of Children&#x27;s Services',
      'Wards affected: Central, Northfield',
      'Portfolio: Cabinet Member for Children and Families',
      'Key decision: No',
      'Public or exempt: Public',
    ]);
    // The block sits in the cover, after the title and before the contents.
    expect(html.indexOf('class="front-sheet"')).toBeGreaterThan(html.indexOf('<h1 id="top">'));
    expect(html.indexOf('class="front-sheet"')).toBeLessThan(html.indexOf('</header>'));
  });

  it('prints only the lines given, and key decision in the words given', async () => {
    const html = await htmlOf({ 'report.yaml': await reportWith('front_sheet:\n  key_decision: Yes, reference KD/2018/04') });
    const sheet = html.slice(html.indexOf('<dl class="front-sheet">'), html.indexOf('</dl>'));
    expect([...sheet.matchAll(/<dt>/g)]).toHaveLength(1);
    expect(html).toContain('<dt>Key decision</dt> <dd>Yes, reference KD/2018/04</dd>');
    expect(html).not.toContain('cover-item');
  });

  it('is not printed for the seed, which has none', async () => {
    const html = await htmlOf({});
    expect(html).not.toContain('front-sheet');
    expect(html).not.toContain('cover-item');
  });

  it('points at an unknown line with a did-you-mean hint', async () => {
    const found = await problems({ 'report.yaml': await reportWith('front_sheet:\n  ward: All') });
    expect(found).toEqual([expect.objectContaining({ code: 'UNKNOWN_KEY', hint: 'did you mean "wards"?' })]);
  });
});

describe('recommendations to the committee', () => {
  const section = (extra = '') =>
    [
      '',
      '  - id: asked',
      '    title: Recommendations',
      '    kind: recommendations',
      `    recommendations:${extra}`,
      '      - That the Committee notes the progress in [[appendix:recommendations-2014]].',
      '      - text: That the Committee agrees the confidential settlement.',
      '        exempt: { paragraph: 3 }',
      '',
    ].join('\n');

  it('prints each recommendation as a numbered paragraph of its own section, set apart', async () => {
    const html = await htmlOf({ 'report.yaml': await reportWith('', section()) });
    const part = sectionOf(html, 'asked');
    expect(part).toContain('<span class="section-number">9.0</span> Recommendations');
    expect(part).toMatch(/<div class="recommendations">\s*<div class="para" id="para-9.1">\s*<span class="para-number">9.1<\/span>/);
    expect(textOf(part)).toContain('That the Committee notes the progress in Appendix 3.');
    // The exempt recommendation keeps its number; its words stay out of the public report.
    expect(textOf(part)).toContain('9.2 Exempt information, paragraph 3 of Schedule 12A');
    expect(html).not.toContain('confidential settlement');
  });

  it('still numbers recommendations (1), (2) when the report numbers nothing else', async () => {
    const view = await viewOf({ 'report.yaml': await reportWith('numbering: none', section()) });
    expect(view.sections.at(-1)!.paragraphs.map((p) => p.number)).toEqual(['(1)', '(2)']);
  });
});

describe('implications', () => {
  const section = [
    '',
    '  - id: implications',
    '    title: Implications',
    '    kind: implications',
    '    implications:',
    '      - title: Financial',
    '        paragraphs:',
    '          - The plan is met from the existing budget.',
    '          - text: The contract is worth £1.2 million.',
    '            exempt: { paragraph: 3 }',
    '      - title: Legal',
    '        paragraphs: [There are no legal implications.]',
    '      - title: Staffing',
    '        exempt: { paragraph: 1 }',
    '        paragraphs: [Two posts are to be deleted.]',
    '',
  ].join('\n');

  it('prints the council\'s sub-headings, numbering paragraphs on through the section', async () => {
    const html = await htmlOf({ 'report.yaml': await reportWith('', section) });
    const part = textOf(sectionOf(html, 'implications'));
    expect(part).toMatch(/^ 9\.0 Implications Financial 9\.1 The plan is met from the existing budget\. 9\.2 Exempt information, paragraph 3 of Schedule 12A Legal 9\.3 There are no legal implications\. Exempt information Exempt information, paragraph 1 of Schedule 12A/);
    expect(html).toMatch(/<h3 id="section-implications-1">Financial<\/h3>/);
    expect(html).not.toContain('£1.2 million');
    expect(html).not.toContain('Staffing');
    expect(html).not.toContain('Two posts');
  });

  it('keeps everything, marked, in the exempt build, and puts each sub-heading in the bookmarks', async () => {
    const changes = { 'report.yaml': await reportWith('', section) };
    const view = await viewOf(changes, 'exempt');
    expect(view.outline.filter((o) => o.level === 3 && o.anchor.startsWith('section-implications')).map((o) => o.text)).toEqual([
      'Financial',
      'Legal',
      'Staffing',
    ]);
    const text = textOf(await htmlOf(changes, 'exempt'));
    expect(text).toContain('9.2 Exempt information, paragraph 3 of Schedule 12A The contract is worth £1.2 million.');
    expect(text).toContain('Staffing Exempt information, paragraph 1 of Schedule 12A 9.4 Two posts are to be deleted.');
  });
});

describe('progress at a glance', () => {
  const progress = '\n  - { id: progress, title: Where the Plan Stands, kind: progress }\n';

  it('is not printed unless the author places it, so the seed has none', async () => {
    const html = await htmlOf({});
    expect(html).not.toContain('Progress at a glance');
    expect(html).not.toContain('progress-chart');
  });

  it('is printed where the author places it, numbered as a section, with only the statuses some item has', async () => {
    const withStatuses = (await seedText('recommendations-2014.yaml')).replace('status: complete', 'status: at-risk');
    const html = await htmlOf({ 'report.yaml': await reportWith('', progress), 'recommendations-2014.yaml': withStatuses });
    const part = sectionOf(html, 'progress');
    expect(part).toContain('<span class="section-number">9.0</span> Where the Plan Stands');
    expect(part).toMatch(/<thead><tr><th scope="col">Appendix<\/th><th scope="col" class="num">Complete<\/th><th scope="col" class="num">At risk<\/th><th scope="col" class="num">Total<\/th><\/tr><\/thead>/);
    const text = textOf(part);
    expect(text).toContain('Recommendations and actions in Appendices 2 and 3 by status.');
    expect(text).toContain('Appendix 3 – Ofsted Recommendations and Actions Following 2014 Ofsted Inspection 22 1 23');
    // The aspirations have no status: they are left out, with no message about them.
    expect(text).not.toMatch(/Appendix 4|no status/);
    const legend = [...(part.match(/<svg[\s\S]*?<\/svg>/)![0].matchAll(/class="legend">([^<]+)</g))].map((m) => m[1]);
    expect(legend).toEqual(['Complete', 'At risk']);
  });

  it('names the items as the appendices do, or calls them items when the appendices differ', async () => {
    const aspirations = (await seedText('aspirations-2017.yaml'))
      .replace('title: Continuous', 'item_name: { one: priority, many: priorities }\ntitle: Continuous')
      .replace(/(id: aspiration-2017-01\n)/, '$1    status: on-track\n');
    const report = await reportWith('', progress);
    const mixed = textOf(await htmlOf({ 'report.yaml': report, 'aspirations-2017.yaml': aspirations }));
    expect(mixed).toContain('Items in Appendices 2, 3 and 4 by status.');
  });
});

describe('appendix item numbers and names', () => {
  it('prefixes the numbers it gives with the appendix, so none reads like a paragraph number', async () => {
    const view = await viewOf({});
    const numbers = (key: string) => {
      // Only appendices of recommendations and of aspirations are asked for here.
      const a = view.appendices.find((x) => x.key === key) as unknown as { groups?: { items: { number: string }[] }[]; aspirations?: { number: string }[] };
      return a.groups?.flatMap((g) => g.items.map((i) => i.number)) ?? a.aspirations?.map((x) => x.number) ?? [];
    };
    expect(numbers('recommendations-2012').slice(0, 2)).toEqual(['A2.1.1', 'A2.1.2']);
    expect(numbers('recommendations-2012').at(-1)).toBe('A2.3.9');
    expect(numbers('recommendations-2014').slice(0, 2)).toEqual(['A3.1', 'A3.2']);
    expect(numbers('aspirations-2017')[0]).toBe('A4.1');
    const paragraphs = new Set(view.sections.flatMap((s) => s.paragraphs.map((p) => p.number)));
    expect(Object.keys(view.appendices).flatMap(() => [...numbers('recommendations-2012'), ...numbers('recommendations-2014')]).filter((n) => paragraphs.has(n))).toEqual([]);
  });

  it("keeps an item's own number from the data, such as Ofsted's", async () => {
    const text = (await seedText('recommendations-2014.yaml'))
      .replace('- id: ofsted-2014-r01\n', '- id: ofsted-2014-r01\n        number: 7\n')
      .replace('- id: ofsted-2014-r02\n', '- id: ofsted-2014-r02\n        number: R2a\n');
    const html = await htmlOf({ 'recommendations-2014.yaml': text });
    expect(html).toMatch(/<tr id="ofsted-2014-r01">\s*<th scope="row" class="col-number">7<\/th>/);
    expect(html).toMatch(/<tr id="ofsted-2014-r02">\s*<th scope="row" class="col-number">R2a<\/th>/);
    expect(html).toMatch(/<tr id="ofsted-2014-r03">\s*<th scope="row" class="col-number">A3\.3<\/th>/);
  });

  it('refuses the same own number twice in one appendix, pointing at the second', async () => {
    const text = (await seedText('recommendations-2014.yaml'))
      .replace('- id: ofsted-2014-r01\n', '- id: ofsted-2014-r01\n        number: 7\n')
      .replace('- id: ofsted-2014-r02\n', '- id: ofsted-2014-r02\n        number: 7\n');
    const found = await problems({ 'recommendations-2014.yaml': text });
    const line = text.split('\n').findIndex((l, i, all) => l.trim() === 'number: 7' && all.slice(0, i).some((x) => x.trim() === 'number: 7')) + 1;
    expect(found).toEqual([{ code: 'DUPLICATE_NUMBER', file: 'recommendations-2014.yaml', line, message: 'number "7" is already used in this appendix', hint: undefined }]);
  });

  it('calls the items what the data calls them, in the column and the summary', async () => {
    const aspirations = (await seedText('aspirations-2017.yaml'))
      .replace('title: Continuous', 'item_name: { one: priority, many: priorities }\ntitle: Continuous')
      .replace(/(  - id: aspiration-2017-\d+\n)/g, '$1    status: on-track\n');
    const html = await htmlOf({ 'aspirations-2017.yaml': aspirations });
    const part = html.slice(html.indexOf('id="appendix-aspirations-2017"'));
    expect(part).toContain('<th scope="col">Priority</th>');
    expect(textOf(part)).toContain('All 37 priorities are on track.');
    expect(html).not.toMatch(/<th scope="col">Aspiration<\/th>/);
  });
});

describe('tables in text', () => {
  const table = ['Table: Key measures, January 2018', '| Measure | Target | Jan 2018 |', '|---|--:|--:|', '| Assessments on time | 90% | 86% |', '| Vacancy rate | 12% | 19% |'].join('\n');

  it('become accessible tables: the caption, column headers and row headers with their scope', () => {
    expect(markdownBlock(`The measures:\n\n${table}`, noLookup)).toBe(
      [
        '<p>The measures:</p>',
        '<table class="text-table">',
        '<caption>Key measures, January 2018</caption>',
        '<thead><tr><th scope="col">Measure</th><th class="align-right" scope="col">Target</th><th class="align-right" scope="col">Jan 2018</th></tr></thead>',
        '<tbody><tr><th scope="row">Assessments on time</th><td class="align-right">90%</td><td class="align-right">86%</td></tr>',
        '<tr><th scope="row">Vacancy rate</th><td class="align-right">12%</td><td class="align-right">19%</td></tr></tbody>',
        '</table>',
      ].join('\n'),
    );
  });

  it('keep only the scope and alignment the renderer gives: a table written in HTML loses everything else', () => {
    const html = markdownBlock('<table class="x" onclick="y()"><tr><th scope="bogus" style="color:red" class="align-right evil">a</th><td colspan="9">b</td></tr></table>', noLookup);
    expect(html).toBe('<table><tr><th class="align-right">a</th><td>b</td></tr></table>');
  });

  it('print in a section paragraph, in place of being flattened into a line of words', async () => {
    const report = (await seedText('report.yaml')).replace(
      '      - >-\n        The purpose of this report',
      `      - |-\n${table.split('\n').map((l) => `        ${l}`).join('\n')}\n      - >-\n        The purpose of this report`,
    );
    const html = await htmlOf({ 'report.yaml': report });
    expect(html).toContain('<caption>Key measures, January 2018</caption>');
    expect(html).toContain('<th scope="row">Vacancy rate</th>');
  });

  it('need a caption, and a row may not have more cells than the header: each is a positioned problem', async () => {
    const bad = ['| Measure | Target |', '|---|---|', '| Assessments | 90% | 86% |'].join('\n');
    const report = (await seedText('report.yaml')).replace(
      '      - >-\n        The purpose of this report',
      `      - |-\n${bad.split('\n').map((l) => `        ${l}`).join('\n')}\n      - >-\n        The purpose of this report`,
    );
    const line = report.split('\n').findIndex((l) => l.includes('| Measure | Target |'));
    const found = await problems({ 'report.yaml': report });
    expect(found).toEqual([
      expect.objectContaining({ code: 'MARKDOWN_TABLE', file: 'report.yaml', line, message: 'the table in this text has no caption: write "Table: " and what it shows on the line above it' }),
      expect.objectContaining({ code: 'MARKDOWN_TABLE', file: 'report.yaml', line, message: 'row 1 of the table in this text has 3 cells but its header has 2: the extra cells would be lost' }),
    ]);
  });

  it('cannot go in a text printed on one line or in a table cell', async () => {
    const text = (await seedText('recommendations-2014.yaml')).replace(
      "          Further improve the quality and recording of assessments, action, planning and\n          decision making",
      '          Targets:\n\n          | a | b |\n          |---|---|\n          | 1 | 2 |',
    ).replace('- id: ofsted-2014-r02\n        status: complete\n        text: >-', '- id: ofsted-2014-r02\n        status: complete\n        text: |-');
    const found = await problems({ 'recommendations-2014.yaml': text });
    expect(found).toEqual([expect.objectContaining({ code: 'MARKDOWN_TABLE', file: 'recommendations-2014.yaml', message: expect.stringContaining('a table cannot go in this text') })]);
  });

  it('are found inside lists too, and a text with pipes but no table is left alone', () => {
    expect(tableProblems('- one\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |', 'block')).toEqual([
      'the table in this text has no caption: write "Table: " and what it shows on the line above it',
    ]);
    expect(tableProblems('Either this | or that - never both.', 'inline')).toEqual([]);
    expect(tableProblems(`${table}\n\n${table}`, 'block')).toEqual([]);
  });
});
