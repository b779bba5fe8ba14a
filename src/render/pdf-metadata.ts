import { ParseSpeeds, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { OutlineEntry } from './view.js';

export interface PdfMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  creator: string;
  /** Headings in document order, as the bookmarks should read. */
  outline: OutlineEntry[];
}

const squash = (s: string) => s.replace(/\s+/g, '');

function decodeTitle(value: unknown): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

/**
 * Chromium's bookmarks lose the space where a heading wraps ("2014Ofsted"). Put
 * each bookmark's title back as the heading reads, matching them with spaces ignored.
 */
function repairOutline(doc: PDFDocument, outline: OutlineEntry[]): number {
  const wanted = new Map(outline.map((e) => [squash(e.text), e.text]));
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  let repaired = 0;
  const walk = (item: PDFDict | undefined) => {
    for (let node = item; node; node = node.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      const title = decodeTitle(node.lookup(PDFName.of('Title')));
      const text = title === undefined ? undefined : wanted.get(squash(title));
      if (text !== undefined && text !== title) {
        node.set(PDFName.of('Title'), PDFHexString.fromText(text));
        repaired++;
      }
      walk(node.lookupMaybe(PDFName.of('First'), PDFDict));
    }
  };
  walk(outlines?.lookupMaybe(PDFName.of('First'), PDFDict));
  return repaired;
}

/** Sets what Chromium leaves out (author, subject, keywords) and repairs the bookmarks. */
export async function finishPdf(bytes: Uint8Array, meta: PdfMetadata): Promise<{ bytes: Uint8Array; pages: number }> {
  // pdf-lib yields to the event loop every 50-100 objects by default, a timer tick
  // each: seconds of waiting on a thousand-page report. Nothing else needs the loop.
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  doc.setKeywords(meta.keywords);
  doc.setCreator(meta.creator);
  doc.setLanguage('en-GB');
  repairOutline(doc, meta.outline);
  const saved = await doc.save({
    useObjectStreams: false,
    addDefaultPage: false,
    updateFieldAppearances: false,
    objectsPerTick: Infinity,
  });
  return { bytes: saved, pages: doc.getPageCount() };
}
