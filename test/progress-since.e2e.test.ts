import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { expect, it } from 'vitest';
import { chromiumArgs } from '../src/pdf/printer.js';
import { runAxe } from './helpers/axe.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';
import { csiIn } from './helpers/git-repo.js';
import { bodyText, pageTexts, readPdf } from './helpers/pdf.js';
import { exampleRepo } from './helpers/westmere-history.js';

// The "Progress since …" section of the example plan, printed and read back: its
// sentence and table in the PDF on one page, bookmarked; its HTML passes axe.

describeWithBrowser('a "Progress since …" section in the PDF and to axe', () => {
  it('prints its sentence, chart and table on one page, and its HTML has no axe violations', async () => {
    const repo = await exampleRepo();
    const built = await csiIn(repo, ['build-report'], { env: { CSI_CHROME: BROWSER! } });
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const pdf = join(repo, 'out', 'report.pdf');
    const text = bodyText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain(
      'Since the meeting of 16 May 2017, blue recommendations rose from 0 to 3; 1 went backwards: Recommendation 4 (Blue to Green by the meeting of 21 November 2017).',
    );
    expect(text).toMatch(/16 May 2017 0 3 3 1 7 19 September 2017 2 2 2 1 7 21 November 2017 2 3 2 0 7 16 January 2018 3 2 2 0 7 13 March 2018 3 3 1 0 7/);
    // The sentence, the chart and the last row of the table share a page.
    const page = pageTexts(pdf).find((p) => p.includes('blue recommendations rose from 0 to 3'));
    expect(page?.replace(/\s+/g, ' ')).toMatch(/Recommendations in Appendix 2 by status at each meeting since 16 May 2017[\s\S]*13 March 2018 3 3 1 0 7/);
    const { outline, structure } = await readPdf(pdf, { structure: true });
    expect(JSON.stringify(outline)).toContain('Progress since the Inspection');
    // The chart is a tagged figure whose alternative text gives every count.
    expect(structure.figures.some((alt) => alt.includes('16 May 2017: 7 recommendations, 0 blue, 3 green, 3 amber, 1 red'))).toBe(true);

    const browser = await puppeteer.launch({ executablePath: BROWSER!, headless: 'shell', args: chromiumArgs(process.getuid?.() === 0) });
    try {
      const result = await runAxe(await browser.newPage(), await readFile(join(repo, 'out', 'report.html'), 'utf8'));
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      expect(result.passes.map((p) => p.id)).toEqual(expect.arrayContaining(['svg-img-alt', 'th-has-data-cells', 'color-contrast']));
    } finally {
      await browser.close();
    }
  });
});
