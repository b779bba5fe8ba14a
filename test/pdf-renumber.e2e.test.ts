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
import { renumberPrinted } from '../src/pdf/renumber.js';
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
});
