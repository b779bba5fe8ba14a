import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../src/pipeline.js';
import { runningHeaderFontSize } from '../src/view/view.js';
import { seedCopy, tempDir } from './helpers/data.js';
import { describeWithBrowser } from './helpers/environment.js';

// A council name of 50 characters and a committee name of 80: the header must keep each whole.
const COUNCIL = 'Royal Borough of Windsor and Maidenhead Council Ab';
const COMMITTEE = 'Children, Young People and Education Overview and Scrutiny Select Committee Pane';

/** The top margin (24 mm) in points: everything above it is the running header. */
const HEADER_BOTTOM = 68;

interface Word {
  text: string;
  x: number;
  y: number;
}

/** Every page's header words as `pdftotext -bbox` places them, grouped into lines from top to bottom. */
function headerLines(pdf: string): string[][][] {
  const html = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' });
  return html
    .split('<page ')
    .slice(1)
    .map((page) => {
      const words: Word[] = [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)]
        .filter((m) => Number(m[3]) < HEADER_BOTTOM)
        .map((m) => ({ text: m[4]!.replace(/&amp;/g, '&'), x: Number(m[1]), y: Number(m[2]) }));
      const lines = new Map<number, Word[]>();
      for (const w of words) {
        const key = [...lines.keys()].find((y) => Math.abs(y - w.y) < 2) ?? w.y;
        lines.set(key, [...(lines.get(key) ?? []), w]);
      }
      return [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, ws]) => ws.sort((a, b) => a.x - b.x).map((w) => w.text));
    });
}

/** True when `name`'s words stand together, in order, on one line. */
function wholeOnOneLine(lines: string[][], name: string): boolean {
  const words = name.split(' ');
  return lines.some((line) => line.some((_, i) => words.every((w, j) => line[i + j] === w)));
}

describe('the running header type size', () => {
  it('is 9 pt while every piece fits a line, and smaller, never below 6 pt, for a longer one', () => {
    expect(COUNCIL).toHaveLength(50);
    expect(COMMITTEE).toHaveLength(80);
    expect(runningHeaderFontSize([COUNCIL, `${COMMITTEE} · 19 September 2017`])).toBe('8.6pt');
    expect(runningHeaderFontSize(['Barnsley Metropolitan Borough Council', 'Overview and Scrutiny Committee · 19 September 2017'])).toBe('9pt');
    expect(runningHeaderFontSize(['x'.repeat(500)])).toBe('6pt');
  });
});

describeWithBrowser('the running header with long names', () => {
  let pages: string[][][];

  beforeAll(async () => {
    const data = await seedCopy('report.yaml', (t) =>
      t
        .replace(/^council: .*$/m, `council: ${COUNCIL}`)
        .replace(/^committee: .*$/m, `committee: ${COMMITTEE}`)
        // A draft adds its mark above the names: the fullest header there is.
        .replace('status: final', 'status: draft'),
    );
    const out = await tempDir();
    await buildReport({ dataDir: data, outDir: out, formats: ['pdf'] });
    pages = headerLines(join(out, 'report.pdf'));
  });

  it('keeps the council and the committee each whole on one line, on every page', () => {
    expect(pages.length).toBeGreaterThan(15);
    pages.forEach((lines, i) => {
      expect(wholeOnOneLine(lines, COUNCIL), `page ${i + 1}: ${JSON.stringify(lines)}`).toBe(true);
      expect(wholeOnOneLine(lines, `${COMMITTEE} · 19 September 2017`), `page ${i + 1}: ${JSON.stringify(lines)}`).toBe(true);
      expect(lines[0], `page ${i + 1}`).toEqual(['DRAFT']);
    });
  });
});
