import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import type { PDFDocument, PDFObject } from 'pdf-lib';
import { forEachOperator } from './artifacts.js';
import { readOperands } from './operands.js';
import { pageFonts, readPageContent, writePageContent } from './metadata.js';
import type { PageFont } from './spaces.js';
import type { PageNumbers } from './paginate.js';

/**
 * Changes the page numbers a printed report shows, in the PDF Chromium made, so that a
 * report whose guessed page numbers were wrong need not be printed again
 * (pdf/paginate.ts). Each page number is a link to the anchor it is the page of
 * (text/page-number.ts), which is how it is found: the link's annotation names the
 * anchor, and the link's structure element the marked content that draws its text.
 * Only the glyph codes of its figures change, each to a figure of the same width in the
 * same font, so nothing on the page moves and the tags still read the page as drawn.
 *
 * Nothing is changed unless every number can be: another number of digits, a figure the
 * font's subset lacks, a width that differs, or a number not found as often as the report
 * shows it, and the answer is false.
 */
export function renumberPrinted(
  doc: PDFDocument,
  shown: PageNumbers,
  landed: PageNumbers,
  /** How many times the report shows each anchor's page number. */
  counts: ReadonlyMap<string, number>,
): boolean {
  const changed = new Set([...counts.keys()].filter((anchor) => shown.get(anchor) !== landed.get(anchor)));
  if (changed.size === 0) return true;
  for (const anchor of changed) {
    const [from, to] = [shown.get(anchor), landed.get(anchor)];
    if (from === undefined || to === undefined || String(from).length !== String(to).length) return false;
  }
  const edits: { page: PDFDict; bytes: Uint8Array }[] = [];
  const found = new Map<string, number>();
  const fontCache = new Map<string, PageFont | undefined>();
  for (const { page, marks } of linkMarks(doc, changed)) {
    const bytes = readPageContent(doc, page);
    if (!bytes) return false;
    for (const drawn of drawnText(bytes, marks, pageFonts(doc, page, fontCache))) {
      if (drawn.text !== String(shown.get(drawn.anchor))) continue; // the entry's own link, not its number
      if (!setFigures(bytes, drawn, String(landed.get(drawn.anchor)))) return false;
      found.set(drawn.anchor, (found.get(drawn.anchor) ?? 0) + 1);
    }
    edits.push({ page, bytes });
  }
  if (![...changed].every((anchor) => found.get(anchor) === counts.get(anchor))) return false;
  for (const { page, bytes } of edits) writePageContent(doc, page, bytes);
  return true;
}

/**
 * The text each link to these anchors draws, read back from the pages' content: for each
 * anchor, one text per link (a contents entry's title and its number are two links). A link
 * whose text is drawn in a way this cannot read (not two-byte hexadecimal strings) is missing.
 */
export function drawnLinkTexts(doc: PDFDocument, anchors: ReadonlySet<string>): Map<string, string[]> {
  const texts = new Map<string, string[]>();
  const fontCache = new Map<string, PageFont | undefined>();
  for (const { page, marks } of linkMarks(doc, anchors)) {
    const bytes = readPageContent(doc, page);
    if (!bytes) continue;
    for (const drawn of drawnText(bytes, marks, pageFonts(doc, page, fontCache))) texts.set(drawn.anchor, [...(texts.get(drawn.anchor) ?? []), drawn.text]);
  }
  return texts;
}

const name = (n: string) => PDFName.of(n);

/** The text one marked content sequence draws, and where each of its glyph codes is. */
export interface DrawnText {
  anchor: string;
  text: string;
  glyphs: { at: number; font: PageFont; code: number }[];
}

/**
 * Overwrites the figures of one drawn number with those of `to`, in place; false, with
 * nothing changed, if the font cannot: a figure its subset lacks, or one of another width.
 */
export function setFigures(bytes: Uint8Array, drawn: DrawnText, to: string): boolean {
  if (drawn.glyphs.length !== to.length) return false;
  const planned = drawn.glyphs.map((glyph, i) => {
    const code = codeFor(glyph.font, to[i]!);
    return code !== undefined && glyph.font.width(code) === glyph.font.width(glyph.code) ? { at: glyph.at, code } : undefined;
  });
  if (!planned.every((p) => p !== undefined)) return false;
  for (const { at, code } of planned as { at: number; code: number }[]) {
    const hex = code.toString(16).toUpperCase().padStart(4, '0');
    for (let k = 0; k < 4; k++) bytes[at + k] = hex.charCodeAt(k);
  }
  return true;
}

/** The code that draws this character in a font, if its subset has one. */
function codeFor(font: PageFont, character: string): number | undefined {
  for (const [code, text] of font.toUnicode) if (text === character) return code;
  return undefined;
}

/** The pages that draw the text of links to these anchors: each page, and its marked content (MCID → anchor). */
function linkMarks(doc: PDFDocument, anchors: ReadonlySet<string>): { page: PDFDict; marks: Map<number, string> }[] {
  const parents = parentTree(doc);
  const byRef = new Map(doc.getPages().map((p) => [p.ref.toString(), p.node]));
  const marks = new Map<PDFDict, Map<number, string>>();
  for (const page of byRef.values()) {
    for (const annotation of page.lookupMaybe(name('Annots'), PDFArray)?.asArray() ?? []) {
      const link = doc.context.lookup(annotation);
      if (!(link instanceof PDFDict) || link.get(name('Subtype')) !== name('Link')) continue;
      const anchor = linkTarget(link);
      const parent = link.lookupMaybe(name('StructParent'), PDFNumber)?.asNumber();
      const element = parent === undefined ? undefined : parents.get(parent);
      if (anchor === undefined || !anchors.has(anchor) || !element) continue;
      for (const { pageRef, mcid } of markedContent(doc, element)) {
        const target = byRef.get(pageRef);
        if (!target) continue;
        if (!marks.has(target)) marks.set(target, new Map());
        marks.get(target)!.set(mcid, anchor);
      }
    }
  }
  return [...marks].map(([page, m]) => ({ page, marks: m }));
}

/** The named destination a link goes to (`/Dest`, or a GoTo action's `/D`). */
function linkTarget(link: PDFDict): string | undefined {
  const dest = link.get(name('Dest')) ?? link.lookupMaybe(name('A'), PDFDict)?.get(name('D'));
  if (dest instanceof PDFName) return dest.decodeText();
  if (dest instanceof PDFString) return dest.decodeText();
  return undefined;
}

/** The structure tree's parent tree: StructParent(s) key → the value it names. */
function parentTree(doc: PDFDocument): Map<number, PDFDict> {
  const tree = new Map<number, PDFDict>();
  const root = doc.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
  const visit = (node: PDFDict | undefined) => {
    if (!node) return;
    const nums = node.lookupMaybe(name('Nums'), PDFArray);
    for (let i = 0; nums && i + 1 < nums.size(); i += 2) {
      const key = nums.lookup(i);
      const value = nums.lookup(i + 1);
      if (key instanceof PDFNumber && value instanceof PDFDict) tree.set(key.asNumber(), value);
    }
    for (const kid of node.lookupMaybe(name('Kids'), PDFArray)?.asArray() ?? []) visit(doc.context.lookupMaybe(kid, PDFDict));
  };
  visit(root?.lookupMaybe(name('ParentTree'), PDFDict));
  return tree;
}

/** Every marked content sequence (page, MCID) a structure element and its descendants own. */
function* markedContent(doc: PDFDocument, element: PDFDict, inherited?: PDFObject): Generator<{ pageRef: string; mcid: number }> {
  const pg = element.get(name('Pg')) ?? inherited;
  const k = element.get(name('K'));
  for (const kid of k instanceof PDFArray ? k.asArray() : k ? [k] : []) {
    const value = kid instanceof PDFRef ? doc.context.lookup(kid) : kid;
    if (value instanceof PDFNumber && pg instanceof PDFRef) yield { pageRef: pg.toString(), mcid: value.asNumber() };
    else if (value instanceof PDFDict && value.get(name('Type')) === name('MCR')) {
      const mcid = value.lookupMaybe(name('MCID'), PDFNumber)?.asNumber();
      const page = value.get(name('Pg')) ?? pg;
      if (mcid !== undefined && page instanceof PDFRef) yield { pageRef: page.toString(), mcid };
    } else if (value instanceof PDFDict && value.get(name('Type')) !== name('OBJR')) yield* markedContent(doc, value, pg);
  }
}

const LT = 0x3c;
const GT = 0x3e;
const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

/**
 * The text each of these marked content sequences draws, with where each glyph code is
 * in the bytes. Chromium draws text in two-byte hexadecimal strings; a sequence drawn
 * any other way is left out, so its number is not found and nothing is changed.
 */
function drawnText(bytes: Uint8Array, marks: ReadonlyMap<number, string>, fonts: ReadonlyMap<string, PageFont>): DrawnText[] {
  const drawn = new Map<number, DrawnText | undefined>();
  const open: (number | undefined)[] = [];
  let font: PageFont | undefined;
  const text = String.fromCharCode;
  forEachOperator(bytes, (op) => {
    if (op.name === 'BDC' || op.name === 'BMC') {
      const mcid = /\/MCID\s+(\d+)/.exec(text(...bytes.subarray(op.start, op.end)))?.[1];
      const mark = mcid !== undefined && marks.has(Number(mcid)) ? Number(mcid) : undefined;
      open.push(mark);
      if (mark !== undefined && !drawn.has(mark)) drawn.set(mark, { anchor: marks.get(mark)!, text: '', glyphs: [] });
    } else if (op.name === 'EMC') open.pop();
    else if (op.name === 'Tf') {
      const [resource] = readOperands(bytes, op.start, op.end - 2);
      font = typeof resource === 'string' ? fonts.get(resource) : undefined;
    }
    else if (op.name === 'Tj' || op.name === 'TJ') {
      const mark = open.at(-1);
      const into = mark === undefined ? undefined : drawn.get(mark);
      if (mark === undefined || !into) return;
      if (!font || font.bytesPerCode !== 2 || !readCodes(bytes, op.start, op.end, font, into)) drawn.set(mark, undefined);
    }
  });
  return [...drawn.values()].filter((d): d is DrawnText => d !== undefined);
}

/** Adds the glyphs of one text-showing operator's hexadecimal strings; false for anything else (a literal string). */
function readCodes(bytes: Uint8Array, start: number, end: number, font: PageFont, into: DrawnText): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0x28) return false;
    if (b !== LT) continue;
    let j = i + 1;
    while (j < end && isHex(bytes[j]!)) j++;
    if (bytes[j] !== GT || (j - i - 1) % 4 !== 0) return false;
    for (let at = i + 1; at < j; at += 4) {
      const code = parseInt(String.fromCharCode(...bytes.subarray(at, at + 4)), 16);
      into.glyphs.push({ at, font, code });
      into.text += font.toUnicode.get(code) ?? '\ufffd';
    }
    i = j;
  }
  return true;
}
