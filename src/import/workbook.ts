import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { CsiError } from '../errors.js';

// A council's tracker as csi reads it: each sheet a grid of cells, with where each cell
// is ("Tracker!F14"), which rows and columns are hidden, and merged cells filled from
// the cell they are merged into. The workbook is read by exceljs, a CSV by csv-parse;
// nothing else of either library is seen past this module.

/** A workbook larger than this is not a tracker; it is refused before it is read. */
export const MAX_TRACKER_BYTES = 10 * 1024 * 1024;
/** A sheet with more rows than this is not an improvement plan's tracker. */
export const MAX_TRACKER_ROWS = 5000;

/** What a cell holds, as csi uses it: text, a number, a date, or nothing. */
export type CellValue = string | number | Date | boolean | undefined;

export interface Cell {
  value: CellValue;
  /** "Tracker!F14". */
  address: string;
  /** A formula whose computed value the file does not hold (saved by a program that does not calculate). */
  noCachedValue?: boolean;
  /** The cell a merged cell is part of ("Tracker!A4"), itself included. */
  mergedInto?: string;
}

export interface Sheet {
  name: string;
  /** rows[r][c] is row r + 1, column c + 1; a merged cell reads as the cell it is merged into. */
  rows: Cell[][];
  hiddenRows: number[];
  hiddenColumns: number[];
}

export interface Tracker {
  /** The file's name, as problems name it. */
  file: string;
  sheets: Sheet[];
}

/** "F" for column 6, "AA" for 27. */
export function columnLetter(column: number): string {
  let s = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** "Tracker!F14": how a spreadsheet user names a cell. Sheet names with spaces are quoted, as Excel does. */
export function cellAddress(sheet: string, row: number, column: number): string {
  const name = /^[A-Za-z0-9_]+$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${name}!${columnLetter(column)}${row}`;
}

/** A problem with the tracker file as a whole (not a workbook, protected, too large). */
function notReadable(file: string, message: string, hint: string, cause?: unknown): CsiError {
  return new CsiError(message, { code: 'NOT_A_TRACKER', position: { file, line: 1, column: 1 }, hint, ...(cause === undefined ? {} : { cause }) });
}

/** Reads an .xlsx or .csv tracker; anything else, or a workbook that cannot be opened, is a positioned problem (exit 1). */
export async function readTracker(path: string): Promise<Tracker> {
  const file = basename(path);
  const info = await stat(path).catch((cause: unknown) => {
    throw new CsiError(`there is no file ${path}`, { code: 'NO_FILE', kind: 'usage', cause, hint: 'give the path of the tracker: an .xlsx workbook or a .csv file' });
  });
  if (!info.isFile()) throw new CsiError(`${path} is not a file`, { code: 'NO_FILE', kind: 'usage', hint: 'give the path of the tracker: an .xlsx workbook or a .csv file' });
  if (info.size > MAX_TRACKER_BYTES) {
    throw notReadable(file, `the file is ${(info.size / 1024 / 1024).toFixed(1)} MB; a tracker csi imports is at most ${MAX_TRACKER_BYTES / 1024 / 1024} MB`,
      'save only the tracker\'s own sheet in a workbook of its own');
  }
  const bytes = await readFile(path);
  const type = extname(path).toLowerCase();
  if (type === '.csv') return { file, sheets: [csvSheet(file, bytes)] };
  return { file, sheets: await workbookSheets(file, bytes) };
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** An OLE compound file: a password-protected workbook (Excel encrypts it into one), or an old .xls. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

async function workbookSheets(file: string, bytes: Buffer): Promise<Sheet[]> {
  if (startsWith(bytes, OLE)) {
    throw notReadable(file, 'this workbook is password-protected, or an old .xls file: csi cannot open it',
      'in Excel, remove the password (File › Info › Protect Workbook), or save it as an .xlsx workbook, then import again');
  }
  if (!startsWith(bytes, ZIP)) {
    throw notReadable(file, 'this file is not an Excel workbook (.xlsx) or a CSV file', 'save the tracker from Excel as .xlsx or as CSV (UTF-8)');
  }
  await checkRowCounts(file, bytes);
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (cause) {
    throw notReadable(file, 'this workbook is damaged: csi cannot read it', 'open it in Excel and save it again as .xlsx', cause);
  }
  return workbook.worksheets.filter((ws) => ws.state === 'visible').map((ws) => {
    const rows: Cell[][] = [];
    const hiddenRows: number[] = [];
    const hiddenColumns: number[] = [];
    const width = ws.columnCount;
    for (let c = 1; c <= width; c++) if (ws.getColumn(c).hidden) hiddenColumns.push(c);
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      if (row.hidden) hiddenRows.push(r);
      const cells: Cell[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        const source = cell.isMerged ? cell.master : cell;
        const merged = cell.isMerged ? { mergedInto: cellAddress(ws.name, Number(source.row), Number(source.col)) } : {};
        cells.push({ address: cellAddress(ws.name, r, c), ...cellValue(source.value), ...merged });
      }
      rows.push(cells);
    }
    return { name: ws.name, rows, hiddenRows, hiddenColumns };
  });
}

/** exceljs's many kinds of cell value, as text, number, date or nothing. */
function cellValue(value: unknown): Pick<Cell, 'value' | 'noCachedValue'> {
  if (value === null || value === undefined) return { value: undefined };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return { value };
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) return { value: (v.richText as { text: string }[]).map((t) => t.text).join('') };
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result;
    if (result === undefined || result === null) return { value: undefined, noCachedValue: true };
    if (typeof result === 'object' && !(result instanceof Date)) return { value: undefined }; // #N/A and the like
    return cellValue(result);
  }
  if (typeof v.text === 'string') return { value: v.text }; // a hyperlink
  if ('error' in v) return { value: undefined };
  return { value: undefined };
}

/**
 * Refuses a sheet of more rows than a tracker has before exceljs reads it whole: each
 * sheet's own XML says how far it reaches (its <dimension>), or its rows are counted.
 */
async function checkRowCounts(file: string, bytes: Buffer): Promise<void> {
  const { default: JSZip } = await import('jszip');
  let zip: InstanceType<typeof JSZip>;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (cause) {
    throw notReadable(file, 'this workbook is damaged: csi cannot read it', 'open it in Excel and save it again as .xlsx', cause);
  }
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
    const xml = await zip.files[name]!.async('string');
    const dimension = /<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"/.exec(xml);
    const rows = dimension ? Number(dimension[1]) : (xml.match(/<row[\s>]/g) ?? []).length;
    if (rows > MAX_TRACKER_ROWS) {
      throw notReadable(file, `a sheet of this workbook has ${rows.toLocaleString('en-GB')} rows; a tracker csi imports has at most ${MAX_TRACKER_ROWS.toLocaleString('en-GB')}`,
        'copy the tracker\'s own rows into a workbook of their own');
    }
  }
}

function csvSheet(file: string, bytes: Buffer): Sheet {
  const name = basename(file, extname(file));
  let records: string[][];
  try {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (text.includes('\u0000')) throw new Error('binary');
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (cause) {
    throw notReadable(file, 'this file is not a CSV file csi can read', 'save the tracker from Excel as "CSV UTF-8 (Comma delimited)"', cause);
  }
  if (records.length > MAX_TRACKER_ROWS) {
    throw notReadable(file, `this file has ${records.length.toLocaleString('en-GB')} rows; a tracker csi imports has at most ${MAX_TRACKER_ROWS.toLocaleString('en-GB')}`,
      'copy the tracker\'s own rows into a file of their own');
  }
  const width = Math.max(0, ...records.map((r) => r.length));
  const rows = records.map((record, r) =>
    Array.from({ length: width }, (_, c): Cell => {
      const text = record[c]?.trim();
      return { value: text === undefined || text === '' ? undefined : record[c], address: cellAddress(name, r + 1, c + 1) };
    }),
  );
  return { name, rows, hiddenRows: [], hiddenColumns: [] };
}
