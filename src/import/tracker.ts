import { CsiError } from '../errors.js';
import type { ProblemCode } from '../errors.js';
import type { StatusScheme } from '../data/status.js';
import type { ColumnField, ColumnMapping } from './columns.js';
import { dueFrom, markdownFrom, statusFrom } from './values.js';
import { columnLetter } from './workbook.js';
import type { Cell, Sheet } from './workbook.js';

// A tracker sheet as a plan's groups and actions: the rows under the header, areas from
// an area column (merged cells included) or from rows that hold only an area's name.

export interface ImportedItem {
  id: string;
  /** The council's own reference, printed as the item's number. */
  number?: string | undefined;
  text: string;
  status?: string | undefined;
  ratings?: Record<string, string> | undefined;
  owner?: string | undefined;
  due?: string | undefined;
  measure?: string | undefined;
  progress?: string | undefined;
  /** Where it comes from ("Ofsted para 12"): the data's `reference`. */
  source?: string | undefined;
  /** Schedule 12A paragraph, for an item an officer marked exempt in the sheet. */
  exempt?: number | undefined;
  /** Where it is in the sheet, for messages. */
  row: number;
}

export interface ImportedGroup {
  id: string;
  /** The area's own number or reference, where its heading starts with one ("1.", "AFI 3"). */
  reference?: string | undefined;
  title?: string | undefined;
  items: ImportedItem[];
}

export interface ImportOptions {
  /** The appendix's key: ids are made from it and the references. */
  key: string;
  scheme: StatusScheme;
  dueWords: readonly string[];
  quarters: 'calendar' | 'financial';
  /** Words the council's tracker uses for a status, beyond csi's: `{ "Completed": blue }`. */
  statusWords: Readonly<Record<string, string>>;
  /** The tracker file's name, for positions. */
  file: string;
}

export interface ImportedSheet {
  groups: ImportedGroup[];
  problems: CsiError[];
  warnings: CsiError[];
}

/** An id made of words: lower case, hyphens, as the data's ids are. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

const isEmpty = (cell: Cell | undefined) => cell?.value === undefined || (typeof cell.value === 'string' && cell.value.trim() === '');

/** One row of a sheet as the import reads it: its cells by field, and problems positioned at a cell. */
interface RowReader {
  number: number;
  cellOf: (field: ColumnField) => Cell | undefined;
  columnOf: (field: ColumnField) => number | undefined;
  /** A field's cell as Markdown, or undefined when empty. */
  text: (field: ColumnField) => string | undefined;
  problem: (cell: Cell, column: number, code: ProblemCode, message: string, hint?: string) => CsiError;
}

function rowReader(row: Cell[], number: number, mapping: ColumnMapping, file: string): RowReader {
  const columnOf = (field: ColumnField) => mapping.columns.get(field);
  const cellOf = (field: ColumnField) => {
    const c = columnOf(field);
    return c === undefined ? undefined : row[c - 1];
  };
  return {
    number,
    cellOf,
    columnOf,
    text: (field) => {
      const cell = cellOf(field);
      return isEmpty(cell) ? undefined : markdownFrom(cell!.value);
    },
    problem: (cell, column, code, message, hint) =>
      new CsiError(`${cell.address}: ${message}`, { code, position: { file, line: number, column }, path: cell.address, ...(hint ? { hint } : {}) }),
  };
}

/**
 * An area's heading as the data keeps it: a number or reference it starts with ("1. …",
 * "AFI 3: …") is the area's reference, not part of its title, or the report would number
 * it twice ("1. 1. …").
 */
function areaName(heading: string | undefined): Pick<ImportedGroup, 'reference' | 'title'> {
  if (heading === undefined) return {};
  const numbered = /^((?:[A-Za-z]{1,6} ?)?\d+(?:\.\d+)*)[.):–-]? +(\S.*)$/.exec(heading);
  return numbered ? { reference: numbered[1]!, title: numbered[2]! } : { title: heading };
}

/** The name a row holds when it heads an area: its cells hold one name, merged across the row or with no action beside it. */
function areaHeading(row: Cell[], textCell: Cell | undefined): string | undefined {
  const filled = row.filter((cell) => !isEmpty(cell));
  const distinct = new Set(filled.map((cell) => String(cell.value)));
  const mergedAcross = filled.length > 1 && filled.every((cell) => cell.mergedInto !== undefined && cell.mergedInto === filled[0]!.mergedInto);
  return distinct.size === 1 && (mergedAcross || isEmpty(textCell)) ? String(filled[0]!.value).trim() : undefined;
}

/** Reads a sheet's rows under its header into groups of items, with every problem positioned at its cell. */
export function importSheet(sheet: Sheet, mapping: ColumnMapping, options: ImportOptions): ImportedSheet {
  const problems: CsiError[] = [];
  const warnings: CsiError[] = [];
  const mapped = [...mapping.columns.values()];
  hiddenWarnings(sheet, mapping, options.file, warnings);

  const groups: ImportedGroup[] = [];
  const ids = new Map<string, number>();
  let group: ImportedGroup | undefined;
  const groupFor = (title: string | undefined, givenId: string | undefined) => {
    const id = givenId ?? (title ? slug(`${options.key}-${title}`) || `${options.key}-area` : `${options.key}-actions`);
    if (group?.id !== id) {
      group = groups.find((g) => g.id === id) ?? { id, ...areaName(title), items: [] };
      if (!groups.includes(group)) groups.push(group);
    }
    return group;
  };

  for (let r = mapping.headerRow; r < sheet.rows.length; r++) {
    const row = sheet.rows[r]!;
    if (mapped.every((c) => isEmpty(row[c - 1]))) continue;
    const read = rowReader(row, r + 1, mapping, options.file);
    for (const c of mapped) {
      const cell = row[c - 1];
      if (cell?.noCachedValue) {
        problems.push(read.problem(cell, c, 'NO_CACHED_VALUE', 'this cell\'s formula has no value saved with it',
          'open the workbook in Excel (which calculates it) and save it, then import again'));
      }
    }
    const textCell = read.cellOf('text');
    const heading = read.columnOf('area') === undefined ? areaHeading(row, textCell) : undefined;
    if (heading !== undefined) {
      groupFor(heading, undefined);
      continue;
    }
    if (isEmpty(textCell) || !textCell) {
      const c = row.findIndex((cell) => !isEmpty(cell));
      problems.push(read.problem(row[c]!, c + 1, 'MISSING_KEY', `row ${read.number} has no action text`,
        `fill the "Action" column (${columnLetter(read.columnOf('text')!)}), or delete the row`));
      continue;
    }
    const area = read.text('area');
    const givenGroup = read.text('group-id');
    // Without an area column, a row belongs to the area whose row came last above it.
    const target = area === undefined && givenGroup === undefined && group ? group : groupFor(area?.replace(/\s*\n\s*/g, ' '), givenGroup);
    const reference = read.text('reference');
    const id = read.text('id') ?? (reference ? slug(`${options.key}-${reference}`) : `${options.key}-${target.items.length + 1}`);
    const item: ImportedItem = { id, text: markdownFrom(textCell.value), row: read.number };
    if (reference) item.number = reference;
    const firstRow = ids.get(id);
    if (firstRow !== undefined) {
      problems.push(read.problem(read.cellOf('reference') ?? textCell, read.columnOf('reference') ?? read.columnOf('text')!, 'DUPLICATE_ID',
        `this action's reference makes the id "${id}", as row ${firstRow}'s does`, 'give each action a reference of its own'));
    }
    ids.set(id, read.number);
    readValues(item, read, textCell, options, problems);
    target.items.push(item);
  }
  return { groups: groups.filter((g) => g.items.length > 0), problems, warnings };
}

/** An item's status, ratings, due, exemption and notes from its row; what cannot be read is a problem at its cell. */
function readValues(item: ImportedItem, read: RowReader, textCell: Cell, options: ImportOptions, problems: CsiError[]): void {
  const statusCell = read.cellOf('status');
  if (!isEmpty(statusCell)) {
    const status = statusFrom(String(statusCell!.value), options.scheme.status, options.statusWords);
    if (typeof status === 'string') item.status = status;
    else problems.push(read.problem(statusCell!, read.columnOf('status')!, 'NOT_ALLOWED', status.problem, status.hint));
  } else {
    problems.push(read.problem(textCell, read.columnOf('status') ?? read.columnOf('text')!, 'MISSING_KEY', `row ${read.number} has no status`,
      read.columnOf('status') ? 'fill the status column' : 'the tracker needs a status (RAG) column'));
  }
  for (const rating of options.scheme.ratings) {
    const cell = read.cellOf(`rating:${rating.key}`);
    if (isEmpty(cell)) continue;
    const value = statusFrom(String(cell!.value), rating.vocabulary, options.statusWords);
    if (typeof value === 'string') item.ratings = { ...item.ratings, [rating.key]: value };
    else problems.push(read.problem(cell!, read.columnOf(`rating:${rating.key}`)!, 'NOT_ALLOWED', value.problem, value.hint));
  }
  const dueCell = read.cellOf('due');
  if (!isEmpty(dueCell)) {
    const due = dueFrom(dueCell!.value, options.dueWords, options.quarters);
    if (typeof due === 'string') item.due = due;
    else problems.push(read.problem(dueCell!, read.columnOf('due')!, 'INVALID_DATE', due.problem, due.hint));
  }
  const exemptCell = read.cellOf('exempt');
  if (!isEmpty(exemptCell)) {
    const paragraph = Number(String(exemptCell!.value).replace(/^\D*/, ''));
    if (Number.isInteger(paragraph) && paragraph >= 1 && paragraph <= 7) item.exempt = paragraph;
    else problems.push(read.problem(exemptCell!, read.columnOf('exempt')!, 'INVALID_VALUE', `"${String(exemptCell!.value)}" is not a paragraph of Schedule 12A`, 'write the paragraph\'s number, 1 to 7, or leave the cell empty'));
  }
  for (const field of ['owner', 'measure', 'progress', 'source'] as const) {
    const value = read.text(field);
    if (value !== undefined) item[field] = value;
  }
}

/** Hidden rows and columns are read like the others; the officer is told which, in case they were meant to be left out. */
function hiddenWarnings(sheet: Sheet, mapping: ColumnMapping, file: string, warnings: CsiError[]) {
  const warn = (code: ProblemCode, message: string, line: number, column: number, hint: string) =>
    warnings.push(new CsiError(message, { code, position: { file, line, column }, path: sheet.name, hint }));
  const rows = sheet.hiddenRows.filter((r) => r > mapping.headerRow);
  if (rows.length > 0) {
    warn('HIDDEN_CELLS', `${sheet.name}: hidden row${rows.length === 1 ? '' : 's'} ${rows.join(', ')} ${rows.length === 1 ? 'was' : 'were'} imported like the others`,
      rows[0]!, 1, 'delete the rows from the sheet if they are not part of the plan');
  }
  const mappedColumns = new Set(mapping.columns.values());
  const columns = sheet.hiddenColumns.filter((c) => mappedColumns.has(c));
  if (columns.length > 0) {
    warn('HIDDEN_CELLS', `${sheet.name}: hidden column${columns.length === 1 ? '' : 's'} ${columns.map(columnLetter).join(', ')} ${columns.length === 1 ? 'was' : 'were'} imported`,
      mapping.headerRow, columns[0]!, 'unhide the column to check what it holds, or leave it out of the mapping file');
  }
  const skipped = sheet.hiddenColumns.filter((c) => !mappedColumns.has(c));
  if (skipped.length > 0) {
    warn('HIDDEN_CELLS', `${sheet.name}: hidden column${skipped.length === 1 ? '' : 's'} ${skipped.map(columnLetter).join(', ')} ${skipped.length === 1 ? 'was' : 'were'} not imported (no field csi knows)`,
      mapping.headerRow, skipped[0]!, 'name the column\'s field in the mapping file if it should be imported');
  }
}
