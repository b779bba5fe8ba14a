import { execFileSync, spawnSync } from 'node:child_process';
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
  return execFileSync('pdftotext', ['-x', '0', '-y', '66', '-W', '596', '-H', '721', path, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** Text of each whole page, header and footer included. */
export function pageTexts(path: string): string[] {
  return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

export interface Bookmark {
  title: string;
  children: Bookmark[];
}

interface StructNode {
  role?: string;
  alt?: string;
  children?: StructNode[];
}

interface MarkedItem {
  type?: string;
  tag?: string;
  str?: string;
}

/**
 * The document outline, language, info dictionary and XMP title, read with pdf.js;
 * optionally the structure tree's roles and figure alt texts, and text found
 * outside any marked content (there should be none).
 */
export async function readPdf(path: string, options: { structure?: boolean; markedContent?: boolean } = {}) {
  const data = new Uint8Array(await readFile(path));
  const doc = await getDocument({ data, isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    const outline = (await doc.getOutline()) ?? [];
    const simplify = (items: { title: string; items: unknown[] }[]): Bookmark[] =>
      items.map((i) => ({ title: i.title, children: simplify(i.items as { title: string; items: unknown[] }[]) }));
    const meta = await doc.getMetadata();
    const markInfo = await doc.getMarkInfo();
    const roles = new Set<string>();
    const figures: string[] = [];
    const strayText: string[] = [];
    const artifactText: string[] = [];
    for (let p = 1; (options.structure || options.markedContent) && p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      if (options.structure) {
        const walk = (node: StructNode | null) => {
          if (!node) return;
          if (node.role) roles.add(node.role);
          if (node.role === 'Figure' && node.alt) figures.push(node.alt);
          node.children?.forEach(walk);
        };
        walk((await page.getStructTree()) as StructNode);
      }
      if (options.markedContent) {
        const content = await page.getTextContent({ includeMarkedContent: true });
        const stack: string[] = [];
        for (const item of content.items as MarkedItem[]) {
          if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') stack.push(item.tag ?? '');
          else if (item.type === 'endMarkedContent') stack.pop();
          else if (item.str?.trim()) {
            if (stack.length === 0) strayText.push(`page ${p}: ${item.str}`);
            else if (stack.includes('Artifact')) artifactText.push(item.str);
          }
        }
      }
    }
    const info = meta.info as Record<string, unknown>;
    return {
      outline: simplify(outline),
      info,
      language: info.Language as string | undefined,
      xmpTitle: meta.metadata?.get('dc:title') as string | undefined,
      markInfo,
      pages: doc.numPages,
      structure: { roles: [...roles], figures },
      strayText,
      artifactText,
    };
  } finally {
    await doc.destroy();
  }
}

/** Every bookmark title, depth first. */
export function flatten(bookmarks: Bookmark[]): string[] {
  return bookmarks.flatMap((b) => [b.title, ...flatten(b.children)]);
}

/**
 * The page numbers a printed report shows, each with the page it should be (read from the
 * text alone, as a reader would check them): every contents entry against the page its
 * heading is on (an appendix starts a page), and every cross-reference "Appendix N, page P"
 * against the page Appendix N starts on.
 */
export function printedPageNumbers(path: string) {
  const squash = (s: string) => s.replace(/\s+/g, '');
  const pages = bodyText(path).split('\f').map((page) => page.split('\n').map((l) => l.trim()).filter(Boolean));
  const contentsPage = pages.findIndex((lines) => lines.includes('Contents'));
  // The entries as laid out on the contents page: "label ….. 12", a label may wrap.
  const layout = execFileSync('pdftotext', ['-layout', '-f', String(contentsPage + 1), '-l', String(contentsPage + 1), path, '-'], { encoding: 'utf8' });
  const block = layout.slice(layout.indexOf('Contents') + 'Contents'.length).split(/\n\s*\n\s*\n|\n\s*1\.0 {2,}/)[0]!;
  const contents: { label: string; page: number; heading: number }[] = [];
  let pending = '';
  for (const raw of block.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(.*?)\s{2,}(\d+)$/.exec(line) ?? /^()(\d+)$/.exec(line);
    if (!m) {
      pending = `${pending} ${line}`;
      continue;
    }
    const label = `${pending} ${m[1]}`.trim().replace(/\s+/g, ' ');
    pending = '';
    contents.push({ label, page: Number(m[2]), heading: 0 });
  }
  const appendixStarts = (n: string) => pages.findIndex((lines) => squash(lines[0] ?? '').startsWith(squash(`Appendix ${n} –`))) + 1;
  for (const entry of contents) {
    const appendix = /^Appendix (\d+) –/.exec(entry.label);
    entry.heading = appendix
      ? appendixStarts(appendix[1]!)
      : pages.findIndex((lines, i) => lines.filter((l) => squash(l) === squash(entry.label)).length > (i === contentsPage ? 1 : 0)) + 1;
  }
  const references = [...pages.map((lines) => lines.join(' ')).join(' ').matchAll(/Appendix (\d+), page (\d+)/g)].map((m) => ({
    reference: m[0],
    page: Number(m[2]),
    appendix: appendixStarts(m[1]!),
  }));
  return { contents, references };
}

/** Structure types whose text runs on within the block around them, as a screen reader reads it. */
const INLINE_TYPES = new Set(['NonStruct', 'Span', 'Link', 'Strong', 'Em', 'Quote', 'Note', 'Reference', 'BibEntry', 'Code', 'Annot', 'Ruby', 'Warichu']);

/**
 * The tagged text of the PDF as poppler reads it (`pdfinfo -struct-text`): the text
 * of each block-level structure element, its marked content joined as a screen
 * reader joins it, with nothing added between pieces. `errors` is what poppler
 * said about the structure tree on stderr.
 */
export function taggedText(path: string): { blocks: string[]; errors: string[] } {
  const run = spawnSync('pdfinfo', ['-struct-text', path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const stack: { indent: number; type: string; text: string[] }[] = [];
  const blocks: { text: string[] }[] = [];
  for (const line of run.stdout.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('/') || /^Object \d+ \d+$/.test(trimmed)) continue;
    while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
    if (trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2) {
      const block = [...stack].reverse().find((e) => !INLINE_TYPES.has(e.type));
      (block ?? stack[0])?.text.push(trimmed.slice(1, -1));
    } else {
      const element = { indent, type: trimmed.split(/[\s:<]/)[0]!, text: [] as string[] };
      stack.push(element);
      blocks.push(element);
    }
  }
  return {
    blocks: blocks.map((b) => b.text.join('')).filter((t) => t.trim() !== ''),
    errors: run.stderr.split('\n').filter((l) => l.trim() !== ''),
  };
}

/**
 * Words of the tagged text that are two of the report's words run together
 * ("Children'sSocial"), and pairs of tagged words that are one of its words cut in
 * two, checked against the words of the HTML the PDF was printed from.
 */
export function wordDamage(blocks: readonly string[], htmlWords: ReadonlySet<string>): { joined: string[]; split: string[] } {
  const joined: string[] = [];
  const split: string[] = [];
  for (const block of blocks) {
    const words = block.split(/\s+/).filter(Boolean);
    words.forEach((word, i) => {
      if (!htmlWords.has(word)) {
        for (let k = 1; k < word.length; k++) {
          if (htmlWords.has(word.slice(0, k)) && htmlWords.has(word.slice(k))) {
            joined.push(word);
            break;
          }
        }
      }
      const next = words[i + 1];
      if (next !== undefined && (!htmlWords.has(word) || !htmlWords.has(next)) && htmlWords.has(word + next)) split.push(`${word} ${next}`);
    });
  }
  return { joined, split };
}
