import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain ES module script without type declarations
import { generate, writePlan } from '../scripts/gen.mjs';
import { CsiError } from '../src/errors.js';
import { buildReport } from '../src/pipeline.js';
import type { LaunchPrinter } from '../src/pipeline.js';
import { markdownBlock } from '../src/text/markdown.js';
import { guessPages, printWithPageNumbers } from '../src/pdf/paginate.js';
import type { PageNumbers } from '../src/pdf/paginate.js';
import { numberedAnchors, pageNumberHtml } from '../src/text/page-number.js';
import { launchPrinter } from '../src/pdf/printer.js';
import type { LoadedReport } from '../src/pdf/printer.js';
import { proxiedBrowser, removed } from './helpers/browser.js';
import { SEED_DATA, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';
import { printedPageNumbers } from './helpers/pdf.js';

const NUMBERED = new Set(['intro', 'background', 'appendix-1']);
const LANDS = new Map([['intro', 2], ['background', 3], ['appendix-1', 9]]);

/**
 * Where the anchors of a pretend report land: its appendix moves a page on for every
 * digit its own page number has (9 with one digit, 10 with two, 11 with three).
 */
const landing = (shown: PageNumbers) => new Map([...LANDS, ['appendix-1', 8 + String(shown.get('appendix-1') ?? '').length]]);

/**
 * A pretend loaded report: printed, its anchors land as `landing` says for the numbers it
 * shows (those it was loaded with, then those last set); its print is those numbers. Like
 * the real one (pdf/renumber.ts), it can change a printed number only to one of the
 * same length.
 */
function pretendReport(loadedWith: PageNumbers, lands = landing) {
  const calls: string[] = [];
  let shown = new Map(loadedWith);
  const encode = (pages: PageNumbers) => new TextEncoder().encode(JSON.stringify([...pages]));
  const decode = (bytes: Uint8Array) => new Map<string, number>(JSON.parse(new TextDecoder().decode(bytes)));
  const report: LoadedReport = {
    async setPageNumbers(pages) {
      calls.push(`set ${JSON.stringify([...pages])}`);
      shown = new Map(pages);
    },
    async print() {
      calls.push('print');
      return encode(shown);
    },
  };
  const read = {
    printed: async (bytes: Uint8Array) => {
      const pdf = decode(bytes);
      return { pdf, pages: lands(pdf) };
    },
    renumber: (pdf: Map<string, number>, from: PageNumbers, to: PageNumbers) => {
      const same = [...NUMBERED].every((a) => String(from.get(a) ?? '').length === String(to.get(a) ?? '').length);
      calls.push(same ? 'renumbered' : 'cannot renumber');
      if (same) for (const [a, page] of to) pdf.set(a, page);
      return same;
    },
    // Read back "another way": where the anchors land, given the numbers the print shows.
    check: (pdf: Map<string, number>) => {
      const truth = lands(pdf);
      return [...NUMBERED].filter((a) => truth.get(a) === undefined || pdf.get(a) !== truth.get(a)).map((a) => `${a} is wrong`);
    },
  };
  return { calls, paginate: () => printWithPageNumbers(report, read, NUMBERED, loadedWith) };
}

describe('page numbers', () => {
  it('prints once, and changes nothing, when every guess was right', async () => {
    const { calls, paginate } = pretendReport(new Map(LANDS));
    const { pdf, pages, prints } = await paginate();
    expect(prints).toBe(1);
    expect(calls).toEqual(['print']);
    expect(pdf).toEqual(LANDS);
    expect(pages).toEqual(LANDS);
  });

  it('prints once and sets the true numbers in the PDF when the wrong guesses have the right lengths', async () => {
    const { calls, paginate } = pretendReport(new Map([['intro', 1], ['background', 1], ['appendix-1', 5]]));
    const { pdf, pages, prints } = await paginate();
    expect(prints).toBe(1);
    expect(calls).toEqual(['print', 'renumbered']);
    expect(pdf).toEqual(LANDS);
    expect(pages).toEqual(LANDS);
  });

  it('prints again, with the pages the anchors landed on, when a guess was of another length', async () => {
    const { calls, paginate } = pretendReport(new Map([['intro', 1], ['background', 1], ['appendix-1', 123]]));
    const { pdf, pages, prints } = await paginate();
    // With three digits it landed on page 11; with "11" shown, on page 10; with "10", on 10.
    expect(calls).toEqual(['print', 'cannot renumber', `set ${JSON.stringify([...new Map([...LANDS, ['appendix-1', 11]])])}`, 'print', 'renumbered']);
    expect(prints).toBe(2);
    expect(pdf).toEqual(new Map([...LANDS, ['appendix-1', 10]]));
    expect(pages).toEqual(new Map([...LANDS, ['appendix-1', 10]]));
  });

  it('stops the build, never showing a blank number, when an anchor landed nowhere the print says', async () => {
    const { calls, paginate } = pretendReport(new Map(LANDS), () => new Map([...LANDS].filter(([a]) => a !== 'background')));
    const error = await paginate().catch((e: unknown) => e);
    const withoutIt = [...LANDS].filter(([a]) => a !== 'background');
    expect(calls).toEqual(['print', 'cannot renumber', `set ${JSON.stringify(withoutIt)}`, 'print']);
    expect(error).toBeInstanceOf(CsiError);
    expect(error).toMatchObject({ code: 'PAGE_NUMBERS_WRONG', exitCode: 3 });
    expect((error as Error).message).toBe("the PDF's page numbers are wrong after 2 print(s): background is wrong; nothing was written");
  });

  it('stops the build when the numbers never settle, after three prints', async () => {
    // One digit shown, the appendix lands on page 10; two digits, on page 9.
    const { calls, paginate } = pretendReport(new Map(LANDS), (shown) => new Map([...LANDS, ['appendix-1', String(shown.get('appendix-1')).length === 1 ? 10 : 9]]));
    const error = await paginate().catch((e: unknown) => e);
    expect(calls.filter((c) => c === 'print')).toHaveLength(3);
    expect(error).toMatchObject({ code: 'PAGE_NUMBERS_WRONG', exitCode: 3 });
    expect((error as Error).message).toMatch(/^the PDF's page numbers are wrong after 3 print\(s\): appendix-1 is wrong;/);
  });

  it('guesses each page from how far into the HTML its anchor is, embedded images left out', () => {
    const filler = (bytes: number) => `<p>${'x'.repeat(bytes - 7)}</p>`;
    const image = `<img src="data:image/png;base64,${'A'.repeat(40_000)}" alt="">`;
    const html = `<head><style>${'y'.repeat(9_000)}</style></head><body>${image}<h2 id="a">A</h2>${filler(8_500)}<h2 id="b">B</h2>`;
    expect(guessPages(html, ['a', 'b', 'missing'])).toEqual(new Map([['a', 1], ['b', 3]]));
  });

  it('marks each page number with the anchor it is the page of, in the contents and in references', () => {
    expect(pageNumberHtml('appendix-x', 9)).toMatch(/^<a data-page-of="appendix-x" href="#appendix-x" style="[^"]*tabular-nums[^"]*">9<\/a>$/);
    const lookup = (key: string) => (key === 'x' ? { number: 2, anchor: 'appendix-x', page: 9 } : undefined);
    const html = markdownBlock('**See [[appendix:x]].**', lookup);
    expect(html).toBe(`<p><strong>See <a href="#appendix-x">Appendix 2</a>, page ${pageNumberHtml('appendix-x', 9)}.</strong></p>`);
    expect(markdownBlock('See [[appendix:x]].', (key) => ({ ...lookup(key)!, page: undefined }))).toBe('<p>See <a href="#appendix-x">Appendix 2</a>.</p>');
    expect(numberedAnchors(`${html}<li>${pageNumberHtml('progress', 1)}</li>${html}`)).toEqual(new Map([['appendix-x', 2], ['progress', 1]]));
  });

  it('leaves markup that the data writes to look like a page number to the sanitiser', () => {
    const html = markdownBlock('<span data-page-of="appendix-x">3</span> and [[appendix:none]]', () => undefined);
    expect(numberedAnchors(html)).toEqual(new Map());
    expect(html).toBe('<p>3 and [[appendix:none]]</p>');
  });
});

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

/** The real printer, counting what it is asked to do. */
function countingPrinter() {
  const counts = { launches: 0, loads: 0, prints: 0 };
  const launch: LaunchPrinter = async (options) => {
    counts.launches++;
    const printer = await launchPrinter(options);
    return {
      async load(job) {
        counts.loads++;
        const loaded = await printer.load(job);
        return {
          setPageNumbers: (pages) => loaded.setPageNumbers(pages),
          print: () => (counts.prints++, loaded.print()),
        };
      },
      close: () => printer.close(),
    };
  };
  return { counts, launch };
}

describeWithBrowser('a first build', () => {
  it('loads the report once and prints it once, with true page numbers and the same bytes every time', async () => {
    const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
    const browser = await proxiedBrowser();
    const builds: { sha: string; counts: ReturnType<typeof countingPrinter>['counts'] }[] = [];
    for (const _ of [1, 2]) {
      const out = await tempDir();
      const { counts, launch } = countingPrinter();
      await buildReport({ dataDir: SEED_DATA, outDir: out, formats: ['pdf'], env, chrome: browser.path, launchPrinter: launch });
      const { contents, references } = printedPageNumbers(join(out, 'report.pdf'));
      expect(contents.length).toBeGreaterThan(10);
      expect(references.length).toBeGreaterThan(5);
      expect(contents.filter((e) => e.page !== e.heading)).toEqual([]);
      expect(references.filter((r) => r.page !== r.appendix)).toEqual([]);
      builds.push({ sha: await sha256(join(out, 'report.pdf')), counts });
    }
    expect(builds.map((b) => b.counts)).toEqual([1, 2].map(() => ({ launches: 1, loads: 1, prints: 1 })));
    expect(builds[1]!.sha).toBe(builds[0]!.sha);

    // Each of these builds' browsers had a temporary profile of its own, gone with it.
    const launches = await browser.launches();
    expect(launches).toHaveLength(2);
    expect(new Set(launches.map((l) => l.profile)).size).toBe(2);
    expect(launches.map((l) => removed(l.profile))).toEqual([true, true]);
  });

  it('numbers the contents and cross-references of a plan ten times the seed truly, printing it once', async () => {
    const data = await tempDir('csi-plan-10x-');
    await writePlan(data, await (generate as (o: { scale: number }) => Promise<Map<string, string>>)({ scale: 10 }));
    const out = await tempDir();
    const { counts, launch } = countingPrinter();
    await buildReport({ dataDir: data, outDir: out, formats: ['pdf'], launchPrinter: launch });
    const { contents, references } = printedPageNumbers(join(out, 'report.pdf'));
    expect(contents.map((e) => e.label)).toEqual(expect.arrayContaining(['1.0 Purpose of the Report', 'Appendix 5 – Barnsley Continuous Service Improvement Framework']));
    expect(Math.max(...contents.map((e) => e.page))).toBeGreaterThan(100);
    expect(references.length).toBeGreaterThan(5);
    expect(contents.filter((e) => e.page !== e.heading)).toEqual([]);
    expect(references.filter((r) => r.page !== r.appendix)).toEqual([]);
    expect(counts.prints).toBe(1);
  });
});
