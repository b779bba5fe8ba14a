import { meetingName } from '../diff/meetings.js';
import type { ProgressSeries, Regression } from '../diff/progress-since.js';
import { trendChart } from '../diff/trend-chart.js';
import type { StatusWord } from '../data/status.js';

// A "Progress since …" section (`kind: trend`) as the templates show it: a sentence
// worked out from the series, the chart, and the same numbers as a table. Pure.

/** Where the counted items are and what the counts are of, as view.ts names them. */
export interface TrendScope {
  /** "Appendix 2", "Appendices 2 and 3". */
  appendices: string;
  /** The rating's label when counted by a rating ("Impact"); undefined for status. */
  rating?: string | undefined;
  /** Some item in scope is exempt and was left out (public builds). */
  withheld: boolean;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The words a sentence follows: for status, those that count as done; for a rating (or no status done), the best word some meeting has. */
function headline(series: ProgressSeries): StatusWord[] {
  const done = series.by === 'status' ? series.words.filter((w) => w.countsAs === 'done') : [];
  if (done.length > 0) return done;
  const best = series.words.find((w) => series.points.some((p) => (p.counts[w.id] ?? 0) > 0)) ?? series.words[0];
  return best ? [best] : [];
}

function regressionText(r: Regression, series: ProgressSeries): string {
  const label = (id: string) => series.words.find((w) => w.id === id)?.label ?? id;
  return `${r.label} (${label(r.from)} to ${label(r.to)} by the meeting of ${meetingName(r.meeting)})`;
}

const listed = (parts: string[]) => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`);

/**
 * "Since the meeting of 17 May 2016, complete recommendations rose from 3 to 9; 1 went
 * backwards: Recommendation 2.5 (Complete to On track by the meeting of …)." Worked out
 * from the series, never typed.
 */
export function progressSentence(series: ProgressSeries, scope: Pick<TrendScope, 'rating'>): string {
  const first = series.points[0];
  const last = series.points.at(-1);
  if (!first || !last) return 'The plan\'s history names no meeting yet.';
  const words = headline(series);
  const sum = (counts: Record<string, number>) => words.reduce((n, w) => n + (counts[w.id] ?? 0), 0);
  const [a, b] = [sum(first.counts), sum(last.counts)];
  const many = series.noun?.many ?? 'items';
  const one = series.noun?.one ?? 'item';
  const word = words.map((w) => w.inText).join(' or ');
  const counted = (n: number) => (scope.rating ? `${plural(n, one, many)} with ${scope.rating.toLowerCase()} ${word}` : `${word} ${plural(n, one, many)}`);
  if (series.points.length === 1) {
    return `At the meeting of ${meetingName(first.meeting)}, ${a} of ${first.total} ${plural(first.total, one, many)} ${a === 1 ? 'was' : 'were'} ${scope.rating ? `rated ${word} for ${scope.rating.toLowerCase()}` : word}.`;
  }
  const moved = b > a ? `rose from ${a} to ${b}` : b < a ? `fell from ${a} to ${b}` : `stayed at ${a}`;
  const back = series.regressions;
  const backwards = back.length === 0 ? 'none went backwards' : `${back.length} went backwards: ${listed(back.map((r) => regressionText(r, series)))}`;
  return `Since the meeting of ${meetingName(first.meeting)}, ${counted(2)} ${moved}; ${backwards}.`;
}

/** The section's chart, table and sentence. */
export function progressSinceView(series: ProgressSeries, anchor: string, scope: TrendScope) {
  const by = scope.rating ? scope.rating.toLowerCase() : 'status';
  const what = series.noun ? series.noun.many.charAt(0).toUpperCase() + series.noun.many.slice(1) : 'Items';
  const since = series.points[0] ? ` since ${meetingName(series.points[0].meeting)}` : '';
  const caption = `${what} in ${scope.appendices} by ${by} at each meeting${since}`;
  // Only the words some meeting has, so an unused word does not widen every row.
  const words = series.words.filter((w) => series.points.some((p) => (p.counts[w.id] ?? 0) > 0));
  const rows = series.points.map((p) => ({ meeting: meetingName(p.meeting), iso: p.meeting, cells: words.map((w) => p.counts[w.id] ?? 0), total: p.total }));
  const description = series.points
    .map((p) => `${meetingName(p.meeting)}: ${p.total} ${plural(p.total, series.noun?.one ?? 'item', series.noun?.many ?? 'items')}, ${words.map((w) => `${p.counts[w.id] ?? 0} ${w.inText}`).join(', ')}`)
    .join('; ');
  return {
    anchor,
    caption,
    summary: progressSentence(series, scope),
    note: scope.withheld ? 'Items exempt from publication are not counted at any meeting.' : '',
    wordLabels: words.map((w) => w.label),
    rows,
    chart: trendChart(
      series.points.map((p) => ({ label: meetingName(p.meeting), counts: p.counts })),
      words,
      { ids: { title: `${anchor}-chart-title`, desc: `${anchor}-chart-desc` }, title: caption, description: `${description}.`, className: 'chart trend-chart', legend: true },
    ),
  };
}
export type ProgressSinceView = ReturnType<typeof progressSinceView>;
