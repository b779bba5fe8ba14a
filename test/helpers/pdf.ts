import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** `pdfinfo` as key → value. */
export function pdfinfo(path: string): Record<string, string> {
  const text = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
  );
}

/**
 * The body text of every page, as `pdftotext` reads it, cropped to inside the
 * page margins so the running header and footer do not split sentences.
 */
export function bodyText(path: string): string {
  // A4 is 595×842 pt; the header sits in the top 24 mm (68 pt), the footer in the bottom 20 mm.
  return execFileSync('pdftotext', ['-x', '0', '-y', '66', '-W', '596', '-H', '721', path, '-'], { encoding: 'utf8' });
}

/** Text of each whole page, header and footer included. */
export function pageTexts(path: string): string[] {
  return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

export interface Bookmark {
  title: string;
  children: Bookmark[];
}

/** The document outline, language and info dictionary, read with pdf.js. */
export async function readPdf(path: string) {
  const data = new Uint8Array(await readFile(path));
  const doc = await getDocument({ data, isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    const outline = (await doc.getOutline()) ?? [];
    const simplify = (items: { title: string; items: unknown[] }[]): Bookmark[] =>
      items.map((i) => ({ title: i.title, children: simplify(i.items as { title: string; items: unknown[] }[]) }));
    const meta = await doc.getMetadata();
    const markInfo = await doc.getMarkInfo();
    return { outline: simplify(outline), info: meta.info as Record<string, unknown>, markInfo, pages: doc.numPages };
  } finally {
    await doc.destroy();
  }
}

/** Every bookmark title, depth first. */
export function flatten(bookmarks: Bookmark[]): string[] {
  return bookmarks.flatMap((b) => [b.title, ...flatten(b.children)]);
}
