import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import { parseDataSet, REPORT_FILE } from '../data/dataset.js';
import type { DataSet } from '../data/dataset.js';
import { readDataDir } from '../data/read.js';
import type { ExpectedNames } from '../data/checks.js';
import type { StatusScheme } from '../data/status.js';
import { CsiError, InvalidDataError } from '../errors.js';
import { buildModel } from '../model/report.js';
import { OutputSet } from '../output.js';
import { findColumns } from './columns.js';
import type { ColumnField } from './columns.js';
import { mappingText, readMapping } from './mapping.js';
import type { Mapping, SheetPlan } from './mapping.js';
import { importSheet, slug } from './tracker.js';
import type { ImportedItem } from './tracker.js';
import { newAppendixFile, updateAppendixFile } from './update-plan.js';
import type { PlanUpdate } from './update-plan.js';
import { readTracker } from './workbook.js';
import type { Sheet } from './workbook.js';

// csi import: a council's tracker into its plan. read the sheet → find (or read) the
// columns → rows to groups and items → put them into the appendix files → check the
// whole data set as build-report would → write, all or nothing.

export interface ImportRequest {
  tracker: string;
  dataDir: string;
  /** The mapping file: read when it exists, else written from the sheet's headings. */
  mappingFile: string;
  scheme: StatusScheme;
  dueWords: readonly string[];
  expected?: ExpectedNames | undefined;
  /** Only this sheet of a workbook. */
  sheet?: string | undefined;
}

export interface AppendixImport extends Omit<PlanUpdate, 'text'> {
  file: string;
  created: boolean;
  items: number;
  groups: number;
}

export interface ImportResult {
  appendices: AppendixImport[];
  mappingWritten: boolean;
  warnings: CsiError[];
}

/** Every item's number as the report prints it, by id: a tracker's reference that matches is not an own number. */
function printedNumbers(data: DataSet | undefined): Map<string, string> {
  const numbers = new Map<string, string>();
  if (!data) return numbers;
  for (const a of buildModel(data).appendices) {
    if (a.kind !== 'recommendations') continue;
    for (const g of a.groups) for (const i of g.items) numbers.set(i.id, i.number);
  }
  return numbers;
}

/** The plan's own numbers, by id, as its data writes them. */
function ownNumbers(data: DataSet | undefined): Set<string> {
  const ids = new Set<string>();
  for (const a of data?.appendices ?? []) {
    if (a.kind !== 'recommendations') continue;
    for (const g of a.groups) for (const i of g.items) if (i.number !== undefined) ids.add(i.id);
  }
  return ids;
}

const exists = (path: string) => access(path).then(() => true, () => false);

/** Imports a tracker into a plan's data folder. Nothing is written unless the whole data set is valid afterwards. */
export async function importTracker(request: ImportRequest): Promise<ImportResult> {
  try {
    return await importInto(request);
  } catch (error) {
    // A problem with the tracker itself is positioned in it, and printed as the data's problems are.
    if (error instanceof CsiError && error.kind === 'data' && error.position) throw new InvalidDataError([error], dirname(request.tracker));
    throw error;
  }
}

async function importInto(request: ImportRequest): Promise<ImportResult> {
  const tracker = await readTracker(request.tracker);
  const files = await readDataDir(request.dataDir);
  // A plan that does not yet check (a new plan switched to the tracker's status words, text
  // that already refers to the appendix the import makes) is still imported into: its files
  // are found by name, and the plan is checked whole once the tracker is in.
  const before = parseDataSet(files, { statuses: request.scheme, expected: request.expected, warnings: false });
  const data = before.ok ? before.data : undefined;
  const ratingKeys = request.scheme.ratings.map((r) => r.key);
  const mappingExists = await exists(request.mappingFile);
  const mapping: Mapping = mappingExists ? await readMapping(request.mappingFile, ratingKeys) : { sheets: new Map(), quarters: 'calendar', statuses: {} };

  const sheets = tracker.sheets.filter((s) => (request.sheet ? s.name === request.sheet : mappingExists ? mapping.sheets.has(s.name) : true));
  if (sheets.length === 0) {
    const names = tracker.sheets.map((s) => `"${s.name}"`).join(', ');
    throw new CsiError(request.sheet ? `the tracker has no sheet "${request.sheet}"` : `none of the tracker's sheets (${names}) is in ${basename(request.mappingFile)}`, {
      code: 'USAGE', kind: 'usage', hint: `its sheets are ${names}`,
    });
  }

  const problems: CsiError[] = [];
  const warnings: CsiError[] = [];
  const changed = new Map<string, string>(); // file → new text
  const results: AppendixImport[] = [];
  const numbers = printedNumbers(data);
  const own = ownNumbers(data);
  const keepNumber = (item: ImportedItem) => item.number !== undefined && (own.has(item.id) || numbers.get(item.id) !== item.number);
  const newKeys: string[] = [];
  for (const sheet of sheets) {
    const plan = mapping.sheets.get(sheet.name) ?? planSheet(sheet, sheets.length, request, tracker.file, data);
    if (!plan) continue;
    mapping.sheets.set(sheet.name, plan);
    const imported = importSheet(sheet, plan.mapping, {
      key: plan.appendix, scheme: request.scheme, dueWords: request.dueWords, quarters: mapping.quarters, statusWords: mapping.statuses, file: tracker.file,
    });
    problems.push(...imported.problems);
    warnings.push(...imported.warnings);
    const file = data?.appendixFiles.get(plan.appendix) ?? `${plan.appendix}.yaml`;
    const existing = files.get(file);
    const count = { items: imported.groups.reduce((n, g) => n + g.items.length, 0), groups: imported.groups.length };
    if (existing) {
      const update = updateAppendixFile(Buffer.from(existing).toString('utf8'), imported.groups, new Set<ColumnField>(plan.mapping.columns.keys()), keepNumber);
      if (update.text !== Buffer.from(existing).toString('utf8')) changed.set(file, update.text);
      const { text: _text, ...rest } = update;
      results.push({ file, created: false, ...rest, ...count });
    } else {
      changed.set(file, newAppendixFile({ key: plan.appendix, title: plan.title ?? plan.appendix, schemaLine: await schemaLine(request.dataDir) }, imported.groups, keepNumber));
      newKeys.push(plan.appendix);
      results.push({ file, created: true, added: imported.groups.flatMap((g) => g.items.map((i) => i.id)), updated: [], moved: [], notInSheet: [], ...count });
    }
  }
  if (problems.length > 0) throw new InvalidDataError(problems, dirname(request.tracker), warnings);
  if (newKeys.length > 0) changed.set(REPORT_FILE, withAppendices(Buffer.from(files.get(REPORT_FILE)!).toString('utf8'), newKeys));

  // The plan as it would be: checked as build-report checks it, before anything is written.
  const after = new Map(files);
  for (const [file, text] of changed) after.set(file, Buffer.from(text));
  const checked = parseDataSet(after, { statuses: request.scheme, expected: request.expected, warnings: false });
  // (The tracker's own warnings are positioned in the tracker, not the data folder: told once the plan checks.)
  if (!checked.ok) throw new InvalidDataError(checked.problems, request.dataDir);

  await writeAll(request, changed, mappingExists ? undefined : mappingText(mapping));
  return { appendices: results, mappingWritten: !mappingExists, warnings };
}

/** A sheet's mapping found from its headings, or undefined for a sheet of a workbook that is no tracker (notes, lookups). */
function planSheet(sheet: Sheet, sheets: number, request: ImportRequest, file: string, data: DataSet | undefined): SheetPlan | undefined {
  let columns;
  try {
    columns = findColumns(sheet, request.scheme.ratings, file);
  } catch (error) {
    // A workbook's other sheets need not be trackers; a CSV or a named sheet must be.
    if (error instanceof CsiError && error.code === 'NO_HEADER_ROW' && sheets > 1) return undefined;
    throw error;
  }
  const key = appendixFor(sheet, columns.columns.get('id'), columns.headerRow, data);
  return { appendix: key, title: titleAbove(sheet, columns.headerRow) ?? sheet.name, mapping: columns };
}

/** The editor-schema line for a new appendix file, where the plan keeps schemas beside its data folder (as csi init makes it). */
async function schemaLine(dataDir: string): Promise<string | undefined> {
  const found = await exists(join(dataDir, '..', 'schemas', 'recommendations.schema.json'));
  return found ? '# yaml-language-server: $schema=../schemas/recommendations.schema.json' : undefined;
}

/** Every changed file, and the mapping file on a first import, written all or nothing. */
async function writeAll(request: ImportRequest, changed: ReadonlyMap<string, string>, mapping: string | undefined): Promise<void> {
  const outputs = new OutputSet();
  try {
    for (const [file, text] of changed) await outputs.stage(join(request.dataDir, file), text);
    if (mapping !== undefined) await outputs.stage(request.mappingFile, mapping);
    await outputs.commit();
  } finally {
    await outputs.discard();
  }
}

/**
 * The appendix a sheet fills: the one that holds the ids in its "csi id" column (a sheet
 * csi exported), else one whose key the sheet is named after, else a new key from the name.
 */
function appendixFor(sheet: Sheet, idColumn: number | undefined, headerRow: number, data: DataSet | undefined): string {
  const appendices = (data?.appendices ?? []).filter((a) => a.kind === 'recommendations');
  if (idColumn !== undefined) {
    const ids = new Set(sheet.rows.slice(headerRow).map((row) => String(row[idColumn - 1]?.value ?? '')));
    const holding = appendices.filter((a) => a.groups.some((g) => g.items.some((i) => ids.has(i.id))));
    if (holding.length === 1) return holding[0]!.key;
  }
  const name = slug(sheet.name);
  const match = appendices.map((a) => a.key).filter((k) => k === name || k.startsWith(name));
  return match.length === 1 ? match[0]! : name || 'tracker';
}

/** A title typed in the rows above the header (a tracker's own heading), if there is one. */
function titleAbove(sheet: { rows: { value: unknown }[][] }, headerRow: number): string | undefined {
  for (const row of sheet.rows.slice(0, headerRow - 1)) {
    const texts = row.map((c) => c.value).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    if (texts.length > 0) return texts[0]!.trim();
  }
  return undefined;
}

/** report.yaml with new appendix keys listed after the others, edited in place. */
function withAppendices(text: string, keys: string[]): string {
  const doc = parseDocument(text);
  const list = doc.get('appendices', true);
  if (!isSeq(list) || !list.range) return text;
  // A key report.yaml lists already (the officer wrote it ahead of the import) is not listed twice.
  const listed = new Set(list.items.map((n) => String((n as { value: unknown }).value)));
  keys = keys.filter((k) => !listed.has(k));
  if (keys.length === 0) return text;
  if (list.flow || list.items.length === 0) {
    const all = [...list.items.map((n) => String((n as { value: unknown }).value)), ...keys];
    return `${text.slice(0, list.range[0])}[${all.join(', ')}]${text.slice(list.range[1])}`;
  }
  const first = list.items[0] as { range: [number, number, number] };
  const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const indent = text.slice(lineStart, first.range[0]);
  const end = text[list.range[1] - 1] === '\n' ? list.range[1] : text.indexOf('\n', list.range[1]) + 1 || text.length;
  return `${text.slice(0, end)}${keys.map((k) => `${indent}${k}\n`).join('')}${text.slice(end)}`;
}
