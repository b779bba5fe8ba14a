import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs } from '../src/pdf/printer.js';
import { runAxe } from './helpers/axe.js';
import { buildExample, tempDir, TRACKER_EXAMPLE_CONFIG } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';
import { bodyText } from './helpers/pdf.js';

/**
 * The example plan shaped like a council RAG tracker (examples/eastmoor/): no theme, areas
 * above actions, its own columns, numbering and due words. It must build, tagged, read as
 * that council's report, and pass axe-core with its shaded status cells.
 */
describeWithBrowser("the example of a council's RAG tracker", () => {
  let out: string;
  let html: string;
  let pdfText: string;

  beforeAll(async () => {
    out = await tempDir('csi-tracker-example-');
    await buildExample({ outDir: out, formats: ['html', 'pdf'] }, TRACKER_EXAMPLE_CONFIG);
    html = await readFile(join(out, 'report.html'), 'utf8');
    pdfText = bodyText(join(out, 'report.pdf')).replace(/\s+/g, ' ');
  });
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('prints its areas and actions in its own columns, with its due words and the overdue action', () => {
    expect(pdfText).toContain('Of 27 actions: 5 blue, 14 green, 7 amber, 1 red. 1 overdue.');
    expect(pdfText).toContain('AFI 4 – The sufficiency of homes for children in care');
    expect(pdfText).toContain('Lead: Head of Corporate Parenting · Overall RAG: Amber');
    expect(pdfText).toMatch(/Ref Action Lead Due RAG Update 1\.1 Agree a threshold document/);
    // pdftotext reads the due cell's second line ("Overdue") among the row's lines, where it falls beside the update.
    expect(pdfText).toMatch(/4\.2 Open a four-bed children's home in Eastmoor\. Head of Corporate Parenting 31 December 2024 Amber .{0,200}\bOverdue\b.{0,120} 4\.3 Publish/);
    expect(pdfText).toMatch(/2\.2 Complete assessments within 45 working days\. Service Manager, Assessment Ongoing Amber/);
  });

  it('is tagged, holds nothing of the reference council, and leaves its exempt paragraph out', () => {
    expect(execFileSync('pdfinfo', [join(out, 'report.pdf')], { encoding: 'utf8' })).toMatch(/^Tagged:\s+yes/m);
    expect(pdfText).not.toMatch(/Barnsley|Continuous Service Improvement/);
    expect(pdfText).toContain('6.2 Exempt information, paragraph 3 of Schedule 12A');
    expect(html).not.toContain('£2.1 million');
  });

  it('its HTML passes axe-core WCAG 2.0, 2.1 and 2.2 A and AA rules, shaded cells included', async () => {
    const browser = await puppeteer.launch({ executablePath: BROWSER!, headless: 'shell', args: chromiumArgs(process.getuid?.() === 0) });
    try {
      const result = await runAxe(await browser.newPage(), html);
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      expect(result.passes.map((p) => p.id)).toEqual(expect.arrayContaining(['color-contrast', 'th-has-data-cells']));
    } finally {
      await browser.close();
    }
  });
});
