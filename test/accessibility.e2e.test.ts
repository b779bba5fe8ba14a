import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildReport } from '../src/pipeline.js';
import { chromiumArgs } from '../src/pdf/printer.js';
import { runAxe } from './helpers/axe.js';
import { SEED_DATA, tempDir } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';
import { pdfinfo, readPdf, taggedText, wordDamage } from './helpers/pdf.js';


describeWithBrowser('accessibility of the seed report', () => {
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    out = await tempDir();
    await buildReport({ dataDir: SEED_DATA, outDir: out, formats: ['html', 'pdf'] });
    browser = await puppeteer.launch({ executablePath: BROWSER!, headless: 'shell', args: chromiumArgs(process.getuid?.() === 0) });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the HTML passes axe-core WCAG 2.0, 2.1 and 2.2 A and AA rules with no violations', async () => {
    const page = await browser.newPage();
    const result = await runAxe(page, await readFile(join(out, 'report.html'), 'utf8'));
    const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(summary).toEqual([]);
    // The rules that matter most here really ran.
    const passed = result.passes.map((p) => p.id);
    expect(passed).toEqual(expect.arrayContaining(['color-contrast', 'html-has-lang', 'document-title', 'th-has-data-cells', 'svg-img-alt', 'link-name']));
    await page.close();
  });

  it('the HTML nests headings strictly and opens with a skip link and the contents', async () => {
    const html = await readFile(join(out, 'report.html'), 'utf8');
    const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => {
      if (i > 0) expect(level - levels[i - 1]!, `heading ${i} jumps from h${levels[i - 1]} to h${level}`).toBeLessThanOrEqual(1);
    });
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    const body = html.slice(html.indexOf('<body>'));
    expect(body.indexOf('class="skip-link"')).toBeLessThan(body.indexOf('class="contents"'));
    expect(body.indexOf('class="contents"')).toBeLessThan(body.indexOf('<main'));
    // Every table has a caption and header cells.
    const tables = html.match(/<table[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBeGreaterThan(5);
    for (const t of tables) {
      expect(t).toMatch(/<caption[^>]*>[^<]+<\/caption>/);
      expect(t).toMatch(/<th scope="col"/);
    }
    // Glossary abbreviations are marked on first use in the text.
    expect(html).toContain('Overview and Scrutiny Committee (<abbr title="Overview and Scrutiny Committee">OSC</abbr>)');
  });

  it('the PDF is tagged, in en-GB, with headings, tables and figures with alt text in its structure', async () => {
    const { markInfo, structure, language } = await readPdf(join(out, 'report.pdf'), { structure: true });
    expect(markInfo?.Marked).toBe(true);
    expect(language).toBe('en-GB');
    for (const role of ['H1', 'H2', 'H3', 'Table', 'TH', 'TD', 'Figure', 'Link']) expect(structure.roles).toContain(role);
    expect(structure.figures.length).toBeGreaterThan(0);
    for (const alt of structure.figures) expect(alt.length).toBeGreaterThan(20);
  });

  it('the PDF has no text outside marked content: headers and footers are artifacts', async () => {
    const { strayText, artifactText } = await readPdf(join(out, 'report.pdf'), { markedContent: true });
    expect(strayText).toEqual([]);
    expect(artifactText.join(' ')).toContain('Page 1 of');
  });

  it("the PDF's tagged text has the HTML's words, none run together at a line break or cut in two, and poppler finds no fault in its structure", async () => {
    const page = await browser.newPage();
    await page.setBypassCSP(true);
    await page.setContent(await readFile(join(out, 'report.html'), 'utf8'), { waitUntil: 'load' });
    const text = await page.evaluate(
      () => `${document.body.innerText} ${Array.from(document.querySelectorAll('svg text')).map((t) => t.textContent).join(' ')}`,
    );
    await page.close();
    // The HTML has no page numbers; the PDF has them in the contents and cross-references.
    const numbersAlike = (word: string) => word.replace(/\d+/g, '#');
    const htmlWords = new Set(text.split(/\s+/).filter(Boolean).map(numbersAlike));
    const { blocks, errors } = taggedText(join(out, 'report.pdf'));
    const words = blocks.join(' ').split(/\s+/).filter(Boolean);
    expect(words.length).toBeGreaterThan(4000);
    const damage = wordDamage(blocks.map(numbersAlike), htmlWords);
    expect(damage.joined).toEqual([]);
    expect(damage.split).toEqual([]);
    expect(errors).toEqual([]);
    // The check finds what Chromium alone prints: a heading that wraps after "Children's".
    expect(wordDamage(["The Continuous Service Improvement of Children'sSocial Care"], htmlWords).joined).toEqual(["Children'sSocial"]);
  });

  it("the PDF's keywords are kept apart, and its PDF 2.0 structure types are mapped to PDF 1.7 ones", async () => {
    expect(pdfinfo(join(out, 'report.pdf')).Keywords).toBe('Barnsley Metropolitan Borough Council; Overview and Scrutiny Committee; Continuous Service Improvement');
    const { PDFDocument, PDFDict, PDFName } = await import('pdf-lib');
    const doc = await PDFDocument.load(await readFile(join(out, 'report.pdf')), { updateMetadata: false });
    const roleMap = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict).lookup(PDFName.of('RoleMap'), PDFDict);
    expect(String(roleMap.get(PDFName.of('Strong')))).toBe('/Span');
    expect(String(roleMap.get(PDFName.of('Em')))).toBe('/Span');
  });

  it('the PDF carries XMP metadata with dc:title', async () => {
    const { xmpTitle } = await readPdf(join(out, 'report.pdf'));
    expect(xmpTitle).toBe("The Continuous Service Improvement of Children's Social Care and Safeguarding Services");
  });
});
