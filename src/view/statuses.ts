import { formatLongPlanDate, formatPlanDate } from '../data/dates.js';
import type { Status } from '../data/schema.js';
import type { RatingTallies, Recommendation, StatusTally } from '../model/report.js';
import { findWord } from '../data/status.js';
import type { StatusScheme, Vocabulary } from '../data/status.js';
import { escapeXml } from '../text/escape.js';

// How the council's statuses and ratings read in the report: sentences that count
// them, table cells that name them, and the colours that go with the names.

/** The tally's statuses in the vocabulary's order (any the vocabulary lacks last). */
function inOrder(t: StatusTally, vocabulary: Vocabulary): Status[] {
  const known = vocabulary.map((w) => w.id);
  const present = Object.keys(t.counts).filter((s) => (t.counts[s] ?? 0) > 0);
  return [...known.filter((s) => present.includes(s)), ...present.filter((s) => !known.includes(s))];
}

const inText = (vocabulary: Vocabulary, id: Status) => findWord(vocabulary, id)?.inText ?? id;

/** "22 complete, 2 on track": each status an item has, with its count. */
export function countsInText(t: StatusTally, vocabulary: Vocabulary): string {
  return inOrder(t, vocabulary)
    .map((s) => `${t.counts[s]} ${inText(vocabulary, s)}`)
    .join(', ');
}

/** "All 24 are complete", "Of 24 actions: 22 complete, 2 on track" or "The only action is at risk". */
export function describeTally(t: StatusTally, noun: string | { one: string; many: string }, vocabulary: Vocabulary): string {
  const { one, many } = typeof noun === 'string' ? { one: noun, many: noun } : noun;
  if (t.total === 0) return '';
  const statuses = inOrder(t, vocabulary);
  if (t.total === 1) return `The only ${one} is ${inText(vocabulary, statuses[0]!)}.`;
  if (statuses.length === 1) return `All ${t.total} ${many} are ${inText(vocabulary, statuses[0]!)}.`;
  return `Of ${t.total} ${many}: ${countsInText(t, vocabulary)}.`;
}

/** "Impact: 4 green, 7 amber." for each rating some item has; "(9 rated)" when not every item has one. */
export function describeRatings(tallies: RatingTallies, scheme: StatusScheme, items: number): string {
  return scheme.ratings
    .filter((r) => (tallies[r.key]?.total ?? 0) > 0)
    .map((r) => {
      const t = tallies[r.key]!;
      return `${r.label}: ${countsInText(t, r.vocabulary)}${t.total < items ? ` (${t.total} rated)` : ''}.`;
    })
    .join(' ');
}

/** The class that colours a status: `status-on-track`, or `rating-impact-green` for a rating. */
export const statusClass = (id: Status, rating?: string) => (rating === undefined ? `status-${id}` : `rating-${rating}-${id}`);

/** A status as a table cell shows it: its label (never its colour alone) and the class that colours it. */
export function statusCell(vocabulary: Vocabulary, id: Status | undefined, rating?: string) {
  if (id === undefined) return undefined;
  return { label: findWord(vocabulary, id)?.label ?? id, className: statusClass(id, rating) };
}

/** "Impact: Green" for each rating the item has, in the scheme's order: printed under its status. */
export function itemRatings(scheme: StatusScheme, item: Pick<Recommendation, 'ratings'>): { label: string; value: string; className: string }[] {
  return scheme.ratings.flatMap((r) => {
    const cell = statusCell(r.vocabulary, item.ratings?.[r.key], r.key);
    return cell ? [{ label: r.label, value: cell.label, className: cell.className }] : [];
  });
}

/** The marker an overdue item's due carries: a word, never colour alone. */
export const OVERDUE_MARK = '<strong class="overdue">Overdue</strong>';

/**
 * A due as the report prints it: the council's word ("Ongoing"), or the date in full
 * ("31 March 2025", "March 2025") in a tracker, or the chronology's short style elsewhere.
 */
export function dueText(item: Pick<Recommendation, 'due' | 'dueWord'>, style: 'long' | 'short'): string | undefined {
  if (item.dueWord !== undefined) return item.dueWord;
  if (item.due === undefined) return undefined;
  return style === 'long' ? formatLongPlanDate(item.due) : formatPlanDate(item.due);
}

/**
 * "Due: Mar 2018", "Measure: …", "Progress: …": the details printed under an item's
 * text, as HTML; `html` renders a text field (Markdown, and any exemption).
 */
export function itemDetails(
  item: Pick<Recommendation, 'due' | 'dueWord' | 'overdue' | 'measure' | 'progress'>,
  html: (field: 'measure' | 'progress', value: string) => string,
): { label: string; html: string }[] {
  const details: { label: string; html: string }[] = [];
  const due = dueText(item, 'short');
  if (due !== undefined) details.push({ label: 'Due', html: `${escapeXml(due)}${item.overdue ? ` ${OVERDUE_MARK}` : ''}` });
  if (item.measure !== undefined) details.push({ label: 'Measure', html: html('measure', item.measure) });
  if (item.progress !== undefined) details.push({ label: 'Progress', html: html('progress', item.progress) });
  return details;
}

/**
 * CSS that gives each status, and each rating's status, its colour in tables and
 * charts. It follows the theme's stylesheet, so its rules weigh nothing (`:where`):
 * a theme's rule for a status (`.status-red`) always wins. Pure.
 */
export function statusCss(scheme: StatusScheme, options: { shaded?: boolean } = {}): string {
  // A shaded cell is white on the status colour, which is 4.5:1 on white, so its word is 4.5:1 on it.
  const shade = (className: string, colour: string) => (options.shaded ? [`:where(.shade.${className}) { background: ${colour}; color: #fff; }`] : []);
  const rules = [
    ...scheme.status.flatMap((w) => [`:where(.${statusClass(w.id)}) { color: ${w.colour}; }\n:where(.seg-${w.id}) { fill: ${w.colour}; }`, ...shade(statusClass(w.id), w.colour)]),
    ...scheme.ratings.flatMap((r) => r.vocabulary.flatMap((w) => [`:where(.${statusClass(w.id, r.key)}) { color: ${w.colour}; }`, ...shade(statusClass(w.id, r.key), w.colour)])),
  ];
  return `\n/* status colours (csi.config.yaml statuses and ratings) */\n${rules.join('\n')}\n`;
}
