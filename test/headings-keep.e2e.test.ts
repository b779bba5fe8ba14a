import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { buildReports } from '../src/pipeline.js';
import { tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { bodyText } from './helpers/pdf.js';

/**
 * Headings stay with what follows, for any plan: a property over generated layouts.
 * Each layout is a heading (a section's, or a group's in an appendix) with what must be
 * on its page: the section's first paragraph, or the group's count line, its table's
 * header row and first row. Short and long headings, short and long first rows, and
 * items of any length before them put each heading at a different place on its page.
 * Many layouts are printed in one report, and the reports of a run in one browser.
 */

const WORDS = 'improve practice children families review plan oversight quality audit safeguarding partners assessment timely support managers'.split(' ');

const words = (n: number) => fc.array(fc.constantFrom(...WORDS), { minLength: n, maxLength: n }).map((w) => w.join(' '));
/** A few words, or a heading long enough to take two or three lines. */
const headingWords = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 18, max: 40 })).chain(words);
/**
 * A row of a line, or one of many lines: up to some third of a page. (A first row so long
 * that it, the heading and the header row do not fit on one page cannot stay whole with
 * its heading: Chromium moves it whole to the next page, as rows are never split.)
 */
const rowWords = fc.oneof(fc.integer({ min: 3, max: 15 }), fc.integer({ min: 60, max: 150 })).chain(words);

interface GroupLayout {
  title: string;
  items: string[];
}
interface SectionLayout {
  title: string;
  paragraphs: string[];
}

const group = fc.record({ title: headingWords, items: fc.array(rowWords, { minLength: 1, maxLength: 6 }) });
const section = fc.record({ title: headingWords, paragraphs: fc.array(rowWords, { minLength: 1, maxLength: 4 }) });
/** One report: its sections, and the groups of one appendix. */
const plan = fc.record({ sections: fc.array(section, { minLength: 8, maxLength: 12 }), groups: fc.array(group, { minLength: 45, maxLength: 55 }) });
type Plan = { sections: SectionLayout[]; groups: GroupLayout[] };

const quote = (s: string) => JSON.stringify(s);

/** The plan as YAML files; every heading and first row starts with a mark of its own, to find it on its page. */
function files(p: Plan): Record<string, string> {
  const report = [
    'title: Headings Test',
    'council: Test Council',
    'committee: Test Committee',
    'meeting_date: 2026-01-15',
    'author: A Tester',
    'status: final',
    'appendices: [tracker]',
    'sections:',
    ...p.sections.flatMap((s, i) => [
      `  - id: s${i}`,
      `    title: ${quote(`Sec${i}q ${s.title}`)}`,
      '    paragraphs:',
      ...s.paragraphs.map((para, j) => `      - ${quote(`${j === 0 ? `Par${i}q ` : ''}${para}`)}`),
    ]),
  ];
  const tracker = [
    'kind: recommendations',
    'key: tracker',
    'title: Tracker',
    'groups:',
    ...p.groups.flatMap((g, i) => [
      `  - id: g${i}`,
      `    title: ${quote(`Grp${i}q ${g.title}`)}`,
      '    items:',
      ...g.items.flatMap((text, j) => [`      - id: g${i}-i${j}`, '        status: on-track', `        text: ${quote(`${j === 0 ? `Row${i}q ` : ''}${text}`)}`]),
    ]),
  ];
  return { 'report.yaml': report.join('\n') + '\n', 'tracker.yaml': tracker.join('\n') + '\n' };
}

const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * What is wrong with one printed layout: a heading split over pages, or not on the page
 * of what must follow it (`follows`, in order). `pages` are page texts, spaces removed.
 */
function misplaced(pages: string[], heading: string, follows: string[]): string | undefined {
  // The last page that has it: a section's heading is in the contents list too.
  let page = pages.length - 1;
  while (page >= 0 && !pages[page]!.includes(heading)) page--;
  if (page < 0) return `"${heading.slice(0, 40)}…" is split over two pages (or not printed)`;
  let at = pages[page]!.indexOf(heading) + heading.length;
  for (const next of follows) {
    const found = pages[page]!.indexOf(next, at);
    if (found < 0) return `"${heading.slice(0, 40)}…" on page ${page + 1} is parted from "${next.slice(0, 40)}"`;
    at = found + next.length;
  }
  return undefined;
}

/** Every layout of a printed plan that breaks the rule. */
function problems(p: Plan, pdf: string): string[] {
  const pages = bodyText(pdf).split('\f').slice(0, -1).map(squash);
  const found: string[] = [];
  p.sections.forEach((s, i) => {
    const problem = misplaced(pages, squash(`Sec${i}q ${s.title}`), [`Par${i}q`]);
    if (problem) found.push(problem);
  });
  p.groups.forEach((g, i) => {
    // The count line, the table's header row ("No.", as the tracker's first column reads) and the first row.
    const problem = misplaced(pages, squash(`${i + 1}. Grp${i}q ${g.title}`), ['inthisgroup', 'No.', `Row${i}q`]);
    if (problem) found.push(problem);
  });
  return found;
}

const RUNS = 5; // × 8–12 sections and 45–55 groups: at least 265 layouts

describeWithBrowser('headings stay with what follows, for any plan', () => {
  const made: string[] = [];
  afterAll(async () => {
    if (process.env.CSI_KEEP_HEADINGS) return;
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it(`no heading ends a page or is parted from its first paragraph, or its table's header and first row (${RUNS} prints)`, async () => {
    const plans = fc.sample(plan, { numRuns: RUNS, seed: 24 });
    const jobs: { dataDir: string; outDir: string }[] = [];
    for (const p of plans) {
      const dataDir = await tempDir('csi-headings-');
      const outDir = await tempDir('csi-headings-out-');
      made.push(dataDir, outDir);
      for (const [name, text] of Object.entries(files(p))) await writeFile(join(dataDir, name), text);
      jobs.push({ dataDir, outDir });
    }
    await buildReports(jobs, { formats: ['pdf'] });
    const layouts = plans.reduce((n, p) => n + p.sections.length + p.groups.length, 0);
    expect(layouts).toBeGreaterThanOrEqual(200);
    const found = plans.flatMap((p, i) => problems(p, join(jobs[i]!.outDir, 'report.pdf')).map((problem) => `print ${i + 1}: ${problem}`));
    expect(found, `${found.length} of ${layouts} layouts`).toEqual([]);
  }, 600_000);
});
