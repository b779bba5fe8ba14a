import { STATUSES } from '../data/schema.js';
import type { Status } from '../data/schema.js';
import { STATUS_LABELS } from '../model/status.js';
import { escapeXml } from './escape.js';

/** One bar of the progress chart: an appendix's items by status. */
export interface ProgressRow {
  label: string;
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
export function describeProgress(rows: readonly ProgressRow[]): string {
  return rows
    .map((r) => {
      const parts = STATUSES.filter((s) => r.counts[s] > 0).map((s) => `${r.counts[s]} ${STATUS_LABELS[s].toLowerCase()}`);
      return `${r.label}: ${r.total} items, ${parts.join(', ')}.`;
    })
    .join(' ');
}

/** A horizontal stacked bar per appendix, segments by status, each labelled with its count. */
export function progressChart(rows: readonly ProgressRow[], ids: SvgIds, title: string): string {
  const width = 700;
  const labelWidth = 150;
  const barWidth = width - labelWidth - 60;
  const barHeight = 30;
  const gap = 14;
  const legendHeight = 34;
  const height = legendHeight + rows.length * (barHeight + gap);
  const parts: string[] = [svgOpen(width, height, ids, 'chart progress-chart', title, describeProgress(rows))];

  // Legend: a swatch and a word for each status, so colour is never the only cue.
  let x = labelWidth;
  for (const status of STATUSES) {
    parts.push(
      `<rect x="${x}" y="6" width="16" height="16" class="seg seg-${status}"/>`,
      `<text x="${x + 22}" y="19" class="legend">${STATUS_LABELS[status]}</text>`,
    );
    x += 22 + STATUS_LABELS[status].length * 8.5 + 20;
  }

  rows.forEach((row, i) => {
    const y = legendHeight + i * (barHeight + gap);
    parts.push(`<text x="${labelWidth - 10}" y="${y + barHeight / 2 + 6}" text-anchor="end" class="bar-label">${escapeXml(row.label)}</text>`);
    let offset = labelWidth;
    for (const status of STATUSES) {
      const n = row.counts[status];
      if (n === 0 || row.total === 0) continue;
      const w = (barWidth * n) / row.total;
      parts.push(`<rect x="${offset.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" class="seg seg-${status}"/>`);
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
