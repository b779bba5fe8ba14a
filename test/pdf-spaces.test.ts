import { describe, expect, it } from 'vitest';
import { applyInserts, forEachOperator } from '../src/pdf/artifacts.js';
import { lineEndSpacer, parseToUnicode } from '../src/pdf/spaces.js';
import type { PageFont } from '../src/pdf/spaces.js';

/** A content stream with the line ends spaced, as finishing a page does (pdf/metadata.ts). */
function spaceLineEnds(bytes: Uint8Array, fonts: ReadonlyMap<string, PageFont>): { bytes: Uint8Array } {
  const spacer = lineEndSpacer(bytes, fonts);
  forEachOperator(bytes, spacer.visit);
  return { bytes: applyInserts(bytes, spacer.finish()) };
}

/** A one-byte font: each code is its ASCII letter, 500 thousandths wide; code 32 is the space. */
const ascii: PageFont = {
  bytesPerCode: 1,
  toUnicode: new Map(Array.from({ length: 95 }, (_, i) => [i + 32, String.fromCharCode(i + 32)])),
  space: 32,
  width: () => 500,
};
/** A font with no space glyph (its subset never needed one). */
const noSpace: PageFont = { ...ascii, toUnicode: new Map([[65, 'A']]), space: undefined } as PageFont;

const run = (content: string, fonts: Record<string, PageFont> = { '/F1': ascii }) =>
  new TextDecoder().decode(spaceLineEnds(new TextEncoder().encode(content), new Map(Object.entries(fonts))).bytes);

/** Text shown at (x, y) with font F1 at 10 pt, as Chromium prints each line: its own BT…ET. */
const line = (text: string, x: number, y: number, font = '/F1') => `BT ${font} 10 Tf 1 0 0 1 ${x} ${y} Tm (${text}) Tj ET\n`;

describe('a space at the end of every line of tagged text', () => {
  it('puts a space glyph after the last glyph of a line that wraps inside one marked content', () => {
    const out = run(`/P <</MCID 0>> BDC\n${line("Children's", 0, 700)}${line('Social Care', 0, 686)}EMC\n`);
    expect(out).toContain("(Children's) Tj\n<20> Tj ET");
    // and after the last line, so the next tagged text never runs on from it either
    expect(out).toContain('(Social Care) Tj\n<20> Tj ET');
  });

  it('joins nothing where a line ends in a space, a hyphen or a slash', () => {
    const out = run(`/P <</MCID 0>> BDC\n${line('multi-', 0, 700)}${line('agency ', 0, 686)}${line('https://example.org/', 0, 672)}${line('a/b', 0, 658)}EMC\n`);
    expect(out.match(/<20> Tj/g)).toHaveLength(1); // after "a/b" only, the last line
    expect(out).toContain('(a/b) Tj\n<20> Tj');
  });

  it('spaces pieces of one line apart only where a gap shows', () => {
    // "Trust" then ":" right after it (bold then regular): one word. "glance" then a page number far right: two.
    const out = run(`/P <</MCID 0>> BDC\n${line('Trust', 0, 700)}${line(': Review', 25, 700)}${line('glance', 0, 600)}${line('1', 400, 600)}EMC\n`);
    expect(out).not.toContain('(Trust) Tj\n<20>');
    expect(out).toContain('(glance) Tj\n<20> Tj');
  });

  it('leaves artifacts and untagged text alone', () => {
    const content = `/Artifact <</Type /Pagination>> BDC\n${line('Page 1 of', 0, 800)}${line('22', 0, 780)}EMC\n${line('header', 0, 820)}`;
    expect(run(content)).toBe(content);
  });

  it('borrows a space from another font of the page when the line\'s own font has none', () => {
    const out = run(`/P <</MCID 0>> BDC\n${line('A', 0, 700, '/F2')}${line('A', 0, 686, '/F2')}EMC\n`, { '/F1': ascii, '/F2': noSpace });
    expect(out).toContain('(A) Tj\n/F1 10 Tf <20> Tj /F2 10 Tf ET');
  });

  it('reads a ToUnicode map of single codes and ranges', () => {
    const map = parseToUnicode(
      'begincmap\n2 beginbfchar\n<0003> <0020>\n<0044> <0061>\nendbfchar\n1 beginbfrange\n<0045> <0047> <0062>\nendbfrange\n1 beginbfrange\n<0050> <0051> [<0066> <00660069>]\nendbfrange\nendcmap',
    );
    expect([map.get(3), map.get(0x44), map.get(0x46), map.get(0x47), map.get(0x50), map.get(0x51)]).toEqual([' ', 'a', 'c', 'd', 'f', 'fi']);
  });
});
