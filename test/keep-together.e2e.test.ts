import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
// @ts-expect-error a plain ES module script without type declarations
import { generate, writePlan } from '../scripts/gen.mjs';
import { buildReport } from '../src/pipeline.js';
import { buildExample, SEED_DATA, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { bodyText } from './helpers/pdf.js';

type Generate = (options: { scale: number; seed?: string }) => Promise<Map<string, string>>;

/**
 * The seed, generated plans of other sizes and wording, and the example plan of another
 * council: the rules must hold for any plan. The seed and the generated plans are given a
 * progress section (the seed has none) so that its chart is printed too.
 */
const PLANS: { name: string; scale?: number; seed?: string; example?: true }[] = [
  { name: 'seed' },
  { name: 'generated ×2, seed "keep-1"', scale: 2, seed: 'keep-1' },
  { name: 'generated ×3, seed "keep-2"', scale: 3, seed: 'keep-2' },
  { name: 'example council', example: true },
];

/** Puts a "Progress at a glance" section first in the plan's report.yaml. */
async function withProgressSection(dataDir: string): Promise<void> {
  const path = join(dataDir, 'report.yaml');
  const report = await readFile(path, 'utf8');
  if (!/^sections:\n/m.test(report)) throw new Error(`no sections list in ${path}`);
  await writeFile(path, report.replace(/^sections:\n/m, 'sections:\n  - { id: progress-at-a-glance, title: Progress at a Glance, kind: progress }\n'));
}

const squash = (s: string) => s.replace(/\s+/g, '');
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const all = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((m) => squash(text(m[1]!)));

interface Printed {
  /** Each page's body text (no running header or footer), spaces removed. */
  pages: string[];
  headings: string[];
  countLines: string[];
  captions: string[];
  chartCaption: string | undefined;
}

describeWithBrowser('what belongs together stays on one page, for any plan', () => {
  const printed = new Map<string, Printed>();

  beforeAll(async () => {
    for (const plan of PLANS) {
      const out = await tempDir();
      if (plan.example) {
        await buildExample({ outDir: out, formats: ['html', 'pdf'] });
      } else {
        const dataDir = await tempDir('csi-plan-');
        if (plan.scale) await writePlan(dataDir, await (generate as Generate)({ scale: plan.scale, seed: plan.seed! }));
        else await cp(SEED_DATA, dataDir, { recursive: true });
        await withProgressSection(dataDir);
        await buildReport({ dataDir, outDir: out, formats: ['html', 'pdf'] });
      }
      const html = await readFile(join(out, 'report.html'), 'utf8');
      printed.set(plan.name, {
        pages: bodyText(join(out, 'report.pdf')).split('\f').slice(0, -1).map(squash),
        // A heading whose words are also a table's row label (the progress table names each
        // appendix) is not told apart from that row at a page's foot: it is left out here.
        headings: ((rows) => all(html, /<h[23][^>]*>([\s\S]*?)<\/h[23]>/g).filter((h) => !rows.has(h)))(
          new Set(all(html, /<th scope="row"[^>]*>([\s\S]*?)<\/th>/g)),
        ),
        countLines: all(html, /<p class="status-summary">([\s\S]*?)<\/p>/g),
        captions: all(html, /<p class="table-caption"[^>]*>([\s\S]*?)<\/p>/g),
        chartCaption: all(html, /<figure class="chart-figure progress-figure"[\s\S]*?<figcaption[^>]*>([\s\S]*?)<\/figcaption>/g)[0],
      });
    }
  }, 600_000);

  for (const plan of PLANS) {
    it(`${plan.name}: no page ends with a heading, or a heading and its count line`, () => {
      const { pages, headings, countLines } = printed.get(plan.name)!;
      expect(headings.length).toBeGreaterThan(10);
      expect(countLines.length).toBeGreaterThan(0);
      const stranded = pages.flatMap((page, i) => {
        const ends = [...headings, ...headings.flatMap((h) => countLines.map((c) => h + c))].filter((h) => page.endsWith(h));
        return ends.map((h) => `page ${i + 1} ends with "${h}"`);
      });
      // A count line alone at the foot of a page is cut off from what it counts.
      const countsAlone = pages.flatMap((page, i) => countLines.filter((c) => page.endsWith(c)).map((c) => `page ${i + 1} ends with "${c}"`));
      expect([...stranded, ...countsAlone]).toEqual([]);
    });

    it(`${plan.name}: a table's caption is on the page its table starts on`, () => {
      const { pages, captions } = printed.get(plan.name)!;
      expect(captions.length).toBeGreaterThan(0);
      for (const caption of captions) {
        const page = pages.findIndex((p) => p.includes(caption));
        expect(page, `"${caption}" is printed`).toBeGreaterThanOrEqual(0);
        expect(pages[page]!.endsWith(caption), `"${caption}" ends page ${page + 1}`).toBe(false);
      }
    });

    it(`${plan.name}: the progress chart is on the page of its table`, () => {
      const { pages, chartCaption } = printed.get(plan.name)!;
      expect(chartCaption).toBeDefined();
      const page = pages.find((p) => p.includes(chartCaption!));
      expect(page, 'the chart is printed').toBeDefined();
      // The table's header row, and at least its first row, follow the chart's caption on that page.
      expect(page!.slice(page!.indexOf(chartCaption!))).toMatch(/Total.*Appendix/);
    });
  }
});
