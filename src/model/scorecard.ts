// A performance scorecard, worked out: each measure's RAG at the latest period against
// its target and tolerance, its direction of travel, and the summary line. Never typed.
import { COMPARATORS, NOT_YET_AVAILABLE, parsePeriod, PERIODS_A_YEAR } from '../data/measures.js';
import type { Comparator, Period, PeriodType, Unit } from '../data/measures.js';
import type { Exemption, ScorecardAppendixData } from '../data/schema.js';
import { fieldExemption, fieldText } from './exempt.js';
import { meantWord, PRESETS } from '../data/status.js';
import type { StatusWord, Vocabulary } from '../data/status.js';

/** Where a measure stands against its target. */
export const RAGS = ['red', 'amber', 'green'] as const;
export type Rag = (typeof RAGS)[number];

/** Which way a measure has moved, judged by its polarity. */
export type Direction = 'improving' | 'same' | 'worse';

export type Polarity = 'higher' | 'lower';

/** A figure for a period; `value` undefined where it is "not yet available". */
export interface Figure {
  period: Period;
  value: number | undefined;
}

/** A figure compared with the latest one: the period, its figure, and the direction since. */
export interface Comparison {
  period: Period;
  value: number;
  direction: Direction;
}

/** A measure of a scorecard, with everything worked out from its figures. */
export interface Measure {
  id: string;
  title: string;
  unit: Unit;
  polarity: Polarity;
  target?: number | undefined;
  tolerance?: number | undefined;
  owner?: string | undefined;
  commentary?: string | undefined;
  exempt?: Exemption | undefined;
  exemptFields?: Partial<Record<'owner' | 'commentary', Exemption>> | undefined;
  /** Every period given, oldest first, up to the scorecard's latest. */
  figures: Figure[];
  /** The figure at the scorecard's latest period. */
  latest: Figure | undefined;
  /** Undefined without a target or a latest figure. */
  rag?: Rag | undefined;
  /** Against the period before the latest; undefined when either figure is missing. */
  sincePrevious?: Comparison | undefined;
  /** Against the same period a year earlier. */
  sinceYearAgo?: Comparison | undefined;
  /** The comparators' figures at the latest period. */
  comparators: { name: Comparator; value: number }[];
}

/** How many measures are at each RAG, and how they moved: the summary line's numbers. */
export interface ScorecardTally {
  total: number;
  rag: Record<Rag, number>;
  /** Measures with a target but no figure yet, and those without a target. */
  notRated: number;
  improving: number;
  worse: number;
  /** Improving and worse than a year ago. */
  betterThanYearAgo: number;
  worseThanYearAgo: number;
  /** True when a public build left exempt measures out. */
  withheld?: boolean;
}

// Figures are decimals typed by people: compare them after rounding off binary noise.
const EPSILON = 1e-9;

/**
 * Red, amber or green for a figure against its target: on target or better is
 * green; short of it by no more than the tolerance (the amber band) is amber; further
 * is red. A figure exactly at the band's edge is amber.
 */
export function ragFor(value: number, target: number, tolerance: number, polarity: Polarity): Rag {
  const shortBy = polarity === 'higher' ? target - value : value - target;
  if (shortBy <= EPSILON) return 'green';
  if (shortBy <= tolerance + EPSILON) return 'amber';
  return 'red';
}

/** Improving, same or worse from `before` to `now`, by which way is better. */
export function directionOf(before: number, now: number, polarity: Polarity): Direction {
  if (Math.abs(now - before) <= EPSILON) return 'same';
  return (now > before) === (polarity === 'higher') ? 'improving' : 'worse';
}

/**
 * The council's words for red, amber and green: those the scorecard names
 * (`rag_words`); else the council's words called red, amber and green; else the
 * first word counted on course for green and the first and last counted off course
 * for amber and red, when they differ; else csi's own Red, Amber and Green.
 */
export function ragWords(vocabulary: Vocabulary, named?: Record<Rag, string> | undefined): Record<Rag, StatusWord> {
  const byId = (id: string) => vocabulary.find((w) => w.id === id);
  if (named) {
    const words = RAGS.map((r) => byId(named[r]));
    if (words.every(Boolean)) return Object.fromEntries(RAGS.map((r, i) => [r, words[i]!])) as Record<Rag, StatusWord>;
  }
  const called = RAGS.map((r) => meantWord(vocabulary, r));
  if (called.every(Boolean)) return Object.fromEntries(RAGS.map((r, i) => [r, called[i]!])) as Record<Rag, StatusWord>;
  const onCourse = vocabulary.filter((w) => w.countsAs === 'on-course');
  const offCourse = vocabulary.filter((w) => w.countsAs === 'off-course');
  if (onCourse.length > 0 && offCourse.length > 1) return { green: onCourse[0]!, amber: offCourse[0]!, red: offCourse.at(-1)! };
  const own = (id: Rag) => PRESETS.rag.find((w) => w.id === id)!;
  return { red: own('red'), amber: own('amber'), green: own('green') };
}

/** The figure of a period, if the measure has one (a number). */
function figureAt(figures: readonly Figure[], index: number): Figure | undefined {
  return figures.find((f) => f.period.index === index);
}

function compare(figures: readonly Figure[], latest: Figure | undefined, back: number, polarity: Polarity): Comparison | undefined {
  if (latest?.value === undefined) return undefined;
  const then = figureAt(figures, latest.period.index - back);
  if (then?.value === undefined) return undefined;
  return { period: then.period, value: then.value, direction: directionOf(then.value, latest.value, polarity) };
}

function period(type: PeriodType, id: string): Period {
  const p = parsePeriod(type, id);
  if (typeof p === 'string') throw new Error(`unvalidated period reached the model: ${p}`);
  return p;
}

/** The latest period any measure has a figure (or "not yet available") for. */
export function latestPeriod(data: Pick<ScorecardAppendixData, 'period' | 'measures'>): Period | undefined {
  let latest: Period | undefined;
  for (const m of data.measures) {
    for (const id of Object.keys(m.values ?? {})) {
      const p = period(data.period, id);
      if (!latest || p.index > latest.index) latest = p;
    }
  }
  return latest;
}

/** Each measure of a checked scorecard, worked out at the scorecard's latest period. Pure. */
export function workOutMeasures(data: ScorecardAppendixData): { latest: Period | undefined; measures: Measure[] } {
  const latest = latestPeriod(data);
  const measures = data.measures.map((m): Measure => {
    const figures = Object.entries(m.values ?? {}).map(([id, v]) => ({ period: period(data.period, id), value: v === NOT_YET_AVAILABLE ? undefined : v }));
    const now = latest ? figureAt(figures, latest.index) : undefined;
    const owner = fieldExemption(m.owner);
    const commentary = fieldExemption(m.commentary);
    const exemptFields = { ...(owner ? { owner } : {}), ...(commentary ? { commentary } : {}) };
    return {
      id: m.id,
      title: m.title,
      unit: m.unit,
      polarity: m.polarity,
      target: m.target,
      tolerance: m.tolerance,
      owner: fieldText(m.owner),
      commentary: fieldText(m.commentary),
      exempt: m.exempt,
      exemptFields: Object.keys(exemptFields).length ? exemptFields : undefined,
      figures,
      latest: now,
      rag: now?.value !== undefined && m.target !== undefined ? ragFor(now.value, m.target, m.tolerance ?? 0, m.polarity) : undefined,
      sincePrevious: compare(figures, now, 1, m.polarity),
      sinceYearAgo: compare(figures, now, PERIODS_A_YEAR[data.period], m.polarity),
      comparators: COMPARATORS.flatMap((name) => {
        const value = latest ? m.comparators?.[name]?.[latest.id] : undefined;
        return value === undefined ? [] : [{ name, value }];
      }),
    };
  });
  return { latest, measures };
}

/** The summary line's numbers, over the measures given (the withhold stage passes only those shown). */
export function tallyMeasures(measures: readonly Measure[]): ScorecardTally {
  const rag: Record<Rag, number> = { red: 0, amber: 0, green: 0 };
  const t: ScorecardTally = { total: 0, rag, notRated: 0, improving: 0, worse: 0, betterThanYearAgo: 0, worseThanYearAgo: 0 };
  for (const m of measures) {
    t.total++;
    if (m.rag) rag[m.rag]++;
    else t.notRated++;
    if (m.sincePrevious?.direction === 'improving') t.improving++;
    if (m.sincePrevious?.direction === 'worse') t.worse++;
    if (m.sinceYearAgo?.direction === 'improving') t.betterThanYearAgo++;
    if (m.sinceYearAgo?.direction === 'worse') t.worseThanYearAgo++;
  }
  return t;
}

/** "24%", "1,204", "£1,250", "12 days": a figure in its unit. */
export function formatFigure(value: number, unit: Unit): string {
  const n = value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  if (unit === '%') return `${n}%`;
  if (unit === '£') return `£${n}`;
  if (unit === 'days') return `${n} ${value === 1 ? 'day' : 'days'}`;
  return n;
}

/** What a comparator is called in the report. */
export const COMPARATOR_LABELS: Record<Comparator, string> = {
  england: 'England',
  statistical_neighbours: 'Statistical neighbours',
  region: 'Region',
};

/**
 * "Of 15 measures: 9 green, 4 amber, 2 red; 6 improving, 3 worse than a year ago."
 * in the council's words for red, amber and green. Empty when there are no measures.
 */
export function describeScorecard(t: ScorecardTally, words: Record<Rag, StatusWord>, noun = { one: 'measure', many: 'measures' }): string {
  if (t.total === 0) return '';
  const rated = (['green', 'amber', 'red'] as const).filter((r) => t.rag[r] > 0).map((r) => `${t.rag[r]} ${words[r].inText}`);
  if (t.notRated > 0) rated.push(`${t.notRated} not rated`);
  const moved = [`${t.improving} improving`, `${t.worseThanYearAgo} worse than a year ago`];
  const head = t.total === 1 ? `Of 1 ${noun.one}` : `Of ${t.total} ${noun.many}`;
  const withheld = t.withheld ? ' Measures exempt from publication are not counted.' : '';
  return `${head}: ${rated.join(', ')}; ${moved.join(', ')}.${withheld}`;
}
