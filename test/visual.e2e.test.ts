import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildReport } from '../src/pipeline.js';
import { chromiumArgs } from '../src/pdf/printer.js';
import { buildExample, SEED_DATA, tempDir, TRACKER_EXAMPLE_CONFIG } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';
import { bodyText } from './helpers/pdf.js';

/**
 * Visual regression: chosen pages of the seed report's PDF and of the example plan of
 * another council (examples/westmere/), and of the seed's HTML at 390 px and 1280 px,
 * rendered to PNG and compared with the committed references in
 * test/visual-references/. To accept an intended
 * change of layout, run `UPDATE_VISUAL=1 npx vitest run test/visual.e2e.test.ts`,
 * look at the new PNGs, and commit them.
 */
const REFERENCES = new URL('./visual-references/', import.meta.url).pathname;
const UPDATE = process.env.UPDATE_VISUAL === '1';
/** Share of pixels allowed to differ (anti-aliasing noise), and pixelmatch's per-pixel colour threshold. */
const MAX_DIFF_SHARE = 0.002;
const THRESHOLD = 0.1;
/** Where the page's last footer line (provenance) starts, as a share of its height. */
const PROVENANCE_LINE = 0.965;

function renderPage(pdf: string, page: number, dir: string): PNG {
  const prefix = join(dir, `page-${page}`);
  execFileSync('pdftoppm', ['-png', '-r', '50', '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix]);
  return PNG.sync.read(readFileSync(`${prefix}.png`));
}

/** Compares a rendered image with its reference (or writes the reference under UPDATE_VISUAL=1); `rows` limits the comparison to the top rows. */
async function compareWithReference(name: string, actual: PNG, dir: string, rows = actual.height): Promise<void> {
  const referencePath = join(REFERENCES, `${name}.png`);
  if (UPDATE) {
    await mkdir(REFERENCES, { recursive: true });
    await writeFile(referencePath, PNG.sync.write(actual));
    return;
  }
  const expected = PNG.sync.read(await readFile(referencePath));
  expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
  const width = actual.width;
  const top = (png: PNG) => png.data.subarray(0, width * rows * 4);
  const diff = new PNG({ width, height: rows });
  const differing = pixelmatch(top(expected), top(actual), diff.data, width, rows, { threshold: THRESHOLD });
  const share = differing / (width * rows);
  if (share > MAX_DIFF_SHARE) {
    await writeFile(join(dir, `${name}-diff.png`), PNG.sync.write(diff));
    await writeFile(join(dir, `${name}-actual.png`), PNG.sync.write(actual));
  }
  expect(share, `${(share * 100).toFixed(2)}% of pixels differ; see ${dir}/${name}-diff.png`).toBeLessThanOrEqual(MAX_DIFF_SHARE);
}

/**
 * Compares the named pages of a report with their references: `build` prints the
 * report into a folder and says which page each name is.
 */
function comparePages(names: string[], build: (dir: string) => Promise<{ pdf: string; pages: Record<string, number> }>) {
  let pdf: string;
  let dir: string;
  let pages: Record<string, number> = {};

  beforeAll(async () => {
    dir = await tempDir();
    ({ pdf, pages } = await build(dir));
  });

  for (const name of names) {
    it(`page "${name}" matches its reference image`, async () => {
      expect(pages[name], `found the ${name} page`).toBeGreaterThan(0);
      // The footer's last line, where a draft (or a build with --provenance) says which commit and
      // data it came from, changes with every commit to data/: it is left out of the comparison.
      const actual = renderPage(pdf, pages[name]!, dir);
      await compareWithReference(name, actual, dir, Math.floor(actual.height * PROVENANCE_LINE));
    });
  }
}

/** The first line of each page's body, to find a page by its heading. */
const firstLines = (pdf: string) => bodyText(pdf).split('\f').map((p) => p.split('\n').find((l) => l.trim()) ?? '');

describeWithBrowser('how the report looks', () => {
  comparePages(['cover-and-contents', 'appendix-2-start', 'appendix-5-framework'], async (dir) => {
    await buildReport({ dataDir: SEED_DATA, outDir: dir, formats: ['pdf'] });
    const pdf = join(dir, 'report.pdf');
    const lines = firstLines(pdf);
    return {
      pdf,
      pages: {
        'cover-and-contents': 1,
        'appendix-2-start': lines.findIndex((l) => l.startsWith('Appendix 2 –')) + 1,
        'appendix-5-framework': lines.findIndex((l) => l.startsWith('Appendix 5 –')) + 1,
      },
    };
  });
});

describeWithBrowser("how another council's report looks", () => {
  comparePages(['westmere-front-sheet', 'westmere-performance-and-implications'], async (dir) => {
    await buildExample({ outDir: dir, formats: ['pdf'] });
    const pdf = join(dir, 'report.pdf');
    const pageTexts = bodyText(pdf).split('\f');
    return {
      pdf,
      pages: {
        'westmere-front-sheet': 1,
        'westmere-performance-and-implications': pageTexts.findIndex((t) => t.includes('The Improvement Board tracks five measures')) + 1,
      },
    };
  });
});

describeWithBrowser("how a council's RAG tracker looks", () => {
  comparePages(['eastmoor-tracker'], async (dir) => {
    await buildExample({ outDir: dir, formats: ['pdf'] }, TRACKER_EXAMPLE_CONFIG);
    const pdf = join(dir, 'report.pdf');
    // The page with the overdue action: an area's heading, lead and RAG, the list in an update.
    return { pdf, pages: { 'eastmoor-tracker': bodyText(pdf).split('\f').findIndex((t) => t.includes('Open a four-bed')) + 1 } };
  });
});

/**
 * The HTML as a phone (390 px) and a desktop browser (1280 px) show it: the top of
 * the page, and the framework appendix (stacked table rows on the phone).
 */
describeWithBrowser('how the HTML looks on a phone and a desktop', () => {
  let html: string;
  let dir: string;
  let browser: Browser;

  let trackerHtml: string;

  beforeAll(async () => {
    dir = await tempDir();
    await buildReport({ dataDir: SEED_DATA, outDir: dir, formats: ['html'] });
    html = await readFile(join(dir, 'report.html'), 'utf8');
    await buildExample({ outDir: join(dir, 'eastmoor'), formats: ['html'] }, TRACKER_EXAMPLE_CONFIG);
    trackerHtml = await readFile(join(dir, 'eastmoor', 'report.html'), 'utf8');
    browser = await puppeteer.launch({ executablePath: BROWSER!, headless: 'shell', args: chromiumArgs(process.getuid?.() === 0) });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const views = [
    { name: 'html-390-top', width: 390, height: 844, at: '#top' },
    { name: 'html-390-framework', width: 390, height: 844, at: '#appendix-framework' },
    { name: 'html-1280-top', width: 1280, height: 800, at: '#top' },
    { name: 'html-1280-framework', width: 1280, height: 800, at: '#appendix-framework' },
    // The tracker example's area with the overdue action: cards on the phone, columns on the desktop.
    { name: 'eastmoor-390-tracker', width: 390, height: 844, at: '#afi-4', tracker: true },
    { name: 'eastmoor-1280-tracker', width: 1280, height: 800, at: '#afi-4', tracker: true },
  ];
  for (const view of views) {
    it(`"${view.name}" matches its reference image`, async () => {
      const page = await browser.newPage();
      await page.setViewport({ width: view.width, height: view.height });
      await page.setContent('tracker' in view ? trackerHtml : html, { waitUntil: 'load' });
      const y = await page.evaluate((selector) => document.querySelector(selector)!.getBoundingClientRect().top + window.scrollY, view.at);
      const shot = await page.screenshot({ clip: { x: 0, y: Math.max(0, y - 16), width: view.width, height: view.height } });
      await page.close();
      await compareWithReference(view.name, PNG.sync.read(Buffer.from(shot)), dir);
    });
  }
});
