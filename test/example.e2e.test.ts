import { readFile, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs } from '../src/pdf/printer.js';
import { runAxe } from './helpers/axe.js';
import { buildExample, tempDir } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';
import { bodyText } from './helpers/pdf.js';

/**
 * The example plan of a second, fictional council (examples/westmere/): its own
 * front sheet, "1." numbering, recommendations, progress section, Markdown table,
 * implications, priorities appendix and an exempt paragraph. It must build, and
 * read as that council's report, with nothing of the reference council in it.
 */

describeWithBrowser('the example plan of another council', () => {
  let out: string;
  let html: string;
  let pdfText: string;

  beforeAll(async () => {
    out = await tempDir('csi-example-');
    await buildExample({ outDir: out, formats: ['html', 'pdf'] });
    await buildExample({ outDir: out, formats: ['html'], audience: 'exempt' });
    html = await readFile(join(out, 'report.html'), 'utf8');
    pdfText = bodyText(join(out, 'report.pdf')).replace(/\s+/g, ' ');
  });

  it('opens with its own front sheet and numbers its sections "1."', () => {
    for (const line of [
      'Westmere Borough Council Item 7',
      "Report of Director of Children's Services",
      'Wards affected All wards',
      'Key decision No',
      'Public or exempt Public, except paragraph 6.3',
      '1. Summary',
      '2. Recommendations 2.1 That the Committee notes the progress',
      '6. Implications Financial 6.1',
    ]) {
      expect(pdfText).toContain(line);
    }
  });

  it("keeps Ofsted's numbers, calls its priorities priorities, and counts only the ratings it has", () => {
    expect(pdfText).toMatch(/No\. Status Recommendation 1 Blue Impact: Green Ensure that thresholds/);
    expect(pdfText).toContain('Of 8 recommendations: 3 blue, 4 green, 1 amber. Impact: 3 green, 4 amber, 1 red.');
    expect(pdfText).toContain('Of 4 priorities: 2 green, 1 amber, 1 red.');
    expect(pdfText).toContain('No. Status Priority A3.1 Green');
    expect(pdfText).toMatch(/Due: Sep 2018 Measure: Vacancy rate below 12% Progress: 8 offers made in February/);
    expect(pdfText).not.toMatch(/aspiration|no status recorded/i);
  });

  it('holds nothing of the reference council on its pages', () => {
    expect(pdfText).not.toMatch(/Barnsley|Continuous Service Improvement|\bOSC\b|\bBSCB\b/);
    expect(html.replace(/<meta[^>]*>/g, '')).not.toMatch(/Barnsley|Continuous Service Improvement/);
  });

  it('leaves its exempt paragraph out of the public report, and keeps it, marked, in the exempt one', async () => {
    expect(pdfText).toContain('6.3 Exempt information, paragraph 3 of Schedule 12A');
    expect(pdfText).not.toContain('Northgate');
    expect(html).not.toContain('Northgate');
    const exempt = await readFile(join(out, 'report-exempt.html'), 'utf8');
    expect(exempt).toContain('Northgate Care Partnership');
  });

  it('tags its Markdown table in the PDF as a table with a caption, column and row headers', () => {
    const struct = execFileSync('pdfinfo', ['-struct-text', join(out, 'report.pdf')], { encoding: 'utf8' });
    const table = struct.slice(struct.indexOf('"Key measures, September 2017 and January 2018') - 100);
    expect(table).toMatch(/Table \(block\)\s+Caption\s+NonStruct\s+"Key measures, September 2017 and January 2018 ?"/);
    expect(table).toMatch(/TH:\s+\/Scope \/Column\s+\/RowSpan 1\s+\/ColSpan 1\s+""\s+NonStruct\s+"Measure ?"/);
    expect(table).toMatch(/TH <node\d+>:\s+\/Scope \/Row\s+\/RowSpan 1\s+\/ColSpan 1\s+(""\s+)?NonStruct\s+"Social worker vacancy rate ?"/);
  });

  it('its HTML passes axe-core WCAG 2.0, 2.1 and 2.2 A and AA rules with no violations', async () => {
    const browser = await puppeteer.launch({ executablePath: BROWSER!, headless: 'shell', args: chromiumArgs(process.getuid?.() === 0) });
    try {
      const result = await runAxe(await browser.newPage(), html);
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      expect(result.passes.map((p) => p.id)).toEqual(expect.arrayContaining(['color-contrast', 'th-has-data-cells', 'definition-list']));
    } finally {
      await browser.close();
    }
  });

  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });
});
