import { execFileSync } from 'node:child_process';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDataSet } from '../src/data/dataset.js';
import { readDataDir } from '../src/data/read.js';
import { buildModel } from '../src/model/report.js';
import { withholdExempt } from '../src/model/withhold.js';
import { renderReport } from '../src/pipeline.js';
import { seedFiles, seedText, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { flatten, pageTexts, readPdf } from './helpers/pdf.js';
import { csi } from './helpers/cli.js';
import { comparable } from './helpers/seed-sentences.js';

const FIXTURE = new URL('./fixtures/exempt/', import.meta.url).pathname;

/** Keys whose values say nothing about the piece itself: its kind, status, date, or a reference to another body. */
const NOT_CONTENT = new Set(['kind', 'type', 'status', 'date', 'session', 'body', 'paragraph']);

/**
 * Everything the fixture marks exempt, read from the YAML itself: the text of
 * every piece (section, appendix, group, item or field) that carries `exempt`,
 * and the ids declared inside them.
 */
async function exemptPieces(): Promise<{ texts: string[]; ids: string[] }> {
  const texts = new Set<string>();
  const ids = new Set<string>();
  const collect = (value: unknown, key: string | undefined, inside: boolean): void => {
    if (typeof value === 'string') {
      if (inside && key === 'id') ids.add(value);
      else if (inside && key === 'key') ids.add(value);
      else if (inside && !NOT_CONTENT.has(key ?? '')) texts.add(value.trim());
    } else if (Array.isArray(value)) {
      for (const v of value) collect(v, key, inside);
    } else if (value !== null && typeof value === 'object') {
      const exempt = 'exempt' in value;
      for (const [k, v] of Object.entries(value)) if (k !== 'exempt') collect(v, k, inside || exempt);
    }
  };
  for (const name of (await readdir(FIXTURE)).filter((n) => n.endsWith('.yaml'))) {
    collect(parse(await readFile(join(FIXTURE, name), 'utf8')), undefined, false);
  }
  return { texts: [...texts], ids: [...ids] };
}

/** The words of an HTML page, without its stylesheet and tags. */
function htmlText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Which of `needles` appear in `haystack`, compared without whitespace or dashes (lines wrap in a PDF). */
function found(needles: string[], haystack: string): string[] {
  const h = comparable(haystack);
  return needles.filter((n) => h.includes(comparable(n)));
}

/**
 * The PDF's text in the order it was drawn, which keeps each table cell's words
 * together (pdftotext interleaves the lines of neighbouring cells).
 */
async function drawnText(path: string): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(await readFile(path)), isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    }
    return pages.join('\n');
  } finally {
    await doc.destroy();
  }
}

const notice = (n: number) => `Exempt information, paragraph ${n} of Schedule 12A`;

describe('marking information exempt', () => {
  async function problems(report: string) {
    const result = parseDataSet(await seedFiles({ 'report.yaml': report }));
    return result.ok ? [] : result.problems.map((p) => ({ code: p.code, message: p.message, line: p.position?.line, column: p.position?.column }));
  }

  it('takes a Schedule 12A paragraph from 1 to 7, and points at a wrong one', async () => {
    const seed = await seedText('report.yaml');
    const line = seed.split('\n').indexOf('    title: Purpose of the Report') + 2;
    expect(await problems(seed.replace('title: Purpose of the Report', 'title: Purpose of the Report\n    exempt: { paragraph: 8 }'))).toEqual([
      { code: 'INVALID_VALUE', message: 'Schedule 12A has paragraphs 1 to 7', line, column: 26 },
    ]);
    expect(await problems(seed.replace('title: Purpose of the Report', 'title: Purpose of the Report\n    exempt: { paragraph: 2 }'))).toEqual([]);
  });

  it('reads a paragraph as text or as { text, exempt }, with a clear message for a mistake in either', async () => {
    const seed = await seedText('report.yaml');
    const first = '      - >-\n        The purpose of this report';
    const line = seed.split('\n').indexOf('      - >-') + 1;
    const withParagraph = (yaml: string) => seed.replace(first, `      - ${yaml}\n${first}`);
    expect(await problems(withParagraph('{ text: Withheld., exempt: { paragraph: 1 } }'))).toEqual([]);
    expect(await problems(withParagraph('{ txt: Withheld., exempt: { paragraph: 1 } }'))).toEqual([
      { code: 'UNKNOWN_KEY', message: 'the key "txt" is not one csi knows', line, column: 11 },
    ]);
    expect(await problems(withParagraph('{ text: Withheld. }'))).toEqual([
      { code: 'MISSING_KEY', message: 'the required key "exempt" is missing', line, column: 9 },
    ]);
    expect(await problems(withParagraph('42'))).toEqual([
      { code: 'WRONG_TYPE', message: 'item 1 of "paragraphs" should be text or a mapping of keys to values, not the number 42', line, column: 9 },
    ]);
  });
});

describe('the model a public build works from', () => {
  it('holds none of the exempt text or ids, so nothing built from it can show them', async () => {
    const pieces = await exemptPieces();
    const parsed = parseDataSet(await readDataDir(FIXTURE));
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
    const full = JSON.stringify(buildModel(parsed.data));
    const json = JSON.stringify(withholdExempt(buildModel(parsed.data)));
    expect(found(pieces.texts, full)).toEqual(pieces.texts); // the test can tell
    expect(found(pieces.texts, json)).toEqual([]);
    expect(pieces.ids.filter((id) => json.includes(`"${id}"`))).toEqual([]);
  });

  it('names a withheld appendix by its stand-in where public text refers to it, so even its key is gone', async () => {
    const dir = await tempDir('csi-data-');
    await cp(FIXTURE, dir, { recursive: true });
    const report = join(dir, 'report.yaml');
    const reference = 'This public paragraph refers to [[appendix:case-review]].';
    await writeFile(report, (await readFile(report, 'utf8')).replace('      - This public paragraph follows', `      - ${reference}\n      - This public paragraph follows`));
    const { model, html } = await renderReport({ dataDir: dir, audience: 'public' });
    const withheld = model.appendices.find((a) => a.exempt && a.number === 5)!;
    expect(withheld.key).toBe('exempt-appendix-5');
    expect(JSON.stringify(model)).not.toContain('case-review');
    expect(JSON.stringify(model)).toContain(`refers to [[appendix:${withheld.key}]].`);
    expect(html).toContain(`refers to <a href="#appendix-${withheld.key}">Appendix 5</a>.`);
    expect(html).not.toContain('case-review');
    const full = await renderReport({ dataDir: dir, audience: 'exempt' });
    expect(full.html).toContain('refers to <a href="#appendix-case-review">Appendix 5</a>.');
  });

  it('counts only the items it keeps, and says some were left out', async () => {
    const parsed = parseDataSet(await readDataDir(FIXTURE));
    if (!parsed.ok) throw new Error('fixture invalid');
    const tallies = withholdExempt(buildModel(parsed.data)).appendices.flatMap((a) => ('tally' in a ? [[a.key, a.tally]] : []));
    expect(Object.fromEntries(tallies)).toEqual({
      actions: { total: 2, counts: { complete: 1, 'at-risk': 1 }, withheld: true },
      aims: { total: 1, counts: { 'on-track': 1 }, withheld: true },
    });
  });
});

describe('the public HTML of a plan full of exempt information', () => {
  let pieces: Awaited<ReturnType<typeof exemptPieces>>;
  let html: string;
  let text: string;

  beforeAll(async () => {
    pieces = await exemptPieces();
    const out = await tempDir();
    const run = await csi(['build-report', FIXTURE, '--out', out, '--format', 'html']);
    if (run.code !== 0) throw new Error(run.stderr);
    html = await readFile(join(out, 'report.html'), 'utf8');
    text = htmlText(html);
  });

  it('finds exempt pieces to look for in the fixture', () => {
    expect(pieces.texts.length).toBeGreaterThan(25);
    expect(pieces.texts).toContain('Bidder Obsidian Lantern Ltd scored highest on price at 1.7 million.');
    expect(pieces.ids).toContain('ev-2017-02-family');
  });

  it('contains none of their text, and none of their ids', () => {
    expect(found(pieces.texts, text)).toEqual([]);
    expect(found(pieces.texts, html)).toEqual([]);
    expect(pieces.ids.filter((id) => new RegExp(`["#-]${id}"`).test(html))).toEqual([]);
    // Reporting lines to a body that is left out go with it.
    expect(text).not.toContain('Fraud referrals');
  });

  it('says where each piece was left out, and keeps everything else and its numbering', () => {
    for (const n of [1, 2, 3, 4, 5, 7]) expect(text).toContain(notice(n));
    expect(html).toMatch(/<span class="para-number">1\.2<\/span>\s*<div class="para-body"><p class="exempt-notice">Exempt information, paragraph 1 of Schedule 12A<\/p>/);
    expect(html).toMatch(/<span class="para-number">1\.3<\/span>\s*<div class="para-body"><p>This public paragraph follows the exempt one/);
    expect(html).toContain('<span class="section-number">2.0</span> Exempt information</h2>');
    expect(html).toContain('Appendix 5 – Exempt information');
    for (const shown of ['Dana Public', 'Improve the quality of assessments', 'Children are safe and feel safe', 'Officer Group', 'Plan progress']) {
      expect(text).toContain(shown);
    }
  });

  it('counts only what it shows, and says that exempt items are not counted', () => {
    expect(text).toContain('Of 2 recommendations and actions: 1 complete, 1 at risk. Items exempt from publication are not counted.');
    expect(text).toContain('The only aspiration is on track. Items exempt from publication are not counted.');
  });

  it('is not marked NOT FOR PUBLICATION, and asks no robot to stay away', () => {
    expect(text).not.toContain('NOT FOR PUBLICATION');
    expect(html).not.toContain('noindex');
  });
});

describe('the exempt HTML of the same plan', () => {
  it('is written as report-exempt.html, holds every exempt piece marked, counts everything, and says NOT FOR PUBLICATION', async () => {
    const pieces = await exemptPieces();
    const out = await tempDir();
    const run = await csi(['build-report', FIXTURE, '--out', out, '--format', 'html', '--audience', 'exempt', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ audience: 'exempt', outputs: [{ format: 'html', path: join(out, 'report-exempt.html') }] });
    expect(await readdir(out)).toEqual(['report-exempt.html']);
    const html = await readFile(join(out, 'report-exempt.html'), 'utf8');
    const text = htmlText(html);
    expect(pieces.texts.filter((t) => !comparable(text).includes(comparable(t)))).toEqual([]);
    for (const n of [1, 2, 3, 4, 5, 7]) expect(text).toContain(notice(n));
    expect(text).toContain('NOT FOR PUBLICATION');
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(text).toContain('Of 4 recommendations and actions: 2 complete, 1 at risk, 1 not started.');
    expect(text).not.toContain('not counted');
  });
});

describeWithBrowser('the PDFs of a plan full of exempt information', () => {
  let pieces: Awaited<ReturnType<typeof exemptPieces>>;
  let out: string;

  beforeAll(async () => {
    pieces = await exemptPieces();
    out = await tempDir();
    for (const audience of ['public', 'exempt']) {
      const run = await csi(['build-report', FIXTURE, '--out', out, '--format', 'pdf', '--audience', audience]);
      if (run.code !== 0) throw new Error(run.stderr);
    }
  });

  it('public: none of the exempt text in the PDF\'s text, bookmarks or metadata', async () => {
    const pdf = join(out, 'report.pdf');
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    const drawn = await drawnText(pdf);
    expect(text).toContain(notice(3));
    expect(found(pieces.texts, text)).toEqual([]);
    expect(found(pieces.texts, drawn)).toEqual([]);
    expect(drawn).not.toContain('Fraud referrals');
    const { outline, info } = await readPdf(pdf);
    const metadata = [...flatten(outline), ...Object.values(info).map(String), execFileSync('pdfinfo', ['-custom', pdf], { encoding: 'utf8' })].join('\n');
    expect(flatten(outline)).toContain('2.0 Exempt information');
    expect(found(pieces.texts, metadata)).toEqual([]);
  });

  it('public: every page marked DRAFT (the plan is a draft) and none NOT FOR PUBLICATION', () => {
    for (const page of pageTexts(join(out, 'report.pdf'))) {
      expect(page).toMatch(/^\s*DRAFT\s*$/m);
      expect(page).not.toContain('NOT FOR PUBLICATION');
    }
  });

  it('exempt: every page marked NOT FOR PUBLICATION, and every exempt piece in the text', async () => {
    const pdf = join(out, 'report-exempt.pdf');
    for (const page of pageTexts(pdf)) expect(page).toContain('DRAFT · NOT FOR PUBLICATION');
    const drawn = comparable(await drawnText(pdf));
    expect(pieces.texts.filter((t) => !drawn.includes(comparable(t)))).toEqual([]);
  });
});
