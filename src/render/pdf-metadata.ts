import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import {
  decodePDFRawStream,
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
} from 'pdf-lib';
import type { Provenance } from '../provenance.js';
import { escapeXml } from './escape.js';
import { markUntaggedAsArtifacts } from './pdf-artifacts.js';
import type { OutlineEntry } from './view.js';

export interface PdfMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  creator: string;
  language: string;
  /** Headings in document order, as the bookmarks should read. */
  outline: OutlineEntry[];
  /** Creation and modification date; the same date every build from the same inputs. */
  date?: Date;
  /** Plan version, commit and data hash, as custom document information entries. */
  provenance?: Provenance;
}

const squash = (s: string) => s.replace(/\s+/g, '');
const name = (n: string) => PDFName.of(n);

function decodeTitle(value: unknown): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

/** Every bookmark, depth first, with its dictionary. */
function* bookmarks(first: PDFDict | undefined): Generator<PDFDict> {
  for (let node = first; node; node = node.lookupMaybe(name('Next'), PDFDict)) {
    yield node;
    yield* bookmarks(node.lookupMaybe(name('First'), PDFDict));
  }
}

function outlineRoot(doc: PDFDocument): PDFDict | undefined {
  return doc.catalog.lookupMaybe(name('Outlines'), PDFDict);
}

/** Matches a bookmark to the heading it came from, spaces ignored. */
function headingFor(outline: readonly OutlineEntry[]): (bookmark: PDFDict) => OutlineEntry | undefined {
  const byText = new Map(outline.map((e) => [squash(e.text), e]));
  return (bookmark) => {
    const title = decodeTitle(bookmark.lookup(name('Title')));
    return title === undefined ? undefined : byText.get(squash(title));
  };
}

/**
 * Chromium's bookmarks lose the space where a heading wraps ("2014Ofsted"). Put
 * each bookmark's title back as the heading reads.
 */
function repairOutlineTitles(doc: PDFDocument, outline: OutlineEntry[]): void {
  const heading = headingFor(outline);
  for (const bookmark of bookmarks(outlineRoot(doc)?.lookupMaybe(name('First'), PDFDict))) {
    const entry = heading(bookmark);
    if (entry) bookmark.set(name('Title'), PDFHexString.fromText(entry.text));
  }
}

/**
 * Chromium nests every bookmark under the document title (the only h1). Lift the
 * title's children to the top, so sections and appendices are the first level.
 */
function liftTitleBookmark(doc: PDFDocument, title: string): void {
  const root = outlineRoot(doc);
  const first = root?.lookupMaybe(name('First'), PDFDict);
  if (!root || !first || first.get(name('Next'))) return;
  if (squash(decodeTitle(first.lookup(name('Title'))) ?? '') !== squash(title)) return;
  const firstChild = first.get(name('First'));
  const lastChild = first.get(name('Last'));
  if (!firstChild || !lastChild) return;
  const rootRef = doc.catalog.get(name('Outlines'));
  let count = 0;
  for (let node = first.lookupMaybe(name('First'), PDFDict); node; node = node.lookupMaybe(name('Next'), PDFDict)) {
    node.set(name('Parent'), rootRef!);
    count++;
  }
  root.set(name('First'), firstChild);
  root.set(name('Last'), lastChild);
  root.set(name('Count'), PDFNumber.of(count));
}

/** Page number (1-based) of the page a bookmark points to. */
function bookmarkPage(doc: PDFDocument, bookmark: PDFDict, pageIndex: Map<string, number>): number | undefined {
  let dest = bookmark.lookup(name('Dest'));
  if (!dest) {
    const action = bookmark.lookupMaybe(name('A'), PDFDict);
    dest = action?.lookup(name('D'));
  }
  if (!(dest instanceof PDFArray)) return undefined;
  const target = dest.get(0);
  return target instanceof PDFRef ? pageIndex.get(target.toString()) : undefined;
}

/** Reads a PDF Chromium printed, once, for both `headingPages` and `finishPdf`. */
export function openPdf(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
}

/** Which page each heading landed on, read from Chromium's bookmarks: anchor → page number. */
export function headingPages(doc: PDFDocument, outline: readonly OutlineEntry[]): Map<string, number> {
  const pageIndex = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
  const heading = headingFor(outline);
  const pages = new Map<string, number>();
  for (const bookmark of bookmarks(outlineRoot(doc)?.lookupMaybe(name('First'), PDFDict))) {
    const entry = heading(bookmark);
    const page = bookmarkPage(doc, bookmark, pageIndex);
    if (entry && page !== undefined && !pages.has(entry.anchor)) pages.set(entry.anchor, page);
  }
  return pages;
}

const FLATE = name('FlateDecode');

/**
 * A page's content, decoded. Chromium compresses with Flate alone, which node's own
 * zlib undoes many times faster than pdf-lib's JavaScript inflate; anything else
 * goes through pdf-lib.
 */
function decodeContent(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.lookup(name('Filter'));
  const flateOnly = filter === FLATE || (filter instanceof PDFArray && filter.size() === 1 && filter.lookup(0) === FLATE);
  if (flateOnly && !stream.dict.has(name('DecodeParms'))) return inflateSync(stream.contents);
  return decodePDFRawStream(stream).decode();
}

/** Marks the running header and footer on every page as artifacts. */
function markArtifacts(doc: PDFDocument): number {
  let wrapped = 0;
  for (const page of doc.getPages()) {
    const contents = page.node.get(name('Contents'));
    const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
    const streams = refs.map((ref) => (ref ? doc.context.lookup(ref) : undefined));
    if (!streams.every((s): s is PDFRawStream => s instanceof PDFRawStream)) continue;
    const decoded = streams.map(decodeContent);
    const joined = new Uint8Array(decoded.reduce((n, d) => n + d.length + 1, 0));
    let offset = 0;
    for (const d of decoded) {
      joined.set(d, offset);
      joined[offset + d.length] = 0x0a;
      offset += d.length + 1;
    }
    const result = markUntaggedAsArtifacts(joined);
    if (result.wrapped === 0) continue;
    wrapped += result.wrapped;
    const compressed = doc.context.stream(deflateSync(result.bytes), { Filter: 'FlateDecode' });
    page.node.set(name('Contents'), doc.context.register(compressed));
    for (const ref of refs) if (ref instanceof PDFRef) doc.context.delete(ref);
  }
  return wrapped;
}

/**
 * Chromium names the table header cells of the structure tree after its own node
 * counter (`/ID (node00002282)`; the data cells' `/Headers` and the structure tree's
 * ID tree point at them), and the counter goes on across prints in one browser: the
 * same report printed second gets other names. Number them afresh, in the same order,
 * so the same report is the same file however many prints came before it (and the
 * ID tree, sorted by name, stays sorted).
 */
function renumberStructureIds(doc: PDFDocument): void {
  const [ID, A, HEADERS, NAMES, LIMITS] = ['ID', 'A', 'Headers', 'Names', 'Limits'].map(name);
  const dicts = doc.context.enumerateIndirectObjects().flatMap(([, o]) => (o instanceof PDFDict ? [o] : []));
  const ids: string[] = [];
  for (const dict of dicts) {
    const id = dict.get(ID!);
    if (id instanceof PDFString && /^node\d+$/.test(id.asString())) ids.push(id.asString());
  }
  if (ids.length === 0) return;
  const order = [...new Set(ids)].sort((x, y) => Number(x.slice(4)) - Number(y.slice(4)));
  const renamed = new Map(order.map((old, i) => [old, PDFString.of(`node${String(i + 1).padStart(8, '0')}`)]));
  const renameIn = (array: unknown, step = 1) => {
    if (!(array instanceof PDFArray)) return;
    for (let i = 0; i < array.size(); i += step) {
      const entry = array.get(i);
      const replacement = entry instanceof PDFString ? renamed.get(entry.asString()) : undefined;
      if (replacement) array.set(i, replacement);
    }
  };
  for (const dict of dicts) {
    const id = dict.get(ID!);
    if (id instanceof PDFString) dict.set(ID!, renamed.get(id.asString()) ?? id);
    // A data cell's attributes name its header cells.
    const attributes = dict.get(A!);
    for (const item of attributes instanceof PDFArray ? attributes.asArray() : [attributes]) {
      const owner = item instanceof PDFRef ? doc.context.lookup(item) : item;
      if (owner instanceof PDFDict) renameIn(owner.get(HEADERS!));
    }
    // The ID tree: names paired with elements, and each node's first and last name.
    renameIn(dict.get(NAMES!), 2);
    renameIn(dict.get(LIMITS!));
  }
}

/** An XMP packet carrying the same title, author, subject and language as the Info dictionary. */
export function xmpPacket(meta: PdfMetadata): string {
  const alt = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(text)}</rdf:li></rdf:Alt>`;
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<dc:format>application/pdf</dc:format>`,
    `<dc:title>${alt(meta.title)}</dc:title>`,
    `<dc:creator><rdf:Seq><rdf:li>${escapeXml(meta.author)}</rdf:li></rdf:Seq></dc:creator>`,
    `<dc:description>${alt(meta.subject)}</dc:description>`,
    `<dc:language><rdf:Bag><rdf:li>${escapeXml(meta.language)}</rdf:li></rdf:Bag></dc:language>`,
    `<pdf:Keywords>${escapeXml(meta.keywords.join(', '))}</pdf:Keywords>`,
    `<xmp:CreatorTool>${escapeXml(meta.creator)}</xmp:CreatorTool>`,
    ...(meta.date
      ? [`<xmp:CreateDate>${meta.date.toISOString()}</xmp:CreateDate>`, `<xmp:ModifyDate>${meta.date.toISOString()}</xmp:ModifyDate>`]
      : []),
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

function setXmp(doc: PDFDocument, meta: PdfMetadata): void {
  const stream = doc.context.stream(new TextEncoder().encode(xmpPacket(meta)), {
    Type: 'Metadata',
    Subtype: 'XML',
  });
  doc.catalog.set(name('Metadata'), doc.context.register(stream));
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

/**
 * Finishes Chromium's PDF: metadata Chromium leaves out (author, subject,
 * keywords, XMP), bookmarks that read as the headings do, and the running header
 * and footer marked as artifacts.
 */
export async function finishPdf(doc: PDFDocument, meta: PdfMetadata): Promise<{ bytes: Uint8Array; pages: number }> {
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  doc.setKeywords(meta.keywords);
  doc.setCreator(meta.creator);
  doc.setLanguage(meta.language);
  setXmp(doc, meta);
  repairOutlineTitles(doc, meta.outline);
  liftTitleBookmark(doc, meta.title);
  markArtifacts(doc);
  renumberStructureIds(doc);
  if (meta.date) setDocumentDates(doc, meta.date);
  if (meta.provenance) setDocumentProvenance(doc, meta.provenance);
  reserveDocumentId(doc);
  const saved = await doc.save({
    useObjectStreams: false,
    addDefaultPage: false,
    updateFieldAppearances: false,
    // pdf-lib pauses on a timer every few objects by default; a big report has many thousands.
    objectsPerTick: Infinity,
  });
  return { bytes: setDocumentId(saved), pages: doc.getPageCount() };
}
