import { headingPages } from './pdf-metadata.js';
import type { OutlineEntry } from './view.js';

/** Page numbers by heading anchor. */
export type PageNumbers = ReadonlyMap<string, number>;

export interface PaginatedPdf {
  pdf: Uint8Array;
  pages: Map<string, number>;
  /** How many times the report was printed to settle the numbers. */
  passes: number;
}

function same(a: PageNumbers, b: PageNumbers): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * Prints the report with true page numbers in its contents and cross-references.
 * The first print uses placeholders as wide as real numbers; each further print
 * uses the pages the headings landed on last time, until they stop moving.
 */
export async function printWithPageNumbers(
  print: (html: string) => Promise<Uint8Array>,
  /** The report's HTML with these page numbers in it. */
  render: (pages: PageNumbers) => string,
  /** The report's headings; page numbers do not change them. */
  outline: readonly OutlineEntry[],
  maxPasses = 4,
): Promise<PaginatedPdf> {
  let used: PageNumbers = new Map(outline.map((e) => [e.anchor, 88]));
  let passes = 0;
  for (;;) {
    const pdf = await print(render(used));
    passes++;
    const landed = await headingPages(pdf, outline);
    if (same(landed, used) || passes >= maxPasses) return { pdf, pages: landed, passes };
    used = landed;
  }
}
