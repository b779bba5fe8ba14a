import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { numberedAnchors, pageNumberHtml } from '../src/text/page-number.js';
import type { PageNumbers } from '../src/pdf/paginate.js';
import { launchPrinter } from '../src/pdf/printer.js';
import type { PdfPrinter } from '../src/pdf/printer.js';
import { destinationPages } from '../src/pdf/pages.js';
import { openPdf } from '../src/pdf/metadata.js';
import { renumberPrinted, setFigures } from '../src/pdf/renumber.js';
import type { DrawnText } from '../src/pdf/renumber.js';
import { pageNumberProblems } from '../src/pdf/check-numbers.js';
import type { PageFont } from '../src/pdf/spaces.js';
import { PDFName } from 'pdf-lib';
import { describe } from 'vitest';
import { tempDir } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';

const page = (html: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>body { font: 12pt 'Liberation Sans', sans-serif } h2 { break-before: page }</style></head><body>${html}</body></html>`;

/** A report whose contents and text show page numbers: anchor `a` is on page 2, `b` on page 3. */
const report = (shown: PageNumbers, { contentsTitle = 'Background' } = {}) =>
  page(`<h1>Report</h1>
<ol><li><a href="#a">${contentsTitle}</a> ${pageNumberHtml('a', shown.get('a'))}</li><li><a href="#b">Appendix</a> ${pageNumberHtml('b', shown.get('b'))}</li></ol>
<p>See the appendix (page ${pageNumberHtml('b', shown.get('b'))}). Figures used elsewhere: 0123456789, table 3.</p>
<h2 id="a">Background</h2><p>Text.</p><h2 id="b">Appendix</h2><p>More text.</p>`);

let printer: PdfPrinter;
let dir: string;

/** Prints the HTML, sets numbers in the PDF from `shown` to where the anchors landed; the result, and the text of the saved PDF. */
async function renumbered(html: string, shown: PageNumbers) {
  const loaded = await printer.load({ html, headerTemplate: '<span></span>', footerTemplate: '<span></span>' });
  const doc = await openPdf(await loaded.print());
  const landed = destinationPages(doc);
  const before = text(await doc.save());
  const done = renumberPrinted(doc, shown, landed, numberedAnchors(html));
  return { done, landed, before, after: text(await doc.save()) };
}

let saved = 0;
/** The text poppler reads from a PDF. */
function text(bytes: Uint8Array): string {
  const path = join(dir, `${++saved}.pdf`);
  writeFileSync(path, bytes);
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

describeWithBrowser('setting page numbers in a printed PDF', () => {
  beforeAll(async () => {
    printer = await launchPrinter({ executablePath: BROWSER! });
    dir = await tempDir('csi-renumber-');
  });
  afterAll(async () => printer?.close());

  it('changes the figures of every number shown for a moved anchor, and nothing else', async () => {
    const shown = new Map([['a', 5], ['b', 7]]);
    const { done, landed, before, after } = await renumbered(report(shown), shown);
    expect(landed.get('a')).toBe(2);
    expect(landed.get('b')).toBe(3);
    expect(done).toBe(true);
    expect(before).toMatch(/Background\s+5\n/);
    expect(after).toMatch(/Background\s+2\n/);
    expect(after).toMatch(/Appendix\s+3\n/);
    expect(after).toContain('See the appendix (page 3). Figures used elsewhere: 0123456789, table 3.');
    // Nothing else changed: the same text, line for line, but for the numbers.
    expect(after.replace(/Background\s+2\n|Appendix\s+3\n|page 3\)/g, '')).toBe(before.replace(/Background\s+5\n|Appendix\s+7\n|page 7\)/g, ''));
  });

  it('changes nothing when a number would change its length', async () => {
    const shown = new Map([['a', 5], ['b', 17]]);
    const { done, before, after } = await renumbered(report(shown), shown);
    expect(done).toBe(false);
    expect(after).toBe(before);
  });

  it('changes nothing when the font was given no glyph for a figure the number needs', async () => {
    const shown = new Map([['a', 5], ['b', 7]]);
    // No other figures on the page: the font's subset has only 5 and 7, not 2 or 3.
    const html = page(`<ol><li><a href="#a">Background</a> ${pageNumberHtml('a', 5)}</li><li><a href="#b">Appendix</a> ${pageNumberHtml('b', 7)}</li></ol>
<h2 id="a">Background</h2><h2 id="b">Appendix</h2>`);
    const { done, before, after } = await renumbered(html, shown);
    expect(done).toBe(false);
    expect(after).toBe(before);
  });

  it('changes nothing when another link to the anchor reads as its number would', async () => {
    const shown = new Map([['a', 5], ['b', 7]]);
    // The contents entry of `a` is titled "5", as its page number is: which one is the number is not certain.
    const { done, before, after } = await renumbered(report(shown, { contentsTitle: '5' }), shown);
    expect(done).toBe(false);
    expect(after).toBe(before);
  });

  describe('reading the numbers back (pdf/check-numbers.ts)', () => {
    const outline = [
      { level: 1, text: 'Report', anchor: 'report' },
      { level: 2, text: 'Background', anchor: 'a' },
      { level: 2, text: 'Appendix', anchor: 'b' },
    ];
    const COUNTS = new Map([['a', 1], ['b', 2]]);
    const printed = async (html: string) => {
      const loaded = await printer.load({ html, headerTemplate: '<span></span>', footerTemplate: '<span></span>' });
      return openPdf(await loaded.print());
    };

    it('finds nothing wrong with true numbers, and every wrong one before they are set', async () => {
      expect(pageNumberProblems(await printed(report(new Map([['a', 2], ['b', 3]]))), outline, COUNTS)).toEqual([]);
      const shown = new Map([['a', 5], ['b', 7]]);
      const doc = await printed(report(shown));
      expect(pageNumberProblems(doc, outline, COUNTS)).toEqual(['"Background" shows page 5 but is on page 2', '"Appendix" shows page 7 but is on page 3']);
      expect(renumberPrinted(doc, shown, destinationPages(doc), COUNTS)).toBe(true);
      expect(pageNumberProblems(doc, outline, COUNTS)).toEqual([]);
    });

    it('knows where headings landed from the bookmarks when the named destinations are gone, and refuses blank numbers', async () => {
      const doc = await printed(report(new Map()));
      doc.catalog.delete(PDFName.of('Dests'));
      expect(destinationPages(doc).size).toBe(0);
      expect(pageNumberProblems(doc, outline, COUNTS)).toEqual([
        '"Background" should show page 2 1 time(s), but 0 number(s) could be read',
        '"Appendix" should show page 3 2 time(s), but 0 number(s) could be read',
      ]);
      // With neither, a heading is on no page the PDF can say.
      doc.catalog.delete(PDFName.of('Outlines'));
      expect(pageNumberProblems(doc, outline, COUNTS)[0]).toBe('"Background" is on no page the PDF can say');
    });
  });
});

describe('changing the figures of a drawn number', () => {
  /** A font whose figures are each as wide as `widths` says (default 556, as Liberation Sans's are). */
  const font = (widths: Record<string, number> = {}): PageFont => ({
    bytesPerCode: 2,
    toUnicode: new Map([...'0123456789'].map((f, i) => [0x10 + i, f])),
    width: (code) => widths[String(code - 0x10)] ?? 556,
  });
  const drawn = (f: PageFont, figures: string): { bytes: Uint8Array; text: DrawnText } => {
    const hex = [...figures].map((c) => (0x10 + Number(c)).toString(16).toUpperCase().padStart(4, '0')).join('');
    const bytes = new TextEncoder().encode(`<${hex}> Tj`);
    return { bytes, text: { anchor: 'a', text: figures, glyphs: [...figures].map((c, i) => ({ at: 1 + 4 * i, font: f, code: 0x10 + Number(c) })) } };
  };

  it('sets figures of the same width', () => {
    const { bytes, text } = drawn(font(), '17');
    expect(setFigures(bytes, text, '23')).toBe(true);
    expect(new TextDecoder().decode(bytes)).toBe('<00120013> Tj');
  });

  it('changes nothing when a figure is of another width (proportional or old-style figures)', () => {
    const { bytes, text } = drawn(font({ 1: 300 }), '17');
    expect(setFigures(bytes, text, '27')).toBe(false);
    expect(new TextDecoder().decode(bytes)).toBe('<00110017> Tj');
  });

  it('changes nothing when the font has no glyph for a figure, or the number another length', () => {
    const f = font();
    f.toUnicode.delete(0x12);
    const { bytes, text } = drawn(f, '17');
    expect(setFigures(bytes, text, '27')).toBe(false);
    expect(setFigures(bytes, text, '170')).toBe(false);
    expect(new TextDecoder().decode(bytes)).toBe('<00110017> Tj');
  });
});
