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

/** The anchors whose page numbers the HTML shows, once each. */
export function numberedAnchors(html: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, anchor] of html.matchAll(new RegExp(`${PAGE_OF}="([^"]*)"`, 'g'))) anchors.add(anchor!);
  return anchors;
}
