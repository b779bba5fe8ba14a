import type { Status } from '../data/schema.js';
import type { Vocabulary } from '../data/status.js';
import { escapeXml } from '../text/escape.js';

/** One bar of the progress chart: an appendix's items by status. */
export interface ProgressRow {
  label: string;
  /** By status id; a status no item has may be left out. */
  counts: Record<Status, number>;
  total: number;
}

interface SvgIds {
  title: string;
  desc: string;
}

function svgOpen(width: number, height: number, ids: SvgIds, className: string, title: string, desc: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="${className}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${ids.title} ${ids.desc}">`,
    `<title id="${ids.title}">${escapeXml(title)}</title>`,
    `<desc id="${ids.desc}">${escapeXml(desc)}</desc>`,
  ].join('\n');
}

/** "Appendix 2: 40 items, 40 complete." for each row: the chart's text alternative. */
export function describeProgress(rows: readonly ProgressRow[], vocabulary: Vocabulary): string {
  return rows
    .map((r) => {
      const parts = vocabulary.filter((w) => (r.counts[w.id] ?? 0) > 0).map((w) => `${r.counts[w.id]} ${w.inText}`);
      return `${r.label}: ${r.total} items, ${parts.join(', ')}.`;
    })
    .join(' ');
}

/**
 * A horizontal stacked bar per appendix, segments by status in the vocabulary's
 * order, each labelled with its count; a legend names every status beside its colour.
 */
export function progressChart(rows: readonly ProgressRow[], ids: SvgIds, title: string, vocabulary: Vocabulary): string {
  const width = 700;
  const labelWidth = 150;
  const barWidth = width - labelWidth - 60;
  const barHeight = 30;
  const gap = 14;
  const legendHeight = 34;
  const height = legendHeight + rows.length * (barHeight + gap);
  const parts: string[] = [svgOpen(width, height, ids, 'chart progress-chart', title, describeProgress(rows, vocabulary))];

  // Legend: a swatch and a word for each status the bars show, so colour is never the only cue.
  let x = labelWidth;
  for (const status of vocabulary.filter((w) => rows.some((r) => (r.counts[w.id] ?? 0) > 0))) {
    parts.push(
      `<rect x="${x}" y="6" width="16" height="16" class="seg seg-${status.id}"/>`,
      `<text x="${x + 22}" y="19" class="legend">${escapeXml(status.label)}</text>`,
    );
    x += 22 + status.label.length * 8.5 + 20;
  }

  rows.forEach((row, i) => {
    const y = legendHeight + i * (barHeight + gap);
    parts.push(`<text x="${labelWidth - 10}" y="${y + barHeight / 2 + 6}" text-anchor="end" class="bar-label">${escapeXml(row.label)}</text>`);
    let offset = labelWidth;
    for (const { id } of vocabulary) {
      const n = row.counts[id] ?? 0;
      if (n === 0 || row.total === 0) continue;
      const w = (barWidth * n) / row.total;
      parts.push(`<rect x="${offset.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" class="seg seg-${id}"/>`);
      if (w > 28) {
        parts.push(`<text x="${(offset + w / 2).toFixed(1)}" y="${y + barHeight / 2 + 6}" text-anchor="middle" class="seg-count">${n}</text>`);
      }
      offset += w;
    }
    parts.push(`<text x="${labelWidth + barWidth + 8}" y="${y + barHeight / 2 + 6}" class="bar-total">${row.total}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
