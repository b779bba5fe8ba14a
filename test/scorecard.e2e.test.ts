import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs } from '../src/pdf/printer.js';
import { runAxe } from './helpers/axe.js';
import { buildExample, tempDir } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';
import { bodyText, pdfinfo, readPdf, taggedText } from './helpers/pdf.js';

// The example council's performance scorecard, printed: the table and each chart's
// text alternative are in the PDF's tags, the HTML passes axe, and the exempt
// measure is on no public page, tag or metadata.

const EXEMPT = /residential|Average weekly cost|4,180|4180|3,800/i;

describeWithBrowser("the example council's scorecard", () => {
  let out: string;
  let html: string;
  let pdf: string;

  beforeAll(async () => {
    out = await tempDir('csi-scorecard-e2e-');
    await buildExample({ outDir: out, formats: ['html', 'pdf'] });
    await buildExample({ outDir: out, formats: ['html'], audience: 'exempt' });
    html = await readFile(join(out, 'report.html'), 'utf8');
    pdf = join(out, 'report.pdf');
  }, 120_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('prints the summary line and the table, worked out from the CSV, each cell in its tag', () => {
    expect(bodyText(pdf).replace(/\s+/g, ' ')).toContain('Of 11 measures: 3 green, 5 amber, 1 red, 2 not rated; 9 improving, 1 worse than a year ago.');
    const blocks = taggedText(pdf).blocks.map((b) => b.trim());
    // A row of the scorecard: its header cell (the measure, its polarity and owner), then a cell a column.
    const row = (title: string) => {
      const at = blocks.findIndex((b) => b.startsWith(`${title} Lower is better`) || b.startsWith(`${title} Higher is better`));
      return blocks.slice(at, at + 7);
    };
    expect(row('Re-referrals within 12 months')).toEqual([
      'Re-referrals within 12 months Lower is better Owner: Head of the Front Door', '20%', '18%', 'Amber', 'Improving from 24%', 'Improving from 25%', 'England 22% Statistical neighbours 21%',
    ]);
    expect(row('Social worker vacancy rate').slice(1, 6)).toEqual(['19%', '12%', 'Red', 'Worse than 17%', 'Worse than 17%']);
  });

  it("holds the table and each chart's text alternative in the PDF's tags", async () => {
    const { structure } = await readPdf(pdf, { structure: true });
    expect(structure.roles).toEqual(expect.arrayContaining(['Table', 'TH', 'TD', 'Figure']));
    const alt = structure.figures.find((f) => f.includes('Re-referrals within 12 months, Q1 2016 to Q4 2017'));
    expect(alt).toMatch(/Q3 2017 24%, Q4 2017 20%\. Target 18%; lower is better\./);
    expect(structure.figures.filter((f) => /figures by period/.test(f))).toHaveLength(11);
  });

  it('passes axe with the scorecard', async () => {
    const browser = await puppeteer.launch({ executablePath: BROWSER!, headless: 'shell', args: chromiumArgs(process.getuid?.() === 0) });
    try {
      const page = await browser.newPage();
      const result = await runAxe(page, html);
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      expect(result.passes.map((p) => p.id)).toEqual(expect.arrayContaining(['color-contrast', 'svg-img-alt', 'th-has-data-cells']));
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('shows the exempt measure on no public page, tag or metadata, and in the exempt build', async () => {
    expect(html).not.toMatch(EXEMPT);
    expect(html).not.toContain('residential-cost');
    expect(bodyText(pdf)).not.toMatch(EXEMPT);
    const { structure, info } = await readPdf(pdf, { structure: true });
    expect(JSON.stringify(structure)).not.toMatch(EXEMPT);
    expect(JSON.stringify(info)).not.toMatch(EXEMPT);
    expect(JSON.stringify(pdfinfo(pdf))).not.toMatch(EXEMPT);
    const exempt = await readFile(join(out, 'report-exempt.html'), 'utf8');
    expect(exempt).toContain('Average weekly cost of a residential placement');
  });
});
