import { CsiError } from '../errors.js';
import type { LoadedReport } from './printer.js';

/** Page numbers by anchor. */
export type PageNumbers = ReadonlyMap<string, number>;

/** How to read what Chromium printed, and how to change the page numbers it shows. */
export interface PageReaders<Pdf> {
  /** The printed PDF, read once, and the page each link target landed on (pdf/pages.ts). */
  printed(pdf: Uint8Array): Promise<{ pdf: Pdf; pages: PageNumbers }>;
  /**
   * Changes the page numbers the printed PDF shows, from `shown` to `landed`, in the PDF
   * itself (pdf/renumber.ts): true when done; false, with nothing changed, when it
   * cannot be done without moving anything on the page (then the report is printed again).
   */
  renumber(pdf: Pdf, shown: PageNumbers, landed: PageNumbers): boolean;
  /** What is wrong with the numbers the final print shows, read back another way (pdf/check-numbers.ts); empty when nothing. */
  check(pdf: Pdf): string[];
}

export interface PaginatedPdf<Pdf> {
  /** The print, as `printed` read it, with the page numbers it shows. */
  pdf: Pdf;
  /** The page numbers it shows. */
  pages: PageNumbers;
  /** How many times the report was printed: once, unless a page number changed length. */
  prints: number;
}

/** About how much HTML fills a printed page: 3,600 to 5,800 bytes in the seed plan and 10 and 100 times it. */
const HTML_BYTES_PER_PAGE = 4_000;

/**
 * A first guess at the page each anchor is on, from how far into the HTML it is
 * (embedded images left out). The layout only needs each number to have the right
 * number of digits; a wrong length costs another print, and numbers that never settle
 * stop the build (`printWithPageNumbers`), never a wrong number.
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

/**
 * Prints a report with true page numbers in its contents and cross-references, once in
 * the common case. Chromium cannot number a contents page itself, so the report is
 * printed with a guess at each number (`guessPages`), and the printed PDF says where each
 * anchor landed. Page numbers are drawn in figures of one width, never kerned
 * (text/page-number.ts), so a true number with as many digits as the guess takes the
 * same room: its digits are changed in the PDF, and nothing else on the page moves. Only
 * when a number changes length (or cannot be changed in place) is the report printed
 * again, with the numbers it landed on, until they agree (at most three prints). The
 * final print's numbers are then read back another way (`read.check`): a wrong or blank
 * number stops the build.
 */
export async function printWithPageNumbers<Pdf>(
  report: LoadedReport,
  read: PageReaders<Pdf>,
  /** The anchors whose pages the report shows. */
  numbered: ReadonlySet<string>,
  /** The page numbers it was loaded with: a guess. */
  shown: PageNumbers,
  maxPrints = 3,
): Promise<PaginatedPdf<Pdf>> {
  for (let prints = 1; ; prints++) {
    const { pdf, pages } = await read.printed(await report.print());
    // An anchor that landed nowhere shows no number.
    const landed = new Map([...numbered].flatMap((a) => (pages.has(a) ? [[a, pages.get(a)!] as const] : [])));
    const agree = [...numbered].every((anchor) => landed.get(anchor) === shown.get(anchor));
    if (agree) return checked(read, { pdf, pages: shown, prints });
    if (read.renumber(pdf, shown, landed)) return checked(read, { pdf, pages: landed, prints });
    // Should the numbers never settle (each length moving a page), the last print is checked, and refused.
    if (prints >= maxPrints) return checked(read, { pdf, pages: shown, prints });
    await report.setPageNumbers(landed);
    shown = landed;
  }
}

/** The print, once its numbers are read back and found right; otherwise the build stops (exit 3) rather than ship them. */
function checked<Pdf>(read: PageReaders<Pdf>, print: PaginatedPdf<Pdf>): PaginatedPdf<Pdf> {
  const problems = read.check(print.pdf);
  if (problems.length === 0) return print;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new CsiError(`the PDF's page numbers are wrong after ${print.prints} print(s): ${problems[0]}${more}; nothing was written`, {
    code: 'PAGE_NUMBERS_WRONG',
    kind: 'environment',
    hint: 'csi sets page numbers in what Chromium prints and reads them back; this Chromium prints in a way csi does not expect: try another (CSI_CHROME), and report it with --debug',
  });
}
