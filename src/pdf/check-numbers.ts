import type { PDFDocument } from 'pdf-lib';
import type { OutlineEntry } from './metadata.js';
import { bookmarkPages, destinationPages } from './pages.js';
import { drawnLinkTexts } from './renumber.js';

/**
 * What is wrong with the page numbers a print shows, read back after the last print by
 * routes other than those that set them (issue 27, point 13): where each heading landed
 * from Chromium's bookmarks, which point at pages, not from the named destinations the
 * numbers were set from; and each number from the figures its link draws on the page, not
 * from what csi meant to set. An anchor no bookmark leads to (one not in the outline) is
 * checked against its named destination. Each problem names the heading as the report
 * prints it, never a key or id. Empty when every number is right.
 */
export function pageNumberProblems(
  doc: PDFDocument,
  outline: readonly OutlineEntry[],
  /** How many times the report shows each anchor's page number. */
  counts: ReadonlyMap<string, number>,
): string[] {
  const byBookmark = bookmarkPages(doc, outline);
  const byDestination = destinationPages(doc);
  const drawn = drawnLinkTexts(doc, new Set(counts.keys()));
  const titles = new Map(outline.map((e) => [e.anchor, e.text]));
  const problems: string[] = [];
  for (const [anchor, count] of counts) {
    const what = titles.has(anchor) ? `"${titles.get(anchor)}"` : 'a cross-reference';
    const page = byBookmark.get(anchor) ?? byDestination.get(anchor);
    // A title or link text made only of figures would count as a number: none is.
    const numbers = (drawn.get(anchor) ?? []).filter((text) => /^[0-9]+$/.test(text));
    if (page === undefined) problems.push(`${what} is on no page the PDF can say`);
    else if (numbers.length !== count) problems.push(`${what} should show page ${page} ${count} time(s), but ${numbers.length} number(s) could be read`);
    else if (numbers.some((n) => n !== String(page))) problems.push(`${what} shows page ${numbers.find((n) => n !== String(page))} but is on page ${page}`);
  }
  return problems;
}
