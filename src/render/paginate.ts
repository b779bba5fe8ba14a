import type { OutlineEntry } from './view.js';

/** Page numbers by heading anchor. */
export type PageNumbers = ReadonlyMap<string, number>;

export interface PaginatedPdf<Pdf> {
  /** The last print, as `read` returned it. */
  pdf: Pdf;
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
 * The first print uses the pages remembered from the last build, or placeholders
 * as wide as real numbers; each further print uses the pages the headings landed
 * on in the print before, until they stop moving.
 */
export async function printWithPageNumbers<Pdf>(
  print: (html: string) => Promise<Uint8Array>,
  /** The report's HTML with these page numbers in it. */
  render: (pages: PageNumbers) => string,
  /** Reads a printed PDF and the page each heading landed on. */
  read: (pdf: Uint8Array) => Promise<{ pdf: Pdf; pages: Map<string, number> }>,
  /** The report's headings; page numbers do not change them. */
  outline: readonly OutlineEntry[],
  /** Where the headings landed last time, if known: when they have not moved, one print is enough. */
  remembered?: PageNumbers,
  maxPasses = 4,
): Promise<PaginatedPdf<Pdf>> {
  let used: PageNumbers = new Map(outline.map((e) => [e.anchor, remembered?.get(e.anchor) ?? 88]));
  let passes = 0;
  for (;;) {
    const { pdf, pages: landed } = await read(await print(render(used)));
    passes++;
    if (same(landed, used) || passes >= maxPasses) return { pdf, pages: landed, passes };
    used = landed;
  }
}
