import type { Vocabulary } from '../data/status.js';
import { escapeXml } from '../text/escape.js';

// The chart of counts at each meeting, drawn once for both places that show it: the
// page `csi trend --format html` writes, and a report's "Progress since …" section
// (view/progress-since.ts). Pure.

/** One bar: the items at one meeting, counted by word. */
export interface TrendBar {
  /** "17 May 2016". */
  label: string;
  /** By word id; a word no item has may be left out. */
  counts: Record<string, number>;
}

export interface TrendChartOptions {
  /** Ids for the SVG's title and description, unique in the page. */
  ids: { title: string; desc: string };
  title: string;
  /** The text alternative: every number the bars show, in words. */
  description: string;
  /** Class of the <svg>: the report styles `chart`. */
  className?: string;
  /** Draw a legend (a swatch and the word for each word the bars show) above the bars. */
  legend?: boolean;
}

/**
 * A horizontal stacked bar per meeting, segments by word in the vocabulary's order
 * and coloured by it, each labelled with its count where it is wide enough and named
 * in its tooltip; the bar's total after it. Bars share one scale, so a longer bar is
 * a plan with more items. Colour is never the only cue: the caller shows a legend
 * and the same numbers in a table.
 */
export function trendChart(bars: readonly TrendBar[], words: Vocabulary, options: TrendChartOptions): string {
  const width = 700;
  const barHeight = 30;
  const gap = 14;
  const left = 180;
  const right = 50;
  const totals = bars.map((b) => words.reduce((sum, w) => sum + (b.counts[w.id] ?? 0), 0));
  const scale = (width - left - right) / Math.max(1, ...totals);
  const shown = words.filter((w) => bars.some((b) => (b.counts[w.id] ?? 0) > 0));
  const top = options.legend ? 40 : 10;
  const height = top + bars.length * (barHeight + gap);
  const legend: string[] = [];
  if (options.legend) {
    let x = left;
    for (const w of shown) {
      legend.push(`<rect x="${x}" y="6" width="18" height="18" fill="${w.colour}"/><text x="${x + 24}" y="21" class="legend">${escapeXml(w.label)}</text>`);
      x += 24 + w.label.length * 9.5 + 22;
    }
  }
  const rows = bars.map((bar, i) => {
    const y = top + i * (barHeight + gap);
    const middle = y + barHeight / 2 + 6;
    let x = left;
    const segments = words.flatMap((w) => {
      const n = bar.counts[w.id] ?? 0;
      if (n === 0) return [];
      const span = n * scale;
      const parts = [`<rect x="${x.toFixed(1)}" y="${y}" width="${span.toFixed(1)}" height="${barHeight}" fill="${w.colour}"><title>${escapeXml(`${w.label}: ${n}`)}</title></rect>`];
      if (span >= 26) parts.push(`<text x="${(x + span / 2).toFixed(1)}" y="${middle}" text-anchor="middle" class="seg-count" fill="#fff">${n}</text>`);
      x += span;
      return parts;
    });
    return [
      `<text x="${left - 10}" y="${middle}" text-anchor="end" class="bar-label">${escapeXml(bar.label)}</text>`,
      ...segments,
      `<text x="${(x + 8).toFixed(1)}" y="${middle}" class="bar-total">${totals[i]}</text>`,
    ].join('');
  });
  const className = options.className ? ` class="${options.className}"` : '';
  return [
    `<svg role="img" aria-labelledby="${options.ids.title} ${options.ids.desc}"${className} xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title id="${options.ids.title}">${escapeXml(options.title)}</title>`,
    `<desc id="${options.ids.desc}">${escapeXml(options.description)}</desc>`,
    ...legend,
    ...rows,
    '</svg>',
  ].join('\n');
}
