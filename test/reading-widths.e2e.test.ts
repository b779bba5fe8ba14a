import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildReport } from '../src/pipeline.js';
import { chromiumArgs } from '../src/pdf/printer.js';
import { buildExample, SEED_DATA, tempDir } from './helpers/data.js';
import { BROWSER, describeWithBrowser } from './helpers/environment.js';

/** The widths the HTML must read well at: a phone, and a desktop browser. */
const PHONE = 390;
const DESKTOP = 1280;
/** Longest comfortable line of running text (GOV.UK keeps to about 75 characters). */
const MAX_LINE = 75;
/** Smallest text size in a figure, in CSS pixels. */
const MIN_FIGURE_TEXT = 12;

interface Layout {
  pageScrollWidth: number;
  viewport: number;
  overflowing: string[];
  smallFigureText: string[];
  longestLines: { chars: number; text: string }[];
}

/**
 * Measures the page in the browser: boxes whose content is wider than they are
 * (outside a scroll container), the page's own width, the size figure text is
 * drawn at, and how many characters each line of text holds.
 */
async function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const describe = (el: Element) => {
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} "${text}"`;
    };
    /** A scroll container, or a box clipped on purpose (visually hidden text). */
    const contains = (el: Element) => {
      const style = getComputedStyle(el);
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') return true;
      return (style.overflowX === 'hidden' || style.overflowX === 'clip') && el.getBoundingClientRect().width <= 1;
    };
    const insideContainer = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (contains(a)) return true;
      return false;
    };

    const overflowing: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (el instanceof SVGElement || contains(el) || insideContainer(el)) continue;
      const style = getComputedStyle(el);
      if (style.display === 'inline' || style.display === 'none' || style.display === 'contents') continue;
      if (el.scrollWidth > el.clientWidth + 1) overflowing.push(`${describe(el)}: content ${el.scrollWidth} px in a box of ${el.clientWidth} px`);
    }

    const smallFigureText: string[] = [];
    for (const text of Array.from(document.querySelectorAll('svg text'))) {
      const svg = (text as SVGTextElement).ownerSVGElement!;
      const px = parseFloat(getComputedStyle(text).fontSize) * (svg.getScreenCTM()?.a ?? 1);
      if (px < 12) smallFigureText.push(`"${text.textContent}" at ${px.toFixed(1)} px`);
    }

    // Characters on each line: every character's box, grouped by its block and its line's top.
    const lines = new Map<string, { chars: number; text: string }>();
    const blocks = new Map<Element, number>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement!;
      if (parent.closest('svg, style, .visually-hidden') || insideContainer(parent)) continue;
      let block: Element = parent;
      while (getComputedStyle(block).display.startsWith('inline') && block.parentElement) block = block.parentElement;
      if (!blocks.has(block)) blocks.set(block, blocks.size);
      const value = node.nodeValue ?? '';
      for (let i = 0; i < value.length; i++) {
        if (/\s/.test(value[i]!) && (i === 0 || /\s/.test(value[i - 1]!))) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) continue;
        const key = `${blocks.get(block)}:${Math.round(rect.bottom)}`;
        const line = lines.get(key) ?? { chars: 0, text: '' };
        line.chars++;
        line.text += value[i];
        lines.set(key, line);
      }
    }
    const longestLines = [...lines.values()].sort((a, b) => b.chars - a.chars).slice(0, 5);
    return {
      pageScrollWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      overflowing,
      smallFigureText,
      longestLines,
    };
  });
}

/** The seed, and the example plan of another council (front sheet, tables in text, its own statuses). */
const PLANS: { name: string; dataDir?: string; example?: true }[] = [
  { name: 'seed', dataDir: SEED_DATA },
  { name: 'example council', example: true },
];

describeWithBrowser('the HTML reads well on a phone and on a desktop', () => {
  let browser: Browser;
  const pages = new Map<string, string>();
  const layouts = new Map<string, Layout>();

  beforeAll(async () => {
    browser = await puppeteer.launch({ executablePath: BROWSER!, headless: 'shell', args: chromiumArgs(process.getuid?.() === 0) });
    for (const plan of PLANS) {
      const out = await tempDir();
      const options = { outDir: out, formats: ['html' as const] };
      if (plan.example) await buildExample(options);
      else await buildReport({ ...options, dataDir: plan.dataDir! });
      const html = await readFile(join(out, 'report.html'), 'utf8');
      pages.set(plan.name, html);
      for (const width of [PHONE, DESKTOP]) {
        const page = await browser.newPage();
        await page.setViewport({ width, height: 900 });
        await page.setContent(html, { waitUntil: 'load' });
        layouts.set(`${plan.name} ${width}`, await measure(page));
        await page.close();
      }
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const { name } of PLANS) {
    it(`${name}: at ${PHONE} px the page does not scroll sideways`, () => {
      const layout = layouts.get(`${name} ${PHONE}`)!;
      expect(layout.viewport).toBe(PHONE);
      expect(layout.pageScrollWidth).toBeLessThanOrEqual(PHONE);
    });

    it(`${name}: at ${PHONE} px no box's content is wider than the box, outside a scroll container`, () => {
      expect(layouts.get(`${name} ${PHONE}`)!.overflowing).toEqual([]);
    });

    it(`${name}: at ${PHONE} px figure text is drawn at ${MIN_FIGURE_TEXT} px or more`, () => {
      expect(layouts.get(`${name} ${PHONE}`)!.smallFigureText).toEqual([]);
    });

    it(`${name}: at ${DESKTOP} px no line holds more than ${MAX_LINE} characters, and no box overflows`, () => {
      const layout = layouts.get(`${name} ${DESKTOP}`)!;
      expect(layout.longestLines[0]!.chars).toBeGreaterThan(50); // lines were measured
      expect(layout.longestLines.filter((l) => l.chars > MAX_LINE)).toEqual([]);
      expect(layout.overflowing).toEqual([]);
      expect(layout.pageScrollWidth).toBeLessThanOrEqual(DESKTOP);
    });

    it(`${name}: every section and appendix ends with a way back to the contents`, () => {
      const html = pages.get(name)!;
      const sections = html.match(/<section class="(?:report-section|appendix|progress)"[\s\S]*?<\/section>/g) ?? [];
      expect(sections.length).toBeGreaterThan(5);
      for (const section of sections) expect(section).toMatch(/<a href="#contents-heading">Back to contents<\/a><\/p>\s*<\/section>$/);
      expect(html).toContain('id="contents-heading"');
    });
  }
});
