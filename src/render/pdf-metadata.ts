import { createHash } from 'node:crypto';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { Provenance } from '../provenance.js';
import type { OutlineEntry } from './view.js';

export interface PdfMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  creator: string;
  /** Headings in document order, as the bookmarks should read. */
  outline: OutlineEntry[];
  /** Creation and modification date; the same date every build from the same inputs. */
  date?: Date;
  /** Plan version, commit and data hash, as custom document information entries. */
  provenance?: Provenance;
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

// ---- reproducible output and provenance ------------------------------------

/** Both of the PDF's dates become the build's date (SOURCE_DATE_EPOCH or the data's last commit), never the clock. */
export function setDocumentDates(doc: PDFDocument, date: Date): void {
  doc.setCreationDate(date);
  doc.setModificationDate(date);
}

/** The report's provenance as custom entries in the document information dictionary (`pdfinfo -custom`). */
export function setDocumentProvenance(doc: PDFDocument, p: Provenance): void {
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  const entries: [string, string | undefined][] = [
    ['PlanVersion', p.planVersion],
    ['GitCommit', p.commit ? `${p.commit}${p.modified ? ' (modified)' : ''}` : undefined],
    ['DataSHA256', p.dataSha256],
  ];
  for (const [key, value] of entries) if (value !== undefined) info.set(PDFName.of(key), PDFHexString.fromText(value));
}

/** 16 zero bytes: the trailer's document ID until the file's own hash replaces it. */
const ID_PLACEHOLDER = `<${'0'.repeat(32)}>`;

/** Reserves the trailer's document ID (`/ID`), for `setDocumentId` to fill in once the bytes are final. */
export function reserveDocumentId(doc: PDFDocument): void {
  const id = PDFHexString.of('0'.repeat(32));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
}

/**
 * Fills the reserved document ID with a hash of the file itself, so the same
 * content always gets the same ID. Same length, so no offset in the file moves.
 */
export function setDocumentId(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const trailer = text.lastIndexOf('trailer');
  const first = text.indexOf(ID_PLACEHOLDER, trailer);
  const second = text.indexOf(ID_PLACEHOLDER, first + ID_PLACEHOLDER.length);
  if (trailer < 0 || first < 0 || second < 0) throw new Error('the PDF has no reserved document ID to fill in');
  const id = Buffer.from(`<${createHash('sha256').update(bytes).digest('hex').slice(0, 32).toUpperCase()}>`, 'latin1');
  const out = Buffer.from(bytes);
  id.copy(out, first);
  id.copy(out, second);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Sets what Chromium leaves out (author, subject, keywords) and repairs the bookmarks. */
export async function finishPdf(bytes: Uint8Array, meta: PdfMetadata): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  doc.setKeywords(meta.keywords);
  doc.setCreator(meta.creator);
  doc.setLanguage('en-GB');
  repairOutline(doc, meta.outline);
  if (meta.date) setDocumentDates(doc, meta.date);
  if (meta.provenance) setDocumentProvenance(doc, meta.provenance);
  reserveDocumentId(doc);
  const saved = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  return { bytes: setDocumentId(saved), pages: doc.getPageCount() };
}
