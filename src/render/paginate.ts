import type { LoadedReport } from './pdf.js';

/** Page numbers by anchor. */
export type PageNumbers = ReadonlyMap<string, number>;

/** How to read what Chromium made: where each anchor landed in a layout, and in the printed PDF. */
export interface PageReaders<Pdf> {
  /** From the layout's PDF: the page each link target is on (render/pdf-pages.ts). */
  landed(layout: Uint8Array): Promise<PageNumbers>;
  /** The printed PDF, read once, and the page each heading is on (from its bookmarks). */
  printed(pdf: Uint8Array): Promise<{ pdf: Pdf; pages: PageNumbers }>;
}

export interface PaginatedPdf<Pdf> {
  /** The print, as `printed` read it. */
  pdf: Pdf;
  /** The page numbers it shows. */
  pages: PageNumbers;
  /** How many times the report was laid out to find them, and printed (once, unless a check failed). */
  layouts: number;
  prints: number;
}

/** About how much HTML fills a printed page: 3,600 to 5,800 bytes in the seed plan and 10 and 100 times it. */
const HTML_BYTES_PER_PAGE = 4_000;

/**
 * A first guess at the page each anchor is on, from how far into the HTML it is
 * (embedded images left out). The layout only needs each number to have the right
 * number of digits; a wrong guess costs one more layout, never a wrong number.
 */
export function guessPages(html: string, anchors: Iterable<string>): Map<string, number> {
  const body = Math.max(0, html.indexOf('<body'));
  // Where each id is first, and how much of the HTML before it is embedded images: one pass each.
  const ids = new Map<string, number>();
  for (const m of html.matchAll(/\sid="([^"]*)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, m.index);
  const images = [...html.matchAll(/data:[^"'\s)]+/g)].filter((m) => m.index > body).map((m) => ({ at: m.index, length: m[0].length }));
  const guesses = new Map<string, number>();
  for (const anchor of anchors) {
    const at = ids.get(anchor);
    if (at === undefined) continue;
    const embedded = images.filter((image) => image.at < at).reduce((sum, image) => sum + image.length, 0);
    guesses.set(anchor, 1 + Math.floor(Math.max(0, at - body - embedded) / HTML_BYTES_PER_PAGE));
  }
  return guesses;
}

const digits = (page: number | undefined) => (page === undefined ? 0 : String(page).length);

/**
 * Prints a report with true page numbers in its contents and cross-references, printing
 * it once. Chromium cannot number a contents page itself, so the loaded report is first
 * laid out, painting nothing, to find the page each numbered anchor lands on; those
 * numbers are set in the loaded page, and it is printed. Page numbers are drawn in
 * figures of one width (render/page-number.ts), so numbers of the same length take the
 * same room: when the landed numbers have the lengths of those shown during the layout,
 * the layout with them is the same, and so are the pages. (When a length differs, it is
 * laid out again.) The print is checked against the bookmarks of its headings; were one
 * to differ, it is printed again with the pages the headings are on.
 */
export async function printWithPageNumbers<Pdf>(
  report: LoadedReport,
  read: PageReaders<Pdf>,
  /** The anchors whose pages the report shows. */
  numbered: ReadonlySet<string>,
  /** The page numbers it was loaded with: a guess, whose lengths the first layout has. */
  shown: PageNumbers,
  maxLayouts = 4,
): Promise<PaginatedPdf<Pdf>> {
  const only = (pages: PageNumbers) => new Map([...numbered].flatMap((a) => (pages.has(a) ? [[a, pages.get(a)!] as const] : [])));
  const agree = (a: PageNumbers, b: PageNumbers, same: (x?: number, y?: number) => boolean) => [...numbered].every((anchor) => same(a.get(anchor), b.get(anchor)));
  let layouts = 0;
  let landed: PageNumbers;
  for (;;) {
    landed = only(await read.landed(await report.layOut()));
    layouts++;
    if (agree(landed, shown, (x, y) => digits(x) === digits(y)) || layouts >= maxLayouts) break;
    await report.setPageNumbers(landed);
    shown = landed;
  }
  if (!agree(landed, shown, (x, y) => x === y)) await report.setPageNumbers(landed);
  shown = landed;
  for (let prints = 1; ; prints++) {
    const { pdf, pages } = await read.printed(await report.print());
    // A heading the bookmarks do not name keeps the page its anchor landed on.
    const headings = new Map([...shown, ...only(pages)]);
    if (agree(headings, shown, (x, y) => x === y) || prints >= 3) return { pdf, pages: shown, layouts, prints };
    await report.setPageNumbers(headings);
    shown = headings;
  }
}
