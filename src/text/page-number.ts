import { escapeXml } from './escape.js';

/**
 * A printed page number in the report's HTML (the contents, "Appendix 2, page 9"): a link
 * to the anchor it is the page of, which names that anchor, so that the printer can set
 * the number once the report is printed (pdf/paginate.ts), in the PDF itself
 * (pdf/renumber.ts, which finds each number through its link) or in the loaded
 * page. Its figures are all one width and never kerned, so a number of the same length
 * takes the same room whatever its digits: the layout, and so every page break, stays
 * as it was.
 */
export const PAGE_OF = 'data-page-of';

const NUMBER_STYLE = 'font-variant-numeric: tabular-nums; font-kerning: none; color: inherit; text-decoration: none';

/** The element that shows the page an anchor is on (nothing inside while it is not known). */
export function pageNumberHtml(anchor: string, page: number | undefined): string {
  const name = escapeXml(anchor);
  return `<a ${PAGE_OF}="${name}" href="#${name}" style="${NUMBER_STYLE}">${page ?? ''}</a>`;
}

const MARKED = new RegExp(`(<a ${PAGE_OF}="([^"]*)"[^>]*>)[0-9]*</a>`, 'g');

/**
 * The HTML with these page numbers where it marks them (a number not given is left as
 * it was). For the first print, before the page is loaded; once it is, the printer sets
 * them in the loaded page instead (pdf/printer.ts).
 */
export function withPageNumbers(html: string, pages: ReadonlyMap<string, number>): string {
  const byAttribute = new Map([...pages].map(([anchor, page]) => [escapeXml(anchor), page]));
  return html.replace(MARKED, (whole, open: string, anchor: string) => {
    const page = byAttribute.get(anchor);
    return page === undefined ? whole : `${open}${page}</a>`;
  });
}

/** The anchors whose page numbers the HTML shows, each with how many times it shows one. */
export function numberedAnchors(html: string): Map<string, number> {
  const anchors = new Map<string, number>();
  for (const [, anchor] of html.matchAll(new RegExp(`${PAGE_OF}="([^"]*)"`, 'g'))) anchors.set(anchor!, (anchors.get(anchor!) ?? 0) + 1);
  return anchors;
}
