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
import { trace } from '../trace.js';
import { escapeXml } from '../text/escape.js';
import { applyInserts, artifactMarker, forEachOperator } from './artifacts.js';
import { lineEndSpacer, parseToUnicode } from './spaces.js';
import type { PageFont } from './spaces.js';

/** One heading as a bookmark should read, in document order (the view's outline is a list of these). */
export interface OutlineEntry {
  level: number;
  text: string;
  /** The heading's element id, to find its page. */
  anchor: string;
}

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

/** A title with its spaces left out: Chromium's bookmarks lose some. */
export const squash = (s: string) => s.replace(/\s+/g, '');
const name = (n: string) => PDFName.of(n);

/** A bookmark's title as text. */
export function decodeTitle(value: unknown): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

/** Every bookmark, depth first, with its dictionary. */
export function* bookmarks(first: PDFDict | undefined): Generator<PDFDict> {
  for (let node = first; node; node = node.lookupMaybe(name('Next'), PDFDict)) {
    yield node;
    yield* bookmarks(node.lookupMaybe(name('First'), PDFDict));
  }
}

/** The document's outline (its bookmarks), if it has one. */
export function outlineRoot(doc: PDFDocument): PDFDict | undefined {
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

/** Reads a PDF Chromium printed, once, for finding its pages (pdf/pages.ts), setting its page numbers and `finishPdf`. */
export function openPdf(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
}

const FLATE = name('FlateDecode');

/**
 * A page's content, decoded. Chromium compresses with Flate alone, which node's own
 * zlib undoes many times faster than pdf-lib's JavaScript inflate; anything else
 * goes through pdf-lib.
 */
export function decodeContent(stream: PDFRawStream): Uint8Array {
  const filter = stream.dict.lookup(name('Filter'));
  const flateOnly = filter === FLATE || (filter instanceof PDFArray && filter.size() === 1 && filter.lookup(0) === FLATE);
  if (flateOnly && !stream.dict.has(name('DecodeParms'))) return inflateSync(stream.contents);
  return decodePDFRawStream(stream).decode();
}

const numberIn = (array: PDFArray, i: number) => {
  const n = array.lookup(i);
  return n instanceof PDFNumber ? n.asNumber() : 0;
};

/** Glyph widths of a composite font, from its descendant font's /W array (ISO 32000 9.7.4.3). */
function cidWidths(font: PDFDict): (code: number) => number {
  const descendant = font.lookupMaybe(name('DescendantFonts'), PDFArray)?.lookup(0);
  const cid = descendant instanceof PDFDict ? descendant : undefined;
  const fallback = cid?.lookupMaybe(name('DW'), PDFNumber)?.asNumber() ?? 1000;
  const widths = new Map<number, number>();
  const w = cid?.lookupMaybe(name('W'), PDFArray);
  for (let i = 0; w && i < w.size(); ) {
    const first = numberIn(w, i);
    const next = w.lookup(i + 1);
    if (next instanceof PDFArray) {
      for (let k = 0; k < next.size(); k++) widths.set(first + k, numberIn(next, k));
      i += 2;
    } else {
      const last = numberIn(w, i + 1);
      for (let c = first; c <= last && c - first < 0x10000; c++) widths.set(c, numberIn(w, i + 2));
      i += 3;
    }
  }
  return (code) => widths.get(code) ?? fallback;
}

/** Glyph widths of a simple font, from /FirstChar and /Widths. */
function simpleWidths(font: PDFDict): (code: number) => number {
  const first = font.lookupMaybe(name('FirstChar'), PDFNumber)?.asNumber() ?? 0;
  const widths = font.lookupMaybe(name('Widths'), PDFArray);
  return (code) => (widths && code >= first && code - first < widths.size() ? numberIn(widths, code - first) : 0);
}

/** The fonts a page's content names, with what `spaceLineEnds` needs of each; read once per font object. */
export function pageFonts(doc: PDFDocument, page: PDFDict, cache: Map<string, PageFont | undefined>): Map<string, PageFont> {
  const fonts = new Map<string, PageFont>();
  const resources = page.lookupMaybe(name('Resources'), PDFDict);
  const dict = resources?.lookupMaybe(name('Font'), PDFDict);
  for (const [key, value] of dict?.entries() ?? []) {
    const id = value.toString();
    if (!cache.has(id)) {
      const font = doc.context.lookup(value);
      let info: PageFont | undefined;
      if (font instanceof PDFDict) {
        const stream = font.lookup(name('ToUnicode'));
        const toUnicode = stream instanceof PDFRawStream ? parseToUnicode(Buffer.from(decodeContent(stream)).toString('latin1')) : new Map<number, string>();
        const space = [...toUnicode].find(([, text]) => text === ' ')?.[0];
        const composite = font.get(name('Subtype')) === name('Type0');
        info = { bytesPerCode: composite ? 2 : 1, toUnicode, width: composite ? cidWidths(font) : simpleWidths(font), ...(space !== undefined ? { space } : {}) };
      }
      cache.set(id, info);
    }
    const info = cache.get(id);
    if (info) fonts.set(key.toString(), info);
  }
  return fonts;
}

/**
 * Rewrites every page's content: a space at the end of each line of tagged text
 * (so the tags' words stay whole), and the running header and footer marked as artifacts.
 */
function finishPageContents(doc: PDFDocument): void {
  const fontCache = new Map<string, PageFont | undefined>();
  for (const page of doc.getPages()) {
    const joined = readPageContent(doc, page.node);
    if (!joined) continue;
    // One pass over the page's operators for both.
    const spacer = lineEndSpacer(joined, pageFonts(doc, page.node, fontCache));
    const marker = artifactMarker();
    forEachOperator(joined, (op) => {
      spacer.visit(op);
      marker.visit(op);
    });
    const spaced = spacer.finish();
    if (spaced.length === 0 && marker.inserts.length === 0) continue;
    // Both lists are in stream order; a space goes inside a text object, never where an artifact mark does.
    const inserts = [...spaced, ...marker.inserts].sort((a, b) => a.at - b.at);
    writePageContent(doc, page.node, applyInserts(joined, inserts));
  }
}

/** A page's content streams, decoded and joined; undefined if one is not a stream. */
export function readPageContent(doc: PDFDocument, page: PDFDict): Uint8Array | undefined {
  const contents = page.get(name('Contents'));
  const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
  const streams = refs.map((ref) => (ref ? doc.context.lookup(ref) : undefined));
  if (!streams.every((s): s is PDFRawStream => s instanceof PDFRawStream)) return undefined;
  const decoded = streams.map(decodeContent);
  const joined = new Uint8Array(decoded.reduce((n, d) => n + d.length + 1, 0));
  let offset = 0;
  for (const d of decoded) {
    joined.set(d, offset);
    joined[offset + d.length] = 0x0a;
    offset += d.length + 1;
  }
  return joined;
}

/** Replaces a page's content with these bytes, compressed, in one stream; the old streams go. */
export function writePageContent(doc: PDFDocument, page: PDFDict, bytes: Uint8Array): void {
  const contents = page.get(name('Contents'));
  const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
  const compressed = doc.context.stream(deflateSync(bytes), { Filter: 'FlateDecode' });
  page.set(name('Contents'), doc.context.register(compressed));
  for (const ref of refs) if (ref instanceof PDFRef) doc.context.delete(ref);
}

/** Names the structure passes look up in every one of the tens of thousands of dictionaries: made once. */
const ID = name('ID');
const A = name('A');
const HEADERS = name('Headers');
const NAMES = name('Names');
const LIMITS = name('Limits');
const P = name('P');
const S = name('S');

/** The PDF's indirect dictionaries, in object order: the structure elements are among them. Enumerated once for both structure passes. */
function indirectDicts(doc: PDFDocument): PDFDict[] {
  const dicts: PDFDict[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) if (object instanceof PDFDict) dicts.push(object);
  return dicts;
}

/** The dictionaries that hold or name a structure element ID: header cells, data cells (by their attributes), the ID tree's nodes. */
function idDicts(dicts: readonly PDFDict[]): PDFDict[] {
  return dicts.filter((dict) => dict.has(ID) || dict.has(A) || dict.has(NAMES) || dict.has(LIMITS));
}

/** Chromium's `nodeNNN` names of header cells, in the order of their numbers, each with its new name. */
function structureIdNames(dicts: readonly PDFDict[]): Map<string, PDFString> {
  const ids: string[] = [];
  for (const dict of dicts) {
    const id = dict.get(ID);
    if (id instanceof PDFString && /^node\d+$/.test(id.asString())) ids.push(id.asString());
  }
  const order = [...new Set(ids)].sort((x, y) => Number(x.slice(4)) - Number(y.slice(4)));
  return new Map(order.map((old, i) => [old, PDFString.of(`node${String(i + 1).padStart(8, '0')}`)]));
}

/**
 * Chromium names the table header cells of the structure tree after its own node
 * counter (`/ID (node00002282)`; the data cells' `/Headers` and the structure tree's
 * ID tree point at them), and the counter goes on across prints in one browser: the
 * same report printed second gets other names. Number them afresh, in the same order,
 * so the same report is the same file however many prints came before it (and the
 * ID tree, sorted by name, stays sorted).
 */
function renumberStructureIds(doc: PDFDocument, dicts: readonly PDFDict[]): void {
  const naming = idDicts(dicts);
  const renamed = structureIdNames(naming);
  if (renamed.size === 0) return;
  const renameIn = (array: unknown, step = 1) => {
    if (!(array instanceof PDFArray)) return;
    for (let i = 0; i < array.size(); i += step) {
      const entry = array.get(i);
      const replacement = entry instanceof PDFString ? renamed.get(entry.asString()) : undefined;
      if (replacement) array.set(i, replacement);
    }
  };
  for (const dict of naming) {
    const id = dict.get(ID);
    if (id instanceof PDFString) dict.set(ID, renamed.get(id.asString()) ?? id);
    // A data cell's attributes name its header cells.
    const attributes = dict.get(A);
    for (const item of attributes instanceof PDFArray ? attributes.asArray() : [attributes]) {
      const owner = item instanceof PDFRef ? doc.context.lookup(item) : item;
      if (owner instanceof PDFDict) renameIn(owner.get(HEADERS));
    }
    // The ID tree: names paired with elements, and each node's first and last name.
    renameIn(dict.get(NAMES), 2);
    renameIn(dict.get(LIMITS));
  }
}

/** The structure types of PDF 1.7 (ISO 32000-1, 14.8.4), which need no role map. */
const STANDARD_TYPES = new Set(
  ('Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody ' +
    'Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form').split(' '),
);
/** PDF 2.0 types Chromium writes, and the PDF 1.7 type each stands for in a 1.7 file. */
const PDF_2_TYPES: Record<string, string> = { Strong: 'Span', Em: 'Span', Sub: 'Span', Title: 'P', FENote: 'Note', Aside: 'Div', DocumentFragment: 'Div' };

/**
 * Chromium tags `<strong>` and `<em>` as `Strong` and `Em`, PDF 2.0 names, in a
 * PDF 1.7 file. A role map on the structure tree root maps each type that is not
 * a PDF 1.7 one to the standard type it stands for (PDF/UA asks this of every
 * non-standard type), so readers know what they are.
 */
export function addRoleMap(doc: PDFDocument, dicts: readonly PDFDict[]): void {
  const root = doc.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
  if (!root) return;
  // Names are interned: collect each type once, and decode only the few distinct ones.
  const types = new Set<PDFName>();
  for (const dict of dicts) {
    const type = dict.get(S);
    if (type instanceof PDFName && dict.has(P)) types.add(type);
  }
  const used = new Set([...types].map((type) => type.decodeText()));
  const roleMap = root.lookupMaybe(name('RoleMap'), PDFDict) ?? doc.context.obj({});
  let mapped = false;
  for (const type of [...used].sort()) {
    if (STANDARD_TYPES.has(type) || roleMap.has(name(type))) continue;
    roleMap.set(name(type), name(PDF_2_TYPES[type] ?? 'Span'));
    mapped = true;
  }
  if (mapped) root.set(name('RoleMap'), roleMap);
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
    `<pdf:Keywords>${escapeXml(meta.keywords.join('; '))}</pdf:Keywords>`,
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
 * Writes into `bytes` (the file just saved, many megabytes: a copy costs more than the hash).
 */
export function setDocumentId(bytes: Uint8Array): Uint8Array {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const trailer = file.lastIndexOf('trailer', undefined, 'latin1');
  const first = file.indexOf(ID_PLACEHOLDER, trailer, 'latin1');
  const second = file.indexOf(ID_PLACEHOLDER, first + ID_PLACEHOLDER.length, 'latin1');
  if (trailer < 0 || first < 0 || second < 0) throw new Error('the PDF has no reserved document ID to fill in');
  const id = Buffer.from(`<${createHash('sha256').update(file).digest('hex').slice(0, 32).toUpperCase()}>`, 'latin1');
  id.copy(file, first);
  id.copy(file, second);
  return bytes;
}

/**
 * Finishes Chromium's PDF, in this order: (1) the document information Chromium leaves
 * out (title, author, subject, keywords, creator, language) and (2) its XMP; (3)
 * bookmarks that read as the headings do, (4) lifted from under the title; (5) each
 * page's content rewritten: a space at each line end of tagged text, the running header
 * and footer marked as artifacts; (6) a role map for PDF 2.0 structure types and (7)
 * structure ids numbered in order; (8) the dates and provenance, and a document ID from
 * the saved bytes, so the same inputs give the same file.
 */
export async function finishPdf(doc: PDFDocument, meta: PdfMetadata): Promise<{ bytes: Uint8Array; pages: number }> {
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  doc.setSubject(meta.subject);
  // pdf-lib joins keywords with a bare space, which runs several-word keywords together.
  doc.context.lookup(doc.context.trailerInfo.Info, PDFDict).set(name('Keywords'), PDFHexString.fromText(meta.keywords.join('; ')));
  doc.setCreator(meta.creator);
  doc.setLanguage(meta.language);
  setXmp(doc, meta);
  repairOutlineTitles(doc, meta.outline);
  liftTitleBookmark(doc, meta.title);
  finishPageContents(doc);
  trace('page contents finished');
  const dicts = indirectDicts(doc);
  addRoleMap(doc, dicts);
  renumberStructureIds(doc, dicts);
  trace('structure tree finished');
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
  trace('saved');
  return { bytes: setDocumentId(saved), pages: doc.getPageCount() };
}
