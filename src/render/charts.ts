import type { PlanDay } from '../data/dates.js';
import type { Status } from '../data/schema.js';
import type { Vocabulary } from '../model/status.js';
import { escapeXml } from './escape.js';

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

/** One point on the timeline: a date with how many events happened then. */
export interface TimelinePoint {
  start: PlanDay;
  label: string;
  events: number;
}

const monthIndex = (d: PlanDay) => d.year * 12 + (d.month - 1);

/** "26 events from Jun 2012 to Apr 2017; 2012: 7, 2013: 4, …": the timeline's text alternative. */
export function describeTimeline(points: readonly TimelinePoint[]): string {
  const total = points.reduce((n, p) => n + p.events, 0);
  const byYear = new Map<number, number>();
  for (const p of points) byYear.set(p.start.year, (byYear.get(p.start.year) ?? 0) + p.events);
  const years = [...byYear].map(([y, n]) => `${y}: ${n}`).join(', ');
  return `${total} events from ${points[0]?.label} to ${points.at(-1)?.label}. Events by year: ${years}.`;
}

/**
 * The chronology on a line of years: one dot per event, stacked at its month,
 * so bursts of activity and quiet spells show at a glance.
 */
export function chronologyTimeline(points: readonly TimelinePoint[], ids: SvgIds, title: string): string {
  const width = 700;
  const margin = 30;
  // Months sit about 9 units apart on a six-year axis: dots must not touch their neighbours.
  const dot = 4.2;
  const firstYear = points[0]!.start.year;
  const lastYear = points.at(-1)!.start.year + 1;
  const months = (lastYear - firstYear) * 12;
  const tallest = Math.max(...points.map((p) => p.events));
  const axisY = 16 + tallest * (dot * 2 + 2.5) + 6;
  const height = axisY + 34;
  const xOf = (d: PlanDay) => margin + ((monthIndex(d) - firstYear * 12 + 0.5) / months) * (width - 2 * margin);
  const parts: string[] = [svgOpen(width, height, ids, 'chart timeline', title, describeTimeline(points))];
  parts.push(`<line x1="${margin}" y1="${axisY}" x2="${width - margin}" y2="${axisY}" class="axis"/>`);
  for (let year = firstYear; year <= lastYear; year++) {
    const x = margin + (((year - firstYear) * 12) / months) * (width - 2 * margin);
    parts.push(`<line x1="${x.toFixed(1)}" y1="${axisY - 5}" x2="${x.toFixed(1)}" y2="${axisY + 5}" class="axis"/>`);
    if (year < lastYear) {
      const mid = x + (6 / months) * (width - 2 * margin);
      parts.push(`<text x="${mid.toFixed(1)}" y="${axisY + 24}" text-anchor="middle" class="year">${year}</text>`);
    }
  }
  for (const p of points) {
    const x = xOf(p.start);
    for (let i = 0; i < p.events; i++) {
      const cy = axisY - 6 - dot - i * (dot * 2 + 2.5);
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${cy.toFixed(1)}" r="${dot}" class="event"><title>${escapeXml(p.label)}</title></circle>`);
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}
