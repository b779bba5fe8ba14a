import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { seedCopy, SEED_DATA, SEED_REPORT, tempDir } from './helpers/data.js';
import { csiBinary } from './helpers/cli.js';
import { describeWithBrowser } from './helpers/environment.js';
import { bodyText, flatten, pageTexts, pdfinfo, printedPageNumbers, readPdf } from './helpers/pdf.js';
import { missingFragments, seedFragments } from './helpers/seed-sentences.js';


/** The real csi binary. */
const csi = (args: string[]) => csiBinary(args);

/**
 * The published report the seed data reproduces lives beside the repository
 * (../shared/seed), as on CI and the project's own machines, not in a clone of the
 * repository alone. Without it the word-for-word check fails under CI, and elsewhere
 * is skipped, saying so.
 */
const HAS_SEED = existsSync(SEED_REPORT);
const seedIt = HAS_SEED || process.env.CI ? it : it.skip;
if (!HAS_SEED && !process.env.CI) {
  console.warn(`skipped: the word-for-word check against the published report, which is not at ${SEED_REPORT} (it is beside the clone on CI)`);
}

describeWithBrowser('the seed report, built end to end', () => {
  let out: string;
  let pdf: string;
  let result: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    out = await tempDir();
    pdf = join(out, 'report.pdf');
    result = await csi(['build-report', SEED_DATA, '--out', out, '--json']);
  });

  it('exits 0 and writes both outputs, described in JSON', async () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.outputs.map((o: { format: string; path: string }) => [o.format, o.path])).toEqual([
      ['html', join(out, 'report.html')],
      ['pdf', pdf],
    ]);
    expect((await readdir(out)).sort()).toEqual(['report.html', 'report.pdf']);
  });

  seedIt('prints every sentence of the published report', async () => {
    if (!HAS_SEED) throw new Error(`the published report is not at ${SEED_REPORT}: under CI, ../shared/seed must be beside the clone`);
    const fragments = seedFragments(await readFile(SEED_REPORT, 'utf8'));
    expect(fragments.length).toBeGreaterThan(250);
    // In print, a cross-reference also gives its page ("See Appendix 2, page 8."); the words are the seed's.
    const missing = missingFragments(fragments, bodyText(pdf).replace(/, page \d+/g, ''));
    // The one known difference: the chronology prints every month the same way ("Apr 2017"),
    // where the published table wrote "April 2017" once.
    expect(missing).toEqual(['April 2017']);
    expect(1 - missing.length / fragments.length).toBeGreaterThanOrEqual(0.99);
  });

  it('is a tagged A4 PDF with title, author, subject and language', async () => {
    const info = pdfinfo(pdf);
    expect(info.Tagged).toBe('yes');
    expect(info.Title).toBe("The Continuous Service Improvement of Children's Social Care and Safeguarding Services");
    expect(info.Author).toBe('Anna Marshall, Scrutiny Officer');
    expect(info.Subject).toBe('Report to the Overview and Scrutiny Committee, 19 September 2017');
    expect(info['Page size']).toMatch(/^595\.\d+ x 841\.\d+ pts \(A4\)$/);
    expect(Number(info.Pages)).toBeGreaterThanOrEqual(15);
    expect(Number(info.Pages)).toBeLessThanOrEqual(30);
    const raw = (await readFile(pdf)).toString('latin1');
    expect(raw).toMatch(/\/Lang \(en-GB\)/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
  });

  it('has bookmarks for every section and all five appendices, worded as the headings', async () => {
    const { outline, markInfo } = await readPdf(pdf);
    expect(markInfo?.Marked).toBe(true);
    const titles = flatten(outline);
    for (const section of ['1.0 Purpose of the Report', '2.0 Background', '8.0 Officer Contact']) {
      expect(titles).toContain(section);
    }
    const appendices = titles.filter((t) => t.startsWith('Appendix '));
    expect(appendices).toEqual([
      'Appendix 1 – Continuous Service Improvement (CSI) Chronology 2012 – 2017',
      'Appendix 2 – Recommendations and Actions Following 2012 Ofsted Inspection',
      'Appendix 3 – Ofsted Recommendations and Actions Following 2014 Ofsted Inspection',
      'Appendix 4 – Continuous Service Improvement Plan 2017 Aspirations and Plans',
      'Appendix 5 – Barnsley Continuous Service Improvement Framework',
    ]);
  });

  it('puts a running header and "Page X of Y" on every page, and each appendix on a new page', async () => {
    const pages = pageTexts(pdf);
    pages.forEach((text, i) => {
      expect(text).toContain('Barnsley Metropolitan Borough Council');
      expect(text).toContain('Overview and Scrutiny Committee · 19 September 2017');
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    // Each appendix heading is the first text inside the margins of some page.
    const firsts = bodyText(pdf)
      .split('\f')
      .map((page) => page.split('\n').find((l) => l.trim()) ?? '');
    for (let n = 1; n <= 5; n++) {
      expect(firsts.some((line) => line.startsWith(`Appendix ${n} – `)), `Appendix ${n} starts a page`).toBe(true);
    }
  });
});

describeWithBrowser('print quality', () => {
  it('leaves no heading alone at the bottom of a page', async () => {
    const out = await tempDir();
    const pdf = join(out, 'report.pdf');
    expect((await csi(['build-report', SEED_DATA, '--out', out, '--format', 'pdf'])).code).toBe(0);
    const headings = flatten((await readPdf(pdf)).outline).map((t) => t.replace(/\s+/g, ''));
    const pages = bodyText(pdf).split('\f').slice(0, -1);
    pages.forEach((page, i) => {
      const text = page.replace(/\s+/g, '');
      const stranded = headings.filter((h) => text.endsWith(h));
      expect(stranded, `page ${i + 1} ends with a heading`).toEqual([]);
    });
  });
});

describeWithBrowser('the contents page', () => {
  it('gives the page on which each heading really is, as do the cross-references', async () => {
    const out = await tempDir();
    const pdf = join(out, 'report.pdf');
    expect((await csi(['build-report', SEED_DATA, '--out', out, '--format', 'pdf'])).code).toBe(0);
    const { contents, references } = printedPageNumbers(pdf);
    expect(contents.map((e) => e.label)).toEqual(expect.arrayContaining(['1.0 Purpose of the Report', '8.0 Officer Contact']));
    expect(contents.filter((e) => e.label.startsWith('Appendix '))).toHaveLength(5);
    expect(contents.filter((e) => e.page !== e.heading)).toEqual([]);
    expect(references.length).toBeGreaterThan(5);
    expect(references.filter((r) => r.page !== r.appendix)).toEqual([]);
  });
});

describeWithBrowser('a bad data file, through the real binary', () => {
  it('exits 1 with the file and line, and leaves no output behind', async () => {
    const data = await seedCopy('chronology.yaml', (t) => t.replace('date: 2012-08', 'date: [2012, 8]'));
    const out = join(await tempDir(), 'out');
    const { code, stderr } = await csi(['build-report', data, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/chronology\.yaml:\d+:11 {2}"date" should be text, not a list\n/);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});
