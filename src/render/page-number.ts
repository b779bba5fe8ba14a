import { escapeXml } from './escape.js';

/**
 * A printed page number in the report's HTML (the contents, "Appendix 2, page 9"): an
 * element that names the anchor it is the page of, so that the printer can set the
 * number in the loaded page once the report is laid out, without loading it again
 * (render/paginate.ts). Its figures are all one width and never kerned, so a number of
 * the same length takes the same room whatever its digits: the layout, and so every
 * page break, stays as it was.
 */
export const PAGE_OF = 'data-page-of';

/** The element that shows the page an anchor is on (nothing inside while it is not known). */
export function pageNumberHtml(anchor: string, page: number | undefined): string {
  return `<span ${PAGE_OF}="${escapeXml(anchor)}" style="font-variant-numeric: tabular-nums; font-kerning: none">${page ?? ''}</span>`;
}

const MARKED = new RegExp(`(<span ${PAGE_OF}="([^"]*)"[^>]*>)[0-9]*</span>`, 'g');

/**
 * The HTML with these page numbers where it marks them (a number not given is left as
 * it was). For the first print, before the page is loaded; once it is, the printer sets
 * them in the loaded page instead (render/pdf.ts).
 */
export function withPageNumbers(html: string, pages: ReadonlyMap<string, number>): string {
  const byAttribute = new Map([...pages].map(([anchor, page]) => [escapeXml(anchor), page]));
  return html.replace(MARKED, (whole, open: string, anchor: string) => {
    const page = byAttribute.get(anchor);
    return page === undefined ? whole : `${open}${page}</span>`;
  });
}

/** The anchors whose page numbers the HTML shows, once each. */
export function numberedAnchors(html: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, anchor] of html.matchAll(new RegExp(`${PAGE_OF}="([^"]*)"`, 'g'))) anchors.add(anchor!);
  return anchors;
}
