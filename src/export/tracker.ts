import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { DataSet } from '../data/dataset.js';
import type { RecommendationsAppendixData } from '../data/schema.js';
import { findWord } from '../data/status.js';
import type { StatusScheme, Vocabulary } from '../data/status.js';
import type { AudienceModel } from '../model/withhold.js';

// csi export: the plan as the tracker sheet colleagues update in Excel, in the council's
// words, one sheet per appendix of actions. What is in it is what the audience may see:
// the withheld model decides (a public tracker has no exempt item, field, count or id).
// Values come from the data as written, so that a tracker exported and imported back
// changes nothing.

export interface TrackerColumn {
  /** The mapping file's name for the field, which csi import reads back. */
  field: string;
  header: string;
  width: number;
}

export interface TrackerRow {
  area: string;
  groupId: string;
  cells: Record<string, string | Date | undefined>;
  /** The status cell's colour, by field (status and each rating). */
  colours: Record<string, string>;
}

export interface TrackerSheet {
  key: string;
  /** A sheet name Excel accepts: at most 31 characters, none of []:*?/\. */
  name: string;
  title: string;
  columns: TrackerColumn[];
  rows: TrackerRow[];
}

type Item = RecommendationsAppendixData['groups'][number]['items'][number];

const text = (value: unknown): string | undefined =>
  value === undefined ? undefined : typeof value === 'object' && value !== null && 'text' in value ? String((value as { text: string }).text) : String(value);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A due date as a spreadsheet shows it: a day is a date cell, a month reads "March 2025", a word stays a word. */
function dueCell(due: string | undefined): string | Date | undefined {
  if (due === undefined) return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(due);
  if (day) return new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
  const month = /^(\d{4})-(\d{2})$/.exec(due);
  if (month) return `${MONTHS[Number(month[2]) - 1]} ${month[1]}`;
  return due;
}

/** The tracker sheets of a plan, for one audience: what that audience may see, nothing else. */
export function trackerSheets(data: DataSet, model: AudienceModel, scheme: StatusScheme): TrackerSheet[] {
  const sheets: TrackerSheet[] = [];
  const used = new Set<string>();
  for (const appendix of model.appendices) {
    // What the public may not see is not in the withheld model to begin with: a withheld appendix,
    // group or item stands in under an id of its own, which no data item has.
    if (appendix.kind !== 'recommendations') continue;
    const source = data.appendices.find((a) => a.key === appendix.key);
    if (source?.kind !== 'recommendations') continue;
    const byId = new Map(source.groups.flatMap((g) => g.items.map((i) => [i.id, i] as const)));
    const rows: TrackerRow[] = [];
    for (const group of appendix.groups) {
      for (const shown of group.items) {
        const item = byId.get(shown.id);
        if (!item) continue;
        rows.push(row(item, shown, group.title ?? '', group.id, scheme, model.audience === 'exempt'));
      }
    }
    const columns = columnsFor(rows, scheme, model.audience === 'exempt');
    sheets.push({ key: appendix.key, name: sheetName(appendix.key, used), title: appendix.title, columns, rows });
  }
  return sheets;
}

/** One row: the item's values from the data, less any field the audience may not see (the withheld model has emptied it). */
function row(item: Item, shown: { exemptFields?: Record<string, unknown> | undefined; number: string }, area: string, groupId: string, scheme: StatusScheme, exempt: boolean): TrackerRow {
  const hidden = (field: string) => !exempt && shown.exemptFields?.[field] !== undefined;
  const field = (name: 'owner' | 'measure' | 'progress' | 'reference') => (hidden(name) ? undefined : text(item[name]));
  const cells: TrackerRow['cells'] = {
    reference: item.number !== undefined ? String(item.number) : shown.number,
    area,
    text: item.text,
    owner: field('owner'),
    due: dueCell(item.due),
    status: label(scheme.status, item.status),
    measure: field('measure'),
    progress: field('progress'),
    source: field('reference'),
    'group-id': groupId,
    id: item.id,
  };
  const colours: Record<string, string> = {};
  const colour = findWord(scheme.status, item.status)?.colour;
  if (colour) colours.status = colour;
  for (const rating of scheme.ratings) {
    const value = (item as { ratings?: Record<string, string | undefined> }).ratings?.[rating.key];
    cells[rating.key] = label(rating.vocabulary, value);
    const c = findWord(rating.vocabulary, value)?.colour;
    if (c) colours[rating.key] = c;
  }
  if (exempt && item.exempt) cells.exempt = String(item.exempt.paragraph);
  return { area, groupId, cells, colours };
}

const label = (vocabulary: Vocabulary, id: string | undefined) => (id === undefined ? undefined : findWord(vocabulary, id)?.label ?? id);

/** The columns the rows use, in a tracker's usual order; the ids csi import needs come last. */
function columnsFor(rows: TrackerRow[], scheme: StatusScheme, exempt: boolean): TrackerColumn[] {
  const has = (field: string) => rows.some((r) => r.cells[field] !== undefined && r.cells[field] !== '');
  const columns: TrackerColumn[] = [
    { field: 'reference', header: 'Ref', width: 10 },
    ...(has('area') ? [{ field: 'area', header: 'Area', width: 28 }] : []),
    { field: 'text', header: 'Action', width: 60 },
    ...(has('owner') ? [{ field: 'owner', header: 'Lead', width: 24 }] : []),
    ...(has('due') ? [{ field: 'due', header: 'Due', width: 14 }] : []),
    { field: 'status', header: 'Status', width: 14 },
    ...scheme.ratings.filter((r) => has(r.key)).map((r) => ({ field: r.key, header: r.label, width: 14 })),
    ...(has('measure') ? [{ field: 'measure', header: 'Measure', width: 30 }] : []),
    ...(has('progress') ? [{ field: 'progress', header: 'Update', width: 48 }] : []),
    ...(has('source') ? [{ field: 'source', header: 'Source', width: 20 }] : []),
    ...(exempt && has('exempt') ? [{ field: 'exempt', header: 'Exempt paragraph', width: 10 }] : []),
    { field: 'group-id', header: 'csi group', width: 16 },
    { field: 'id', header: 'csi id', width: 16 },
  ];
  return columns;
}

/** An appendix key as a sheet name: Excel allows 31 characters; a clash gets a number. */
function sheetName(key: string, used: Set<string>): string {
  let name = key.slice(0, 31);
  for (let n = 2; used.has(name); n++) name = `${key.slice(0, 31 - String(n).length - 1)}-${n}`;
  used.add(name);
  return name;
}

/** A sheet as CSV: the header row, then a row per item (dates as 31/03/2025). */
export function trackerCsv(sheet: TrackerSheet): string {
  const value = (v: string | Date | undefined) =>
    v instanceof Date ? `${String(v.getUTCDate()).padStart(2, '0')}/${String(v.getUTCMonth() + 1).padStart(2, '0')}/${v.getUTCFullYear()}` : v ?? '';
  return stringifyCsv([sheet.columns.map((c) => c.header), ...sheet.rows.map((r) => sheet.columns.map((c) => value(r.cells[c.field])))]);
}

const argb = (hex: string) => {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return `FF${full.toUpperCase()}`;
};

/** The sheets as an .xlsx workbook: the title above a frozen header row, areas merged down their rows, status cells in their colours. */
export async function trackerWorkbook(sheets: TrackerSheet[]): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'csi';
  // A fixed date, so that the same plan exports to the same workbook.
  workbook.created = workbook.modified = new Date(Date.UTC(2000, 0, 1));
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.columns = sheet.columns.map((c) => ({ key: c.field, width: c.width }));
    ws.getCell(1, 1).value = sheet.title;
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    const header = ws.getRow(2);
    sheet.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { bold: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8E8E8' } };
    });
    sheet.rows.forEach((r, i) => {
      const excelRow = ws.getRow(i + 3);
      sheet.columns.forEach((c, j) => {
        const cell = excelRow.getCell(j + 1);
        const value = r.cells[c.field];
        cell.value = value ?? null;
        cell.alignment = { vertical: 'top', wrapText: true };
        if (value instanceof Date) cell.numFmt = 'dd/mm/yyyy';
        const colour = r.colours[c.field];
        if (colour && value !== undefined) {
          // The status colours are chosen for 4.5:1 against white, so white text on them reads as well.
          cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(colour) } };
          cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
        }
      });
    });
    const areaColumn = sheet.columns.findIndex((c) => c.field === 'area') + 1;
    if (areaColumn > 0) {
      let start = 0;
      for (let i = 1; i <= sheet.rows.length; i++) {
        if (i === sheet.rows.length || sheet.rows[i]!.groupId !== sheet.rows[start]!.groupId) {
          if (i - start > 1) ws.mergeCells(start + 3, areaColumn, i + 2, areaColumn);
          start = i;
        }
      }
    }
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
