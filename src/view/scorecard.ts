// How a scorecard reads in the report: the table committees read (measure, latest,
// target, RAG in words, direction, same period last year, comparator), and a small
// line chart per measure with its text alternative and its figures as a table.
import { periodAt, PERIODS_A_YEAR } from '../data/measures.js';
import type { Appendix } from '../model/report.js';
import { COMPARATOR_LABELS, describeScorecard, formatFigure } from '../model/scorecard.js';
import type { Comparison, Direction, Figure, Measure, Rag } from '../model/scorecard.js';
import type { StatusWord, Vocabulary } from '../data/status.js';
import { escapeXml } from '../text/escape.js';
import { statusClass } from './statuses.js';

type ScorecardAppendix = Extract<Appendix, { kind: 'scorecard' }>;

/** How exempt pieces read for this build (the view's Exempting). */
export interface ExemptText {
  withholds(e: Measure['exempt']): boolean;
  text(e: Measure['exempt'], value: string): string;
  inline(e: Measure['exempt'], render: () => string): string;
}

const DIRECTION_WORDS: Record<Direction, string> = { improving: 'Improving from', same: 'No change from', worse: 'Worse than' };

/**
 * "Improving from 24%", "Worse than 17%": the direction in words, and what it is
 * measured from; the period is the column's (a measure missing that period says so).
 */
function comparisonText(c: Comparison | undefined, m: Measure): string {
  if (!c) return m.latest?.value === undefined ? '' : 'No figure to compare';
  return `${DIRECTION_WORDS[c.direction]} ${formatFigure(c.value, m.unit)}`;
}

/** The RAG cell: the council's word (never its colour alone) and the class that colours it. */
function ragCell(rag: Rag | undefined, words: Record<Rag, StatusWord>, vocabulary: Vocabulary) {
  if (!rag) return undefined;
  const word = words[rag];
  // A word the council's vocabulary has takes its colour; csi's own Red/Amber/Green have theirs in scorecard.css.
  const className = vocabulary.some((w) => w.id === word.id) ? statusClass(word.id) : `rag-${rag}`;
  return { label: word.label, className };
}

const figureText = (f: Figure | undefined, m: Measure) => (f === undefined ? '' : f.value === undefined ? 'Not yet available' : formatFigure(f.value, m.unit));

/** "Re-referrals within 12 months, Q1 2016 to Q4 2017: 27%, 26% … 20%. Target 18%, lower is better." */
export function describeMeasureChart(m: Measure): string {
  const shown = m.figures.map((f) => `${f.period.label} ${figureText(f, m).toLowerCase()}`);
  const span = m.figures.length > 1 ? `, ${m.figures[0]!.period.label} to ${m.figures.at(-1)!.period.label}` : '';
  const target = m.target === undefined ? 'No target' : `Target ${formatFigure(m.target, m.unit)}`;
  return `${m.title}${span}: ${shown.join(', ')}. ${target}; ${m.polarity} is better.`;
}

/**
 * A small line chart of one measure's figures, oldest first, with its target as a
 * dashed line; a gap where a figure is missing or not yet available. role="img",
 * its title and description the text alternative. Drawn to read at 390 px wide.
 */
export function measureChart(m: Measure, ids: { title: string; desc: string }): string {
  const width = 320;
  const height = 150;
  const left = 52;
  const right = 14;
  const top = 14;
  const bottom = 30;
  const numbers = m.figures.flatMap((f) => (f.value === undefined ? [] : [f.value]));
  const all = m.target === undefined ? numbers : [...numbers, m.target];
  let least = Math.min(...all, Infinity);
  let most = Math.max(...all, -Infinity);
  if (!Number.isFinite(least)) [least, most] = [0, 1];
  // The axis runs a tenth beyond the figures, so no point sits on its edge; its labels are the figures' own extremes.
  const pad = Math.max(most - least, Math.abs(most) * 0.1, 1e-6) * 0.1;
  const low = least - pad;
  const high = most + pad;
  const first = m.figures[0]?.period.index ?? 0;
  const last = m.figures.at(-1)?.period.index ?? first;
  const span = Math.max(1, last - first);
  const x = (index: number) => left + ((index - first) / span) * (width - left - right);
  const y = (v: number) => top + (1 - (v - low) / (high - low)) * (height - top - bottom);
  const f = (n: number) => n.toFixed(1);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart measure-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${ids.title} ${ids.desc}">`,
    `<title id="${ids.title}">${escapeXml(`${m.title}: figures by period`)}</title>`,
    `<desc id="${ids.desc}">${escapeXml(describeMeasureChart(m))}</desc>`,
    `<line class="axis" x1="${left}" y1="${f(height - bottom)}" x2="${width - right}" y2="${f(height - bottom)}"/>`,
    `<text class="tick" x="${left - 6}" y="${f(y(most) + 5)}" text-anchor="end">${escapeXml(formatFigure(most, m.unit === 'days' ? 'number' : m.unit))}</text>`,
    ...(most !== least ? [`<text class="tick" x="${left - 6}" y="${f(y(least) + 5)}" text-anchor="end">${escapeXml(formatFigure(least, m.unit === 'days' ? 'number' : m.unit))}</text>`] : []),
  ];
  if (m.figures.length > 0) {
    parts.push(
      `<text class="tick" x="${left}" y="${height - 8}" text-anchor="start">${escapeXml(m.figures[0]!.period.label)}</text>`,
      `<text class="tick" x="${width - right}" y="${height - 8}" text-anchor="end">${escapeXml(m.figures.at(-1)!.period.label)}</text>`,
    );
  }
  if (m.target !== undefined) {
    const ty = f(y(m.target));
    parts.push(`<line class="target" x1="${left}" y1="${ty}" x2="${width - right}" y2="${ty}"/>`);
  }
  // One line per run of consecutive figures: a missing period breaks it.
  let run: string[] = [];
  let previous: number | undefined;
  const flush = () => {
    if (run.length > 1) parts.push(`<polyline class="trend" points="${run.join(' ')}"/>`);
    run = [];
  };
  for (const fig of m.figures) {
    if (fig.value === undefined || (previous !== undefined && fig.period.index !== previous + 1)) flush();
    if (fig.value !== undefined) run.push(`${f(x(fig.period.index))},${f(y(fig.value))}`);
    previous = fig.value === undefined ? undefined : fig.period.index;
  }
  flush();
  for (const fig of m.figures) {
    if (fig.value !== undefined) parts.push(`<circle class="point" cx="${f(x(fig.period.index))}" cy="${f(y(fig.value))}" r="3.5"/>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}


/** The scorecard appendix as the template reads it. Pure. */
export function scorecardView(appendix: ScorecardAppendix, anchor: string, ex: ExemptText, vocabulary: Vocabulary, markdown: (text: string) => string) {
  const latest = appendix.latest;
  const hasComparators = appendix.measures.some((m) => m.comparators.length > 0);
  const previous = latest ? periodAt(appendix.periodType, latest.index - 1).label : undefined;
  const yearAgo = latest ? periodAt(appendix.periodType, latest.index - PERIODS_A_YEAR[appendix.periodType]).label : undefined;
  const rows = appendix.measures.map((m) => {
    if (ex.withholds(m.exempt)) return { id: m.id, withheld: true, notice: ex.text(m.exempt, '') };
    const rag = ragCell(m.rag, appendix.ragWords, vocabulary);
    return {
      id: m.id,
      anchor: `${anchor}-${m.id}`,
      title: ex.text(m.exempt, m.title),
      owner: m.owner === undefined ? undefined : ex.text(m.exemptFields?.owner, m.owner),
      latest: figureText(m.latest, m) || 'No figure',
      target: m.target === undefined ? 'No target' : formatFigure(m.target, m.unit),
      polarity: m.polarity === 'higher' ? 'Higher is better' : 'Lower is better',
      rag,
      ragText: rag ? undefined : m.target === undefined ? 'Not rated: no target' : 'Not rated: no figure yet',
      sincePrevious: comparisonText(m.sincePrevious, m),
      sinceYearAgo: comparisonText(m.sinceYearAgo, m),
      comparators: m.comparators.map((c) => `${COMPARATOR_LABELS[c.name]} ${formatFigure(c.value, m.unit)}`),
    };
  });
  const charts = appendix.measures.flatMap((m) => {
    if (ex.withholds(m.exempt)) return [];
    const id = `${anchor}-${m.id}-chart`;
    return [{
      id,
      title: ex.text(m.exempt, m.title),
      chart: measureChart(m, { title: `${id}-title`, desc: `${id}-desc` }),
      key: m.target === undefined ? 'No target' : `Dashed line: target ${formatFigure(m.target, m.unit)}`,
      figures: m.figures.map((f) => ({ period: f.period.label, value: figureText(f, m) })),
      html: m.commentary === undefined ? undefined : ex.inline(m.exemptFields?.commentary, () => markdown(m.commentary!)),
    }];
  });
  return {
    summary: describeScorecard(appendix.scorecardTally, appendix.ragWords, appendix.itemName),
    caption: latest ? `${appendix.heading}: figures for ${latest.label}` : appendix.heading,
    latestHead: latest ? `Latest (${latest.label})` : 'Latest',
    previousHead: previous ? `Since ${previous}` : 'Since the period before',
    yearAgoHead: yearAgo ? `Same period last year (${yearAgo})` : 'Same period last year',
    hasComparators,
    rows,
    charts,
  };
}
