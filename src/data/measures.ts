// Periods of a performance scorecard, and the performance team's CSV of figures:
// read with positions (row and column), checked, and laid over the measures file.
import { parse } from 'csv-parse/sync';
import { CsiError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { closest } from './problems.js';

/** How often a scorecard's figures come: each measure has one value a period. */
export const PERIOD_TYPES = ['month', 'quarter', 'year'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

/** What `values` may hold for a period whose figure is not in yet. */
export const NOT_YET_AVAILABLE = 'not yet available';

/** The units a measure may be counted in. */
export const UNITS = ['%', 'number', 'days', '£'] as const;
export type Unit = (typeof UNITS)[number];

/** A figure, or an explicit word that it has not come in yet. */
export type MeasureValue = number | typeof NOT_YET_AVAILABLE;

/** A period as the data writes it ("2018-Q1"), placed on one line with its neighbours. */
export interface Period {
  id: string;
  /** Periods since year 0: consecutive periods differ by 1. */
  index: number;
  /** As the report prints it: "Q1 2018", "Mar 2018", "2018". */
  label: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** How a period of each type is written, for messages. */
export const PERIOD_FORMATS: Record<PeriodType, string> = {
  month: 'YYYY-MM, e.g. "2018-03"',
  quarter: 'YYYY-Qn, e.g. "2018-Q1"',
  year: 'YYYY, e.g. "2018"',
};

/** The period `text` names, or what is wrong with it. */
export function parsePeriod(type: PeriodType, text: string): Period | string {
  const wrong = `"${text}" is not a ${type}: write it ${PERIOD_FORMATS[type]}`;
  if (type === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(text);
    const month = Number(m?.[2]);
    if (!m || month < 1 || month > 12) return wrong;
    return { id: text, index: Number(m[1]) * 12 + month - 1, label: `${MONTHS[month - 1]!} ${m[1]}` };
  }
  if (type === 'quarter') {
    const m = /^(\d{4})-Q([1-4])$/.exec(text);
    if (!m) return wrong;
    return { id: text, index: Number(m[1]) * 4 + Number(m[2]) - 1, label: `Q${m[2]!} ${m[1]!}` };
  }
  const m = /^(\d{4})$/.exec(text);
  if (!m) return wrong;
  return { id: text, index: Number(m[1]), label: m[1]! };
}

/** How many periods make a year: the same period a year earlier is this many back. */
export const PERIODS_A_YEAR: Record<PeriodType, number> = { month: 12, quarter: 4, year: 1 };

/** The problem with a figure in its unit, if any: a percentage lies between 0 and 100. */
export function unitProblem(unit: Unit, value: number): string | undefined {
  if (!Number.isFinite(value)) return 'a figure must be a finite number';
  if (unit === '%' && (value < 0 || value > 100)) return `${value} is not a percentage: write a number from 0 to 100, without the % sign`;
  if ((unit === 'days' || unit === 'number') && value < 0) return `${value} is below zero, which a count of ${unit === 'days' ? 'days' : 'things'} cannot be`;
  return undefined;
}

/** The columns a scorecard CSV may have: the first three are needed. */
export const CSV_COLUMNS = ['measure', 'period', 'value', 'england', 'statistical_neighbours', 'region'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const COMPARATORS = ['england', 'statistical_neighbours', 'region'] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** One row of the CSV, read: a measure's figure (and comparators) for a period, and the line it came from. */
export interface CsvRow {
  measure: string;
  period: string;
  value: MeasureValue;
  comparators: Partial<Record<Comparator, number>>;
  line: number;
}

/** What a measure of the YAML file the CSV needs to know: its id, unit and the periods it already has. */
export interface CsvMeasure {
  id: string;
  unit: Unit;
  periods: ReadonlySet<string>;
  /** Marked exempt: its id is never offered in a hint, which anyone running csi may read. */
  exempt?: boolean;
}

/** The start (1-based column) of each field of a CSV line as written, quotes included. */
function fieldColumns(raw: string): number[] {
  const starts = [1];
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) starts.push(i + 2);
    else if ((c === '\n' || c === '\r') && !quoted) break;
  }
  return starts;
}

/** Records a problem at a line and column of the CSV. */
type Fail = (code: ErrorCode, message: string, line: number, column: number, hint?: string) => void;

/** A CSV line as csv-parse gives it with `info` and `raw`: the cells, the line it ends on, and the text as written. */
interface CsvRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

/** The file's records, or undefined (with the problem failed) if it is not UTF-8 or not CSV. */
function readRecords(bytes: Uint8Array, fail: Fail): CsvRecord[] | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail('NOT_UTF8', 'this file is not UTF-8 text', 1, 1, 'save the CSV as "CSV UTF-8" from the spreadsheet');
    return undefined;
  }
  try {
    return parse(text, { bom: true, info: true, raw: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as CsvRecord[];
  } catch (cause) {
    const err = cause as { lines?: number; message?: string };
    fail('CSV_SYNTAX', `this CSV cannot be read: ${(err.message ?? '').replace(/^Invalid \w+: /, '').split('\n')[0]}`, err.lines ?? 1, 1,
      'check the quotes on this line: a field with a comma in it is written "like, this"');
    return undefined;
  }
}

/** The header row's column names, lower-cased; fails a column csi does not read, one named twice, and one needed but missing. */
function readHeader(header: CsvRecord, fail: Fail): string[] {
  const headerColumns = fieldColumns(header.raw);
  const columns = header.record.map((name) => name.toLowerCase());
  columns.forEach((name, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      fail('UNKNOWN_KEY', `the column "${header.record[i]}" is not one csi reads`, header.info.lines, headerColumns[i] ?? 1, `columns are: ${CSV_COLUMNS.join(', ')}`);
    } else if (columns.indexOf(name) !== i) {
      fail('DUPLICATE_KEY', `the column "${name}" is named twice`, header.info.lines, headerColumns[i] ?? 1);
    }
  });
  for (const needed of ['measure', 'period', 'value'] as const) {
    if (!columns.includes(needed)) fail('MISSING_KEY', `the header row has no "${needed}" column`, header.info.lines, 1, `columns are: ${CSV_COLUMNS.join(', ')}`);
  }
  return columns;
}

/** One cell of a row: its text, the column it starts at, and the column's name. */
interface CsvCell {
  text: string;
  column: number;
  name: CsvColumn;
}

/** What reading the rows shares: the problems, the columns, the measures and the measure–period pairs already given. */
interface RowContext {
  fail: Fail;
  periodType: PeriodType;
  columns: readonly string[];
  measures: readonly CsvMeasure[];
  byId: ReadonlyMap<string, CsvMeasure>;
  /** Measure and period (joined by NUL) to the row that first gave them. */
  seen: Map<string, number>;
}

/** The row's measure, or undefined (failed, with the nearest id as a hint) if the YAML file has none by that id. */
function rowMeasure(id: CsvCell, line: number, ctx: RowContext): CsvMeasure | undefined {
  const measure = ctx.byId.get(id.text);
  if (!measure) {
    const known = ctx.measures.filter((m) => !m.exempt).map((m) => m.id);
    const meant = closest(id.text, known);
    ctx.fail('UNKNOWN_MEASURE', `row ${line}, column "measure": no measure has the id "${id.text}"`, line, id.column,
      meant ? `did you mean "${meant}"?` : known.length ? `measures in the scorecard are: ${known.join(', ')}` : 'add the measure to the scorecard file first');
  }
  return measure;
}

/** The row's period, or what is wrong with it; fails a period written wrong or given twice for the measure (in the CSV or the YAML). */
function rowPeriod(periodCell: CsvCell, line: number, measure: CsvMeasure | undefined, ctx: RowContext): Period | string {
  const period = parsePeriod(ctx.periodType, periodCell.text);
  if (typeof period === 'string') ctx.fail('INVALID_FORMAT', `row ${line}, column "period": ${period}`, line, periodCell.column);
  else if (measure) {
    const key = `${measure.id}\u0000${period.id}`;
    const first = ctx.seen.get(key);
    if (first !== undefined) {
      ctx.fail('DUPLICATE_PERIOD', `row ${line}, column "period": ${period.id} is already given for "${measure.id}" on row ${first}`, line, periodCell.column,
        'give each measure one row per period');
    } else if (measure.periods.has(period.id)) {
      ctx.fail('DUPLICATE_PERIOD', `row ${line}, column "period": ${period.id} is already given for "${measure.id}" in the scorecard file`, line, periodCell.column,
        'give each period once: in the YAML file or in the CSV');
    } else ctx.seen.set(key, line);
  }
  return period;
}

/**
 * The figure in a cell, "not yet available" (value only), or undefined if empty
 * or wrong; spreadsheet decoration (%, £, thousands commas) is dropped first.
 */
function cellFigure(c: CsvCell, allowMissing: boolean, line: number, measure: CsvMeasure | undefined, fail: Fail): MeasureValue | undefined {
  const t = c.text.replace(/%$/, '').replace(/,/g, '').replace(/^£/, '').trim();
  if (t === '') {
    if (!allowMissing) {
      fail('MISSING_KEY', `row ${line}, column "${c.name}": no figure`, line, c.column, `write a number, or "${NOT_YET_AVAILABLE}"`);
    }
    return undefined;
  }
  if (c.name === 'value' && t.toLowerCase() === NOT_YET_AVAILABLE) return NOT_YET_AVAILABLE;
  const n = /^-?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(n)) {
    fail('WRONG_TYPE', `row ${line}, column "${c.name}": "${c.text}" is not a number`, line, c.column,
      c.name === 'value' ? `write the figure as a number, e.g. 24 for 24%, or "${NOT_YET_AVAILABLE}"` : 'write the figure as a number, or leave the cell empty');
    return undefined;
  }
  const wrong = measure ? unitProblem(measure.unit, n) : undefined;
  if (wrong) {
    fail('INVALID_VALUE', `row ${line}, column "${c.name}": ${wrong}`, line, c.column);
    return undefined;
  }
  return n;
}

/** One body row read, or undefined if it has any problem (each one failed, in column order: measure, period, value, comparators). */
function readRow({ record, info, raw }: CsvRecord, ctx: RowContext): CsvRow | undefined {
  const line = info.lines;
  const starts = fieldColumns(raw);
  const cell = (name: CsvColumn): CsvCell | undefined => {
    const i = ctx.columns.indexOf(name);
    return i < 0 ? undefined : { text: record[i] ?? '', column: starts[i] ?? 1, name };
  };
  // A row with any problem is left out; count them through a fail of its own.
  let failed = false;
  const fail: Fail = (...problem) => {
    failed = true;
    ctx.fail(...problem);
  };
  const rowCtx = { ...ctx, fail };
  const measure = rowMeasure(cell('measure')!, line, rowCtx);
  const period = rowPeriod(cell('period')!, line, measure, rowCtx);
  const value = cellFigure(cell('value')!, false, line, measure, fail);
  const comparators: Partial<Record<Comparator, number>> = {};
  for (const name of COMPARATORS) {
    const c = cell(name);
    const n = c ? cellFigure(c, true, line, measure, fail) : undefined;
    if (typeof n === 'number') comparators[name] = n;
  }
  if (!failed && measure && typeof period !== 'string' && value !== undefined) {
    return { measure: measure.id, period: period.id, value, comparators, line };
  }
  return undefined;
}

/**
 * Reads a scorecard CSV: a header row naming the columns (CSV_COLUMNS, in any
 * order), then one row per measure and period. Every problem is collected with
 * its row (line) and column: a cell that is not a number, a period written wrong,
 * one given twice (here or in the YAML), a measure the YAML file lacks. Pure.
 */
export function readValuesCsv(
  file: string,
  bytes: Uint8Array,
  periodType: PeriodType,
  measures: readonly CsvMeasure[],
): { rows: CsvRow[]; problems: CsiError[] } {
  const problems: CsiError[] = [];
  const fail: Fail = (code, message, line, column, hint) =>
    problems.push(new CsiError(message, { code, position: { file, line, column }, ...(hint ? { hint } : {}) }));
  const records = readRecords(bytes, fail);
  if (!records) return { rows: [], problems };
  const [header, ...body] = records;
  if (!header) {
    fail('EMPTY_FILE', 'this CSV is empty', 1, 1, `give a header row: ${CSV_COLUMNS.join(',')}`);
    return { rows: [], problems };
  }
  const columns = readHeader(header, fail);
  if (problems.length > 0) return { rows: [], problems };

  const ctx: RowContext = { fail, periodType, columns, measures, byId: new Map(measures.map((m) => [m.id, m])), seen: new Map() };
  const rows: CsvRow[] = [];
  for (const record of body) {
    const row = readRow(record, ctx);
    if (row) rows.push(row);
  }
  return { rows, problems };
}

/** A scorecard file as the schema passed it; only what laying the CSV over it needs. */
interface ScorecardFigures {
  period: PeriodType;
  values_csv?: string | undefined;
  measures: {
    id: string;
    unit: Unit;
    exempt?: unknown;
    values?: Record<string, MeasureValue> | undefined;
    comparators?: Partial<Record<Comparator, Record<string, number> | undefined>> | undefined;
  }[];
}

/** Figures by period, sorted oldest first. */
function sortedByPeriod<T>(type: PeriodType, byPeriod: Record<string, T>): Record<string, T> {
  const index = (id: string) => {
    const p = parsePeriod(type, id);
    return typeof p === 'string' ? 0 : p.index;
  };
  return Object.fromEntries(Object.entries(byPeriod).sort(([a], [b]) => index(a) - index(b)));
}

/**
 * The scorecard with its CSV's figures laid over the measures (each measure's
 * values and comparators sorted by period), and every problem with the CSV and
 * with the latest period: each measure has a value for it, or says it is not yet
 * available. `where` places a problem in the YAML file by path. Pure.
 */
export function withCsvFigures<T extends ScorecardFigures>(
  data: T,
  files: ReadonlyMap<string, Uint8Array>,
  where: (path: (string | number)[]) => { file: string; line: number; column: number },
): { data: T; problems: CsiError[] } {
  const problems: CsiError[] = [];
  let rows: CsvRow[] = [];
  if (data.values_csv !== undefined) {
    const bytes = files.get(data.values_csv);
    if (!bytes) {
      problems.push(new CsiError(`no file "${data.values_csv}" in the data folder`, {
        code: 'MISSING_FILE',
        position: where(['values_csv']),
        path: 'values_csv',
        hint: 'put the CSV in the same folder as this file, or correct its name',
      }));
    } else {
      const read = readValuesCsv(data.values_csv, bytes, data.period, data.measures.map((m) => ({ id: m.id, unit: m.unit, periods: new Set(Object.keys(m.values ?? {})), exempt: m.exempt !== undefined })));
      problems.push(...read.problems);
      rows = read.rows;
    }
  }
  const measures = data.measures.map((m) => {
    const mine = rows.filter((r) => r.measure === m.id);
    if (mine.length === 0) return m;
    const values = { ...m.values };
    const comparators: Partial<Record<Comparator, Record<string, number>>> = {};
    for (const c of COMPARATORS) if (m.comparators?.[c]) comparators[c] = { ...m.comparators[c] };
    for (const r of mine) {
      values[r.period] = r.value;
      for (const c of COMPARATORS) {
        const n = r.comparators[c];
        if (n !== undefined) (comparators[c] ??= {})[r.period] = n;
      }
    }
    const sortedComparators = Object.fromEntries(Object.entries(comparators).map(([c, v]) => [c, sortedByPeriod(data.period, v)]));
    return { ...m, values: sortedByPeriod(data.period, values), ...(Object.keys(sortedComparators).length ? { comparators: sortedComparators } : {}) };
  });

  // The latest period any measure has is the scorecard's; each measure says something for it.
  const periods = measures.flatMap((m) => Object.keys(m.values ?? {})).map((id) => parsePeriod(data.period, id)).filter((p): p is Period => typeof p !== 'string');
  const latest = periods.reduce<Period | undefined>((a, p) => (a === undefined || p.index > a.index ? p : a), undefined);
  if (problems.length === 0 && latest) {
    for (const [i, m] of measures.entries()) {
      if (m.values?.[latest.id] !== undefined) continue;
      const path = data.measures[i]!.values ? ['measures', i, 'values'] : ['measures', i, 'id'];
      problems.push(new CsiError(`"${m.id}" has no figure for ${latest.label}, the scorecard's latest period`, {
        code: 'NO_LATEST_VALUE',
        position: where(path),
        path: path.join('.'),
        hint: `give its figure for ${latest.id}, or write ${latest.id}: ${NOT_YET_AVAILABLE}`,
      }));
    }
  }
  return { data: { ...data, measures }, problems };
}

/** The period at an index (the inverse of parsePeriod's `index`). */
export function periodAt(type: PeriodType, index: number): Period {
  if (type === 'year') return { id: String(index), index, label: String(index) };
  const per = PERIODS_A_YEAR[type];
  const year = Math.floor(index / per);
  const n = index - year * per + 1;
  const id = type === 'month' ? `${year}-${String(n).padStart(2, '0')}` : `${year}-Q${n}`;
  return parsePeriod(type, id) as Period;
}
