import { PDFArray, PDFDict, PDFName, PDFRef } from 'pdf-lib';
import type { PDFDocument } from 'pdf-lib';
import { bookmarks, decodeTitle, outlineRoot, squash } from './metadata.js';
import type { OutlineEntry } from './metadata.js';

/**
 * The page (from 1) each named destination of a PDF Chromium printed is on, by name.
 * Chromium writes a named destination for every element a link in the page points to,
 * so every place the contents and the cross-references link to has one.
 */
export function destinationPages(doc: PDFDocument): Map<string, number> {
  const pageOf = new Map(doc.getPages().map((page, i) => [page.ref.toString(), i + 1]));
  const pages = new Map<string, number>();
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  for (const [name, value] of dests?.entries() ?? []) {
    const dest = doc.context.lookup(value);
    const array = dest instanceof PDFDict ? dest.lookupMaybe(PDFName.of('D'), PDFArray) : dest;
    const target = array instanceof PDFArray ? array.get(0) : undefined;
    const page = target instanceof PDFRef ? pageOf.get(target.toString()) : undefined;
    if (page !== undefined) pages.set(name.decodeText(), page);
  }
  return pages;
}

/**
 * The page (from 1) each heading's bookmark points at, by the heading's anchor: Chromium
 * writes its bookmarks from the headings it laid out, with the page itself as their
 * destination, not through the named destinations above. A heading whose title is not
 * one bookmark's alone (two headings read the same) is left out, as it cannot be told apart.
 */
export function bookmarkPages(doc: PDFDocument, outline: readonly OutlineEntry[]): Map<string, number> {
  const pageOf = new Map(doc.getPages().map((page, i) => [page.ref.toString(), i + 1]));
  const anchorsByTitle = new Map<string, string[]>();
  for (const e of outline) anchorsByTitle.set(squash(e.text), [...(anchorsByTitle.get(squash(e.text)) ?? []), e.anchor]);
  const landed = new Map<string, number[]>();
  for (const bookmark of bookmarks(outlineRoot(doc)?.lookupMaybe(PDFName.of('First'), PDFDict))) {
    const title = decodeTitle(bookmark.lookup(PDFName.of('Title')));
    const anchors = title === undefined ? undefined : anchorsByTitle.get(squash(title));
    if (anchors?.length !== 1) continue;
    const dest = bookmark.get(PDFName.of('Dest')) ?? bookmark.lookupMaybe(PDFName.of('A'), PDFDict)?.get(PDFName.of('D'));
    const array = dest instanceof PDFRef ? doc.context.lookup(dest) : dest;
    const target = array instanceof PDFArray ? array.get(0) : undefined;
    const page = target instanceof PDFRef ? pageOf.get(target.toString()) : undefined;
    landed.set(anchors[0]!, [...(landed.get(anchors[0]!) ?? []), page ?? 0]);
  }
  // One bookmark each, pointing at a page of the PDF.
  return new Map([...landed].flatMap(([anchor, pages]) => (pages.length === 1 && pages[0]! > 0 ? [[anchor, pages[0]!] as const] : [])));
}
